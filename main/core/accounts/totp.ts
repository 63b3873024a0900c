// Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) with node:crypto's HMAC, and the
// base32 text authenticator apps read.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  /** Seconds per step (RFC 6238's X); 30 everywhere authenticator apps are concerned. */
  periodSec: number;
  digits: 6 | 7 | 8;
  algorithm: TotpAlgorithm;
}

/** What every common authenticator app (Google, Microsoft, Aegis, 1Password, …) assumes. */
export const DEFAULT_TOTP: TotpParams = { periodSec: 30, digits: 6, algorithm: 'sha1' };

/**
 * Steps either side of now that are accepted: one, as RFC 6238 §5.2 recommends, so a code typed
 * just as it changes, or a phone clock a few seconds off, still works.
 */
export const TOTP_WINDOW = 1;

/** HOTP (RFC 4226 §5.3): HMAC of the 8-byte big-endian counter, dynamically truncated. */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('the HOTP counter must be ≥ 0');
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** The RFC 6238 time step T for a moment (ms since the epoch). */
export function totpCounter(nowMs: number, periodSec = DEFAULT_TOTP.periodSec): number {
  return Math.floor(nowMs / 1000 / periodSec);
}

export function totp(key: Buffer, nowMs: number, params: TotpParams = DEFAULT_TOTP): string {
  return hotp(key, totpCounter(nowMs, params.periodSec), params.digits, params.algorithm);
}

export interface TotpCheck {
  /** The counter the code matched, to refuse it next time (RFC 6238 §5.2: no second use). */
  counter: number;
}

/**
 * Checks a code against the steps around now. Returns the matched counter, or undefined when it
 * matches none of them, or only a step at or before `lastUsedCounter` (a replayed code).
 */
export function verifyTotp(
  key: Buffer,
  code: string,
  nowMs: number,
  options: { lastUsedCounter?: number; window?: number; params?: TotpParams } = {},
): TotpCheck | undefined {
  const params = options.params ?? DEFAULT_TOTP;
  const window = options.window ?? TOTP_WINDOW;
  const typed = code.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${params.digits}}$`).test(typed)) return undefined;
  const now = totpCounter(nowMs, params.periodSec);
  let matched: number | undefined;
  // Every step is computed and compared in constant time, so timing says nothing about which matched.
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotp(key, step, params.digits, params.algorithm));
    if (timingSafeEqual(expected, Buffer.from(typed)) && matched === undefined) matched = step;
  }
  if (matched === undefined) return undefined;
  if (options.lastUsedCounter !== undefined && matched <= options.lastUsedCounter) return undefined;
  return { counter: matched };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: the form of `secret=` in otpauth:// URIs. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Reads base32 as people type it: any case, spaces and dashes ignored, padding optional. */
export function base32Decode(text: string): Buffer {
  const clean = text
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`"${char}" is not a base32 character`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new shared secret: 20 bytes, the HMAC-SHA1 block RFC 4226 recommends (160 bits). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI that authenticator apps read from a QR code (Google's Key Uri Format). */
export function otpauthUri(secret: string, account: string, issuer: string, params = DEFAULT_TOTP): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: params.algorithm.toUpperCase(),
    digits: String(params.digits),
    period: String(params.periodSec),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
