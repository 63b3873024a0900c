// AES-256-GCM for one secret: a fresh 12-byte IV per entry, a full 16-byte tag, the ref bound in as AAD.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SecretError } from './errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** One encrypted value as stored in the file. */
export const EncryptedEntry = z.object({ iv: Base64, tag: Base64, data: Base64 });
export type EncryptedEntry = z.infer<typeof EncryptedEntry>;

/**
 * The ref is authenticated data: an entry moved under another ref fails its check, so nobody can
 * swap a webhook URL into a host's password slot by editing the file.
 */
export function encryptEntry(key: Buffer, ref: string, value: string): EncryptedEntry {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(ref, 'utf8'));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The plaintext, or a SecretError `tampered`: a failed check never yields bytes. */
export function decryptEntry(key: Buffer, ref: string, entry: EncryptedEntry): string {
  const iv = Buffer.from(entry.iv, 'base64');
  const tag = Buffer.from(entry.tag, 'base64');
  // Node accepts shorter GCM tags unless told otherwise; a short tag would be easy to forge.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw tampered(ref);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(ref, 'utf8'));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    throw tampered(ref);
  }
}

function tampered(ref: string): SecretError {
  return new SecretError(
    'tampered',
    `The stored secret ${ref} failed its integrity check: the secrets file was altered or damaged. Store it again.`,
    { ref },
  );
}

/**
 * A fingerprint of the key (HMAC of a fixed label), stored beside the entries so that a wrong key is
 * reported as such instead of as damage. It reveals nothing usable about the key.
 */
export function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('hyperion secrets key check v1').digest('base64');
}

export function keyMatches(key: Buffer, check: string): boolean {
  const expected = Buffer.from(keyCheck(key), 'base64');
  const actual = Buffer.from(check, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
