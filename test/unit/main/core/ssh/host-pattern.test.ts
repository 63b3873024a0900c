// OpenSSH host patterns: globs, negation, and the [host]:port form of known_hosts.
import {
  isWildcardPattern,
  knownHostsName,
  matchPattern,
  matchPatternList,
} from '../../../../../main/core/ssh/host-pattern';

describe('matchPattern', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', true],
    ['web?', 'web1', true],
    ['web?', 'web10', false],
    ['*.example.org', 'db.example.org', true],
    ['*.example.org', 'example.org', false],
    ['10.0.*.1', '10.0.200.1', true],
    ['a*b*c', 'aXXbYYbZc', true],
    ['a*b*c', 'aXXbYY', false],
    ['[127.0.0.*]:2222', '[127.0.0.5]:2222', true],
    ['[127.0.0.*]:2222', '[127.0.0.5]:22', false],
    ['WEB1', 'web1', true],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(matchPattern(pattern, text)).toBe(expected);
  });

  it('can compare case-sensitively (file names)', () => {
    expect(matchPattern('*.conf', 'A.CONF', false)).toBe(false);
    expect(matchPattern('*.conf', 'a.conf', false)).toBe(true);
  });
});

describe('matchPatternList', () => {
  it('rejects on a matching negation, accepts on any positive match', () => {
    const list = ['*.example.org', '!bad.example.org'];
    expect(matchPatternList(list, 'good.example.org')).toBe(true);
    expect(matchPatternList(list, 'bad.example.org')).toBe(false);
    expect(matchPatternList(list, 'other.net')).toBe(false);
    expect(matchPatternList(['!bad'], 'good')).toBe(false);
  });
});

describe('names', () => {
  it('writes [host]:port off port 22, lower case', () => {
    expect(knownHostsName('Web1', 22)).toBe('web1');
    expect(knownHostsName('127.0.0.5', 2222)).toBe('[127.0.0.5]:2222');
  });

  it('knows a wildcard from a name', () => {
    expect(['web1', '10.0.0.1', 'db.example.org'].map(isWildcardPattern)).toEqual([false, false, false]);
    expect(['*', 'web?', '!web1', '*.example.org'].map(isWildcardPattern)).toEqual([true, true, true, true]);
  });
});
