// Decides whether a host key a server presents is trusted, unknown (ask the person) or a mismatch (refuse).
import { hostKeyFromBlob, fingerprintSha256, lookupHostKeys, sameHostKey, type HostKey } from './known-hosts';
import type { KnownHostsEntry } from './known-hosts';
import { sshFailure, type SshFailure } from './ssh-errors';

/** A key in Hyperion's own store; `revoked` keys are refused like known_hosts `@revoked` lines. */
export interface KnownKey extends HostKey {
  revoked?: boolean;
}

/** Hyperion's own accepted keys, keyed by `hostPortId(host, port)`. The SQLite side implements it. */
export interface KnownKeyStore {
  get(hostPort: string): readonly KnownKey[];
}

export type HostKeyVerdict = 'trusted' | 'unknown' | 'mismatch';

export interface PresentedHostKey extends HostKey {
  /** `SHA256:…` as `ssh-keygen -lf` prints it: what the person compares. */
  fingerprint: string;
}

export type HostKeySource = 'hyperion' | 'known_hosts';

export interface ExpectedHostKey {
  type: string;
  fingerprint: string;
  source: HostKeySource;
}

export interface HostKeyDecision {
  verdict: HostKeyVerdict;
  presented: PresentedHostKey;
  /** Where the matching key was found (trusted only). */
  trustedBy?: HostKeySource;
  /** Keys on record for this host with the presented key's type (mismatch) or any type (unknown). */
  expected: ExpectedHostKey[];
  revoked: boolean;
  /** Present unless trusted: what to tell the person. */
  failure?: SshFailure;
}

export interface HostKeyPolicyInput {
  host: string;
  port: number;
  store: KnownKeyStore;
  /** Parsed ~/.ssh/known_hosts entries (empty when the file is absent). */
  knownHosts: readonly KnownHostsEntry[];
}

/** The store key for a host and port: `host:port`, `[v6]:port` for IPv6 literals, lower case. */
export function hostPortId(host: string, port: number): string {
  const lower = host.toLowerCase();
  return lower.includes(':') ? `[${lower}]:${port}` : `${lower}:${port}`;
}

export function presentedHostKey(key: HostKey): PresentedHostKey {
  return { ...key, fingerprint: fingerprintSha256(Buffer.from(key.keyBase64, 'base64')) };
}

interface SourcedKey {
  key: HostKey;
  source: HostKeySource;
}

export function decideHostKey(input: HostKeyPolicyInput, key: HostKey): HostKeyDecision {
  const presented = presentedHostKey(key);
  const label = hostPortId(input.host, input.port);
  const own = input.store.get(label);
  const system = lookupHostKeys(input.knownHosts, input.host, input.port);
  const revokedKeys: SourcedKey[] = [
    ...own.filter((k) => k.revoked).map((k) => ({ key: k, source: 'hyperion' as const })),
    ...system.revoked.map((k) => ({ key: k, source: 'known_hosts' as const })),
  ];
  const validKeys: SourcedKey[] = [
    ...own.filter((k) => !k.revoked).map((k) => ({ key: k, source: 'hyperion' as const })),
    ...system.keys.map((k) => ({ key: k, source: 'known_hosts' as const })),
  ];
  const expectedOf = (keys: SourcedKey[]): ExpectedHostKey[] =>
    keys.map(({ key: k, source }) => ({
      type: k.type,
      fingerprint: presentedHostKey(k).fingerprint,
      source,
    }));

  const revokedMatch = revokedKeys.find((k) => sameHostKey(k.key, presented));
  if (revokedMatch) {
    return {
      verdict: 'mismatch',
      presented,
      expected: expectedOf(validKeys.filter((k) => k.key.type === presented.type)),
      revoked: true,
      failure: sshFailure(
        'host_key_revoked',
        `${label} presented a ${presented.type} host key (${presented.fingerprint}) that is marked as revoked ` +
          `in ${revokedMatch.source === 'hyperion' ? "Hyperion's known keys" : '~/.ssh/known_hosts'}. ` +
          'Hyperion refused to connect and sent no credentials.',
        { presented: presented.fingerprint, revokedIn: revokedMatch.source },
      ),
    };
  }

  const match = validKeys.find((k) => sameHostKey(k.key, presented));
  if (match) return { verdict: 'trusted', presented, trustedBy: match.source, expected: [], revoked: false };

  const sameType = validKeys.filter((k) => k.key.type === presented.type);
  if (sameType.length > 0) {
    const expected = expectedOf(sameType);
    const fingerprints = [...new Set(expected.map((e) => e.fingerprint))].join(' or ');
    return {
      verdict: 'mismatch',
      presented,
      expected,
      revoked: false,
      failure: sshFailure(
        'host_key_mismatch',
        `The ${presented.type} host key of ${label} has changed: expected ${fingerprints}, ` +
          `but the server presented ${presented.fingerprint}. This can mean the server was reinstalled, ` +
          'or that someone is intercepting the connection. Hyperion refused to connect and sent no credentials; ' +
          'review the key before trusting it.',
        { expected: expected.map((e) => e.fingerprint), presented: presented.fingerprint },
      ),
    };
  }

  const otherTypes = expectedOf(validKeys);
  const note =
    otherTypes.length > 0
      ? ` Keys of another type are on record for this host (${[...new Set(otherTypes.map((e) => e.type))].join(', ')}).`
      : '';
  return {
    verdict: 'unknown',
    presented,
    expected: otherTypes,
    revoked: false,
    failure: sshFailure(
      'host_key_unknown',
      `${label} is not known yet. Its ${presented.type} host key fingerprint is ${presented.fingerprint}: ` +
        `compare it with the server's, then accept it to connect.${note}`,
      { presented: presented.fingerprint },
    ),
  };
}

/** A decision for a raw key blob as ssh2 hands it over; a blob that is not a key is never trusted. */
export function decideHostKeyBlob(input: HostKeyPolicyInput, blob: Buffer): HostKeyDecision {
  const key = hostKeyFromBlob(blob) ?? { type: 'unreadable', keyBase64: blob.toString('base64') };
  return decideHostKey(input, key);
}

/** The connection's host-key callback for one host, bound to the current store and known_hosts. */
export function createHostKeyCheck(input: HostKeyPolicyInput): (blob: Buffer) => HostKeyDecision {
  return (blob) => decideHostKeyBlob(input, blob);
}

const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** ssh2's host key algorithms, in its default order. */
export const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

/**
 * Host key algorithms with the types already on record first, so a host known by its RSA key is not
 * asked for its ed25519 key (which would look unknown). Mirrors what OpenSSH's client does.
 */
export function preferredHostKeyAlgorithms<T extends string>(
  input: HostKeyPolicyInput,
  defaults: readonly T[],
): T[] {
  const known = [
    ...input.store.get(hostPortId(input.host, input.port)).filter((k) => !k.revoked),
    ...lookupHostKeys(input.knownHosts, input.host, input.port).keys,
  ].flatMap((k) => ALGORITHMS_BY_KEY_TYPE[k.type] ?? [k.type]);
  const first = defaults.filter((a) => known.includes(a));
  return [...first, ...defaults.filter((a) => !first.includes(a))];
}
