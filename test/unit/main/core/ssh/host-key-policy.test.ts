// Host key decisions: trusted, unknown (show the fingerprint) or mismatch/revoked (refuse, name both keys).
import { createHmac, randomBytes } from 'node:crypto';
import { utils } from 'ssh2';
import {
  createHostKeyCheck,
  decideHostKey,
  DEFAULT_HOST_KEY_ALGORITHMS,
  hostPortId,
  preferredHostKeyAlgorithms,
  type KnownKey,
  type KnownKeyStore,
} from '../../../../../main/core/ssh/host-key-policy';
import { fingerprintSha256, parseKnownHosts, type HostKey } from '../../../../../main/core/ssh/known-hosts';

function newKey(type: 'ed25519' | 'ecdsa'): HostKey {
  const pair =
    type === 'ecdsa'
      ? utils.generateKeyPairSync('ecdsa', { bits: 256 })
      : utils.generateKeyPairSync('ed25519');
  const [keyType = '', keyBase64 = ''] = pair.public.split(' ');
  return { type: keyType, keyBase64 };
}

const fp = (key: HostKey) => fingerprintSha256(Buffer.from(key.keyBase64, 'base64'));
const line = (hosts: string, key: HostKey, marker = '') => `${marker}${hosts} ${key.type} ${key.keyBase64}`;

function hashed(name: string): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

function storeWith(entries: Record<string, KnownKey[]> = {}): KnownKeyStore {
  return { get: (hostPort) => entries[hostPort] ?? [] };
}

const oldKey = newKey('ed25519');
const newEd = newKey('ed25519');
const ecdsa = newKey('ecdsa');

describe('decideHostKey', () => {
  it('trusts a key in our own store', () => {
    const store = storeWith({ '127.0.0.5:2222': [oldKey] });
    const decision = decideHostKey({ host: '127.0.0.5', port: 2222, store, knownHosts: [] }, oldKey);
    expect(decision).toMatchObject({ verdict: 'trusted', trustedBy: 'hyperion', revoked: false });
    expect(decision.presented.fingerprint).toBe(fp(oldKey));
    expect(decision.failure).toBeUndefined();
  });

  it('trusts a key from a hashed known_hosts [host]:port entry, and only on that port', () => {
    const { entries } = parseKnownHosts(line(hashed('[127.0.0.5]:2222'), oldKey));
    const input = { host: '127.0.0.5', store: storeWith(), knownHosts: entries };
    expect(decideHostKey({ ...input, port: 2222 }, oldKey)).toMatchObject({
      verdict: 'trusted',
      trustedBy: 'known_hosts',
    });
    expect(decideHostKey({ ...input, port: 22 }, oldKey).verdict).toBe('unknown');
  });

  it('calls a host with no entry unknown and gives the fingerprint to show', () => {
    const decision = decideHostKey({ host: 'web1', port: 22, store: storeWith(), knownHosts: [] }, oldKey);
    expect(decision.verdict).toBe('unknown');
    expect(decision.failure?.code).toBe('host_key_unknown');
    expect(decision.failure?.message).toContain(fp(oldKey));
    expect(decision.failure?.message).toContain('web1:22');
  });

  it('refuses a different key of the same type, naming expected and presented fingerprints', () => {
    const store = storeWith({ 'web1:22': [oldKey] });
    const decision = decideHostKey({ host: 'web1', port: 22, store, knownHosts: [] }, newEd);
    expect(decision.verdict).toBe('mismatch');
    expect(decision.revoked).toBe(false);
    expect(decision.expected).toEqual([{ type: 'ssh-ed25519', fingerprint: fp(oldKey), source: 'hyperion' }]);
    expect(decision.failure?.code).toBe('host_key_mismatch');
    expect(decision.failure?.message).toContain(fp(oldKey));
    expect(decision.failure?.message).toContain(fp(newEd));
  });

  it('treats a new key type as unknown, mentioning the types on record', () => {
    const { entries } = parseKnownHosts(line('web1', ecdsa));
    const decision = decideHostKey(
      { host: 'web1', port: 22, store: storeWith(), knownHosts: entries },
      newEd,
    );
    expect(decision.verdict).toBe('unknown');
    expect(decision.failure?.message).toContain('ecdsa-sha2-nistp256');
  });

  it('refuses a key revoked in known_hosts even when it is also listed as valid', () => {
    const { entries } = parseKnownHosts([line('*', oldKey, '@revoked '), line('web1', oldKey)].join('\n'));
    const decision = decideHostKey(
      { host: 'web1', port: 22, store: storeWith(), knownHosts: entries },
      oldKey,
    );
    expect(decision).toMatchObject({ verdict: 'mismatch', revoked: true });
    expect(decision.failure?.code).toBe('host_key_revoked');
    expect(decision.failure?.message).toContain(fp(oldKey));
  });

  it('refuses a key revoked in our own store', () => {
    const store = storeWith({ 'web1:22': [{ ...oldKey, revoked: true }] });
    const decision = decideHostKey({ host: 'web1', port: 22, store, knownHosts: [] }, oldKey);
    expect(decision).toMatchObject({ verdict: 'mismatch', revoked: true });
  });

  it('ignores @cert-authority lines when judging a plain key', () => {
    const { entries } = parseKnownHosts(line('*', oldKey, '@cert-authority '));
    const decision = decideHostKey(
      { host: 'web1', port: 22, store: storeWith(), knownHosts: entries },
      oldKey,
    );
    expect(decision.verdict).toBe('unknown');
  });

  it('never trusts a blob that is not a key', () => {
    const check = createHostKeyCheck({ host: 'web1', port: 22, store: storeWith(), knownHosts: [] });
    expect(check(Buffer.from('nonsense')).verdict).toBe('unknown');
    expect(check(Buffer.from(oldKey.keyBase64, 'base64')).presented.type).toBe('ssh-ed25519');
  });
});

describe('hostPortId and preferredHostKeyAlgorithms', () => {
  it('builds store keys', () => {
    expect(hostPortId('Web1', 22)).toBe('web1:22');
    expect(hostPortId('::1', 2222)).toBe('[::1]:2222');
  });

  it('asks first for the key types already on record', () => {
    const { entries } = parseKnownHosts(line('web1', ecdsa));
    const input = { host: 'web1', port: 22, store: storeWith(), knownHosts: entries };
    expect(preferredHostKeyAlgorithms(input, DEFAULT_HOST_KEY_ALGORITHMS)[0]).toBe('ecdsa-sha2-nistp256');
    const rsaStore = storeWith({ 'web1:22': [{ type: 'ssh-rsa', keyBase64: 'AAAA' }] });
    expect(
      preferredHostKeyAlgorithms(
        { ...input, knownHosts: [], store: rsaStore },
        DEFAULT_HOST_KEY_ALGORITHMS,
      ).slice(0, 3),
    ).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(preferredHostKeyAlgorithms({ ...input, knownHosts: [] }, DEFAULT_HOST_KEY_ALGORITHMS)).toEqual([
      ...DEFAULT_HOST_KEY_ALGORITHMS,
    ]);
  });
});
