// Random credentials (session cookies, access keys, setup links, recovery codes) and the one-way
// digests they are stored as: a leaked database holds nothing that signs anyone in.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL- and cookie-safe. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A short public id for a session or key (shown in lists; grants nothing). */
export function newPublicId(): string {
  return randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();
}

/** Access keys are recognisable in a config file or a leak scanner. */
export const ACCESS_KEY_PREFIX = 'hyk_';
export function newAccessKey(): string {
  return `${ACCESS_KEY_PREFIX}${newToken(32)}`;
}

/**
 * SHA-256 is enough for these: each is 50 to 256 random bits, so there is nothing to guess from a
 * digest (slow hashes are for passwords people choose).
 */
export function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Recovery codes avoid letters people confuse (0/O, 1/I/L) — 31 symbols, ~5 bits each. */
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RECOVERY_CODE_COUNT = 10;

/** "XXXXX-XXXXX": 10 symbols, about 50 bits. */
export function newRecoveryCode(): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    if (i === 5) out += '-';
    out += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  }
  return out;
}

/** How a typed recovery code is compared: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(typed: string): string {
  const clean = typed.toUpperCase().replace(/[\s-]+/g, '');
  return clean.length === 10 ? `${clean.slice(0, 5)}-${clean.slice(5)}` : clean;
}
