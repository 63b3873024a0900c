// The one quoting function for remote commands, checked against a real POSIX shell: whatever the
// argument, the shell hands the command exactly that argument and runs nothing else.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, quoteArg, UnsafeArgumentError } from '../../../../../main/core/actions/shell-quote';
import { HOSTILE } from '../../../../helpers/hostile';

/** What a shell may carry in one argument (validation keeps NUL and line breaks out). */
const QUOTABLE = HOSTILE.filter((h) => !/[\0\n\r]/.test(h));

let dir: string;
let canary: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-quote-'));
  canary = join(dir, 'ran');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What sh receives as $1 for the quoted argument, printed back byte for byte. */
function roundTrip(arg: string): string {
  const script = `printf '%s' ${quoteArg(arg.replaceAll('CANARY', canary))}`;
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', cwd: dir });
}

describe('quoteArg', () => {
  it.each(QUOTABLE)('%j arrives as one literal argument and runs nothing', (arg) => {
    expect(roundTrip(arg)).toBe(arg.replaceAll('CANARY', canary));
    expect(existsSync(canary)).toBe(false);
  });

  it('keeps every printable ASCII and some unicode, randomly combined', () => {
    const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', '✓', '\t'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      const length = 1 + Math.floor(random() * 24);
      const arg = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(roundTrip(arg)).toBe(arg);
    }
    expect(existsSync(canary)).toBe(false);
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(quoteArg('nginx.service')).toBe('nginx.service');
    expect(quoteArg('--after-cursor=s')).toBe("'--after-cursor=s'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('')).toBe("''");
  });

  it('refuses NUL and line breaks', () => {
    expect(() => quoteArg('a\0b')).toThrow(UnsafeArgumentError);
    expect(() => quoteArg('a\nb')).toThrow(UnsafeArgumentError);
    expect(() => quoteArg('a\rb')).toThrow(UnsafeArgumentError);
  });
});

describe('commandLine', () => {
  it('joins quoted words; the shell sees the same vector', () => {
    const argv = ['printf', '%s|', 'kill', '-s', 'TERM', '--', '1234', '; rm -rf /'];
    const out = execFileSync('/bin/sh', ['-c', commandLine(argv)], { encoding: 'utf8' });
    expect(out).toBe('kill|-s|TERM|--|1234|; rm -rf /|');
  });

  it('refuses an empty vector', () => {
    expect(() => commandLine([])).toThrow(UnsafeArgumentError);
  });
});
