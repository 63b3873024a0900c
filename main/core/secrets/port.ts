// The secrets port: where SSH passwords, key passphrases and webhook URLs are kept, outside SQLite and logs.
import { z } from 'zod';
import { SecretError } from './errors';

/** Same rule as a HostId: 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit. */
const ID = '[a-z0-9][a-z0-9_-]{0,62}';
const REF_PATTERN = new RegExp(
  `^(?:host:${ID}:(?:password|passphrase)|channel:${ID}:(?:webhook|smtp-password|signing-secret)|user:${ID}:totp)$`,
);

/**
 * The name of one secret: `host:<hostId>:password`, `host:<hostId>:passphrase`, a notification
 * channel's `channel:<channelId>:webhook` (its URL), `:smtp-password` or `:signing-secret`, or an
 * account's `user:<username>:totp` (its 2FA shared secret). Branded, so a store accepts only refs
 * that went through this schema.
 */
export const SecretRef = z
  .string()
  .regex(
    REF_PATTERN,
    'a secret ref is host:<id>:password, host:<id>:passphrase, channel:<id>:webhook|smtp-password|signing-secret or user:<name>:totp',
  )
  .brand<'SecretRef'>();
export type SecretRef = z.infer<typeof SecretRef>;

export type SecretKind = 'password' | 'passphrase' | 'webhook' | 'smtp-password' | 'signing-secret' | 'totp';

/** Validates a ref from outside (a file, an RPC input); throws a SecretError `invalid_ref` otherwise. */
export function parseSecretRef(value: string): SecretRef {
  const parsed = SecretRef.safeParse(value);
  if (!parsed.success) {
    throw new SecretError(
      'invalid_ref',
      'That is not a secret name Hyperion uses: expected host:<id>:password, host:<id>:passphrase, channel:<id>:webhook|smtp-password|signing-secret or user:<name>:totp.',
      { ref: value.slice(0, 200) },
    );
  }
  return parsed.data;
}

export const hostPasswordRef = (hostId: string): SecretRef => parseSecretRef(`host:${hostId}:password`);
export const hostPassphraseRef = (hostId: string): SecretRef => parseSecretRef(`host:${hostId}:passphrase`);
export const channelWebhookRef = (channelId: string): SecretRef =>
  parseSecretRef(`channel:${channelId}:webhook`);
export const channelSmtpPasswordRef = (channelId: string): SecretRef =>
  parseSecretRef(`channel:${channelId}:smtp-password`);
export const channelSigningSecretRef = (channelId: string): SecretRef =>
  parseSecretRef(`channel:${channelId}:signing-secret`);
export const userTotpRef = (username: string): SecretRef => parseSecretRef(`user:${username}:totp`);

/** What a ref names, for messages and for the UI ("the password of host web-1"). */
export function describeSecretRef(ref: SecretRef): {
  owner: 'host' | 'channel' | 'user';
  id: string;
  kind: SecretKind;
} {
  const [owner, id, kind] = ref.split(':') as ['host' | 'channel' | 'user', string, SecretKind];
  return { owner, id, kind };
}

export type SecretStoreKind = 'os-keychain' | 'encrypted-file';

/**
 * Where secrets live. Implementations never log a value and never put one in an error: failures are
 * SecretErrors that name the ref.
 */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** A sentence for the UI: which store is in use and where. */
  readonly description: string;
  /** The value, or undefined when nothing is stored under that ref. */
  get(ref: SecretRef): Promise<string | undefined>;
  set(ref: SecretRef, value: string): Promise<void>;
  /** True when something was stored under that ref and is now gone. */
  delete(ref: SecretRef): Promise<boolean>;
}
