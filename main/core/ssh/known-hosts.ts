// Reads OpenSSH known_hosts text (plain, hashed `|1|…`, `@revoked`, `@cert-authority`) and finds a host's keys.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { knownHostsName, matchPatternList } from './host-pattern';

/** A public host key as known_hosts writes it: the algorithm name and the base64 wire blob. */
export interface HostKey {
  type: string;
  keyBase64: string;
}

export type KnownHostsMarker = 'revoked' | 'cert-authority';

export type KnownHostsHosts =
  { kind: 'hashed'; salt: Buffer; hash: Buffer } | { kind: 'patterns'; patterns: string[] };

export interface KnownHostsEntry {
  /** 1-based line number, for messages that point at the file. */
  line: number;
  marker?: KnownHostsMarker;
  hosts: KnownHostsHosts;
  key: HostKey;
  comment?: string;
}

export interface KnownHostsParse {
  entries: KnownHostsEntry[];
  /** Lines that are neither entries nor comments, with the reason they were left out. */
  skipped: { line: number; reason: string }[];
}

export interface HostKeyLookup {
  /** Plain keys listed for the host: any of them proves its identity. */
  keys: HostKey[];
  /** Keys marked `@revoked` for the host: such a key must be refused even if listed elsewhere. */
  revoked: HostKey[];
  /** `@cert-authority` keys: they vouch for host certificates, never for a plain key. */
  certAuthorities: HostKey[];
}

const MARKERS: Record<string, KnownHostsMarker> = {
  '@revoked': 'revoked',
  '@cert-authority': 'cert-authority',
};

export function parseKnownHosts(text: string): KnownHostsParse {
  const entries: KnownHostsEntry[] = [];
  const skipped: KnownHostsParse['skipped'] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, line);
    if ('reason' in parsed) skipped.push({ line, reason: parsed.reason });
    else entries.push(parsed);
  });
  return { entries, skipped };
}

function parseLine(text: string, line: number): KnownHostsEntry | { reason: string } {
  const fields = text.split(/[ \t]+/);
  let marker: KnownHostsMarker | undefined;
  if (fields[0]?.startsWith('@')) {
    marker = MARKERS[fields[0].toLowerCase()];
    if (!marker) return { reason: `unknown marker ${fields[0]}` };
    fields.shift();
  }
  const [hostField, type, keyBase64, ...rest] = fields;
  if (!hostField || !type || !keyBase64) return { reason: 'expected hosts, key type and key' };
  if (/^\d+$/.test(type)) return { reason: 'SSH protocol 1 (RSA1) key, no longer used' };
  const hosts = parseHosts(hostField);
  if (!hosts) return { reason: 'malformed hashed host name' };
  const blob = decodeBase64Strict(keyBase64);
  if (!blob) return { reason: 'key is not valid base64' };
  const blobType = keyTypeOfBlob(blob);
  if (blobType !== type)
    return { reason: `key type ${type} does not match the key (${blobType ?? 'unreadable'})` };
  const entry: KnownHostsEntry = { line, hosts, key: { type, keyBase64 } };
  if (marker) entry.marker = marker;
  if (rest.length > 0) entry.comment = rest.join(' ');
  return entry;
}

function parseHosts(field: string): KnownHostsHosts | undefined {
  if (!field.startsWith('|')) return { kind: 'patterns', patterns: field.split(',').filter((p) => p) };
  // Only scheme 1 exists: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
  const [, scheme, salt64, hash64, extra] = field.split('|');
  if (scheme !== '1' || !salt64 || !hash64 || extra !== undefined) return undefined;
  const salt = decodeBase64Strict(salt64);
  const hash = decodeBase64Strict(hash64);
  if (!salt || !hash || hash.length !== 20) return undefined;
  return { kind: 'hashed', salt, hash };
}

/** Everything known_hosts says about `host` on `port` (names are matched as `[host]:port` off port 22). */
export function lookupHostKeys(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
): HostKeyLookup {
  const result: HostKeyLookup = { keys: [], revoked: [], certAuthorities: [] };
  for (const entry of matchingEntries(entries, host, port)) {
    if (entry.marker === 'revoked') result.revoked.push(entry.key);
    else if (entry.marker === 'cert-authority') result.certAuthorities.push(entry.key);
    else result.keys.push(entry.key);
  }
  return result;
}

/** The entries whose host field names `host` on `port` (host names compared in lower case, as ssh does). */
export function matchingEntries(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
): KnownHostsEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((entry) => hostsMatch(entry.hosts, name));
}

function hostsMatch(hosts: KnownHostsHosts, name: string): boolean {
  if (hosts.kind === 'patterns') return matchPatternList(hosts.patterns, name);
  const expected = createHmac('sha1', hosts.salt).update(name).digest();
  return timingSafeEqual(expected, hosts.hash);
}

/** `SHA256:` and the unpadded base64 digest of the key blob, exactly as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH wire-format key blob (`ssh-ed25519`, …). */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  const type = blob.toString('latin1', 4, 4 + length);
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** The known_hosts form of a key blob, or undefined when the blob is not an SSH public key. */
export function hostKeyFromBlob(blob: Buffer): HostKey | undefined {
  const type = keyTypeOfBlob(blob);
  return type ? { type, keyBase64: blob.toString('base64') } : undefined;
}

/** True when two keys are the same key (same algorithm and same blob). */
export function sameHostKey(a: HostKey, b: HostKey): boolean {
  return a.type === b.type && Buffer.from(a.keyBase64, 'base64').equals(Buffer.from(b.keyBase64, 'base64'));
}

function decodeBase64Strict(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const buffer = Buffer.from(text, 'base64');
  return buffer.length > 0 ? buffer : undefined;
}
