// known_hosts parsing checked against the real ssh-keygen: hashing (-H), lookups (-F) and fingerprints (-lf).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fingerprintSha256,
  hostKeyFromBlob,
  keyTypeOfBlob,
  lookupHostKeys,
  matchingEntries,
  parseKnownHosts,
} from '../../../../../main/core/ssh/known-hosts';

let dir: string;
let ed25519: string;
let ecdsa: string;
let plainText: string;
let hashedText: string;
let hashedPath: string;

function keygen(args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `type base64` of a generated public key. */
function publicKey(name: string, type: string): string {
  const path = join(dir, name);
  keygen(['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

const base64Of = (key: string) => key.split(' ')[1] ?? '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-known-hosts-'));
  ed25519 = publicKey('a', 'ed25519');
  ecdsa = publicKey('b', 'ecdsa');
  plainText = [
    '# a comment, then a blank line',
    '',
    `web1,192.0.2.10 ${ed25519} web one`,
    `[127.0.0.5]:2222 ${ecdsa}`,
    `*.example.org,!bad.example.org ${ed25519}`,
    `@revoked web1 ${ecdsa}`,
    `@cert-authority *.corp ${ed25519}`,
    `[127.0.0.*]:2200 ${ecdsa}`,
    '',
  ].join('\n');
  hashedPath = join(dir, 'known_hosts');
  writeFileSync(hashedPath, plainText);
  keygen(['-H', '-f', hashedPath]);
  hashedText = readFileSync(hashedPath, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Line numbers ssh-keygen -F reports for a name, as our own matches would report them. */
function sshKeygenFinds(name: string): number[] {
  let out = '';
  try {
    out = keygen(['-F', name, '-f', hashedPath]);
  } catch {
    return []; // exit status 1: not found
  }
  return [...out.matchAll(/^# Host .* found: line (\d+)/gm)].map((m) => Number(m[1]));
}

describe('parseKnownHosts', () => {
  it('reads plain entries, markers and comments', () => {
    const { entries, skipped } = parseKnownHosts(plainText);
    expect(skipped).toEqual([]);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toMatchObject({
      line: 3,
      hosts: { kind: 'patterns', patterns: ['web1', '192.0.2.10'] },
      key: { type: 'ssh-ed25519', keyBase64: base64Of(ed25519) },
      comment: 'web one',
    });
    expect(entries.map((e) => e.marker)).toEqual([
      undefined,
      undefined,
      undefined,
      'revoked',
      'cert-authority',
      undefined,
    ]);
  });

  it('reads the hashed file ssh-keygen -H wrote', () => {
    const { entries, skipped } = parseKnownHosts(hashedText);
    expect(skipped).toEqual([]);
    const hashed = entries.filter((e) => e.hosts.kind === 'hashed');
    // web1 and 192.0.2.10 become two hashed lines; [127.0.0.5]:2222 one more. Wildcards stay plain.
    expect(hashed.length).toBe(3);
    expect(hashedText).not.toContain('192.0.2.10');
  });

  it('skips malformed lines and says why', () => {
    const { entries, skipped } = parseKnownHosts(
      [
        'onlyahost',
        `host1 ssh-rsa ${base64Of(ed25519)}`,
        'host2 ssh-ed25519 not*base64',
        '|1|bad|hash ssh-ed25519 AAAA',
        `@weird host3 ${ed25519}`,
        'host4 1024 35 12345678',
        `host5 ${ed25519}`,
      ].join('\n'),
    );
    expect(entries.map((e) => e.line)).toEqual([7]);
    expect(skipped.map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(skipped[1]?.reason).toMatch(/does not match/);
  });
});

describe('lookupHostKeys and matchingEntries', () => {
  const cases: [string, number, string][] = [
    ['web1', 22, 'web1'],
    ['192.0.2.10', 22, '192.0.2.10'],
    ['127.0.0.5', 2222, '[127.0.0.5]:2222'],
    ['127.0.0.5', 22, '127.0.0.5'],
    ['127.0.0.9', 2200, '[127.0.0.9]:2200'],
    ['127.0.0.9', 2222, '[127.0.0.9]:2222'],
    ['www.example.org', 22, 'www.example.org'],
    ['bad.example.org', 22, 'bad.example.org'],
    ['x.corp', 22, 'x.corp'],
    ['nowhere', 22, 'nowhere'],
  ];

  it.each(cases)('finds for %s port %d the lines ssh-keygen -F %s finds', (host, port, name) => {
    const { entries } = parseKnownHosts(hashedText);
    expect(matchingEntries(entries, host, port).map((e) => e.line)).toEqual(sshKeygenFinds(name));
  });

  it('matches hashed [host]:port entries only on that port', () => {
    const { entries } = parseKnownHosts(hashedText);
    expect(lookupHostKeys(entries, '127.0.0.5', 2222).keys).toEqual([
      { type: 'ecdsa-sha2-nistp256', keyBase64: base64Of(ecdsa) },
    ]);
    expect(lookupHostKeys(entries, '127.0.0.5', 22).keys).toEqual([]);
  });

  it('separates plain keys, revoked keys and certificate authorities', () => {
    const { entries } = parseKnownHosts(hashedText);
    const web1 = lookupHostKeys(entries, 'web1', 22);
    expect(web1.keys).toEqual([{ type: 'ssh-ed25519', keyBase64: base64Of(ed25519) }]);
    expect(web1.revoked).toEqual([{ type: 'ecdsa-sha2-nistp256', keyBase64: base64Of(ecdsa) }]);
    const corp = lookupHostKeys(entries, 'db.corp', 22);
    expect(corp.keys).toEqual([]);
    expect(corp.certAuthorities).toHaveLength(1);
  });

  it('honours negated patterns and compares names in lower case, as ssh does', () => {
    const { entries } = parseKnownHosts(hashedText);
    expect(lookupHostKeys(entries, 'bad.example.org', 22).keys).toEqual([]);
    expect(lookupHostKeys(entries, 'WWW.Example.ORG', 22).keys).toHaveLength(1);
    expect(lookupHostKeys(entries, 'WEB1', 22).keys).toHaveLength(1);
  });
});

describe('fingerprintSha256', () => {
  it.each(['a', 'b'])('prints what ssh-keygen -lf prints for key %s', (name) => {
    const expected = keygen(['-l', '-E', 'sha256', '-f', join(dir, `${name}.pub`)]).split(' ')[1];
    const blob = Buffer.from(readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ')[1] ?? '', 'base64');
    expect(fingerprintSha256(blob)).toBe(expected);
    expect(fingerprintSha256(blob)).not.toMatch(/=$/);
  });

  it('reads the key type from a blob', () => {
    const blob = Buffer.from(base64Of(ed25519), 'base64');
    expect(keyTypeOfBlob(blob)).toBe('ssh-ed25519');
    expect(hostKeyFromBlob(blob)).toEqual({ type: 'ssh-ed25519', keyBase64: base64Of(ed25519) });
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1]))).toBeUndefined();
    expect(hostKeyFromBlob(Buffer.alloc(2))).toBeUndefined();
  });
});
