// Typed failures of the secrets port: a reason, a sentence for a person, and the ref — never the value.
import { ApiError, type ErrorCode } from '../../../common/errors';

export type SecretErrorReason =
  /** The ref is not one of the shapes the port accepts. */
  | 'invalid_ref'
  /** The value to store is not text. */
  | 'invalid_value'
  /** A setting (HYPERION_SECRETS, HYPERION_SECRET_KEY) has a value the port cannot use. */
  | 'invalid_setting'
  /** keytar could not be loaded, or the OS keychain did not answer. */
  | 'keychain_unavailable'
  /** The key file is readable by other users, is not a regular file, or belongs to someone else. */
  | 'key_file_insecure'
  /** The key file or the secrets file could not be read or written. */
  | 'io_failed'
  /** The secrets file was written with another key. */
  | 'wrong_key'
  /** An entry failed its authentication check: the file was altered. */
  | 'tampered'
  /** The secrets file is not a Hyperion secrets file (truncated, hand-edited, another format). */
  | 'store_corrupt';

const API_CODES: Record<SecretErrorReason, ErrorCode> = {
  invalid_ref: 'invalid_input',
  invalid_value: 'invalid_input',
  invalid_setting: 'invalid_input',
  keychain_unavailable: 'unavailable',
  key_file_insecure: 'unavailable',
  io_failed: 'unavailable',
  wrong_key: 'unavailable',
  tampered: 'internal',
  store_corrupt: 'internal',
};

export interface SecretErrorDetails {
  reason: SecretErrorReason;
  /** Which secret the operation was about, when it was about one. */
  ref?: string;
  /** A file the failure concerns (key file, secrets file). */
  path?: string;
  /** The underlying library or system message; never contains a secret value. */
  cause?: string;
}

/**
 * An ApiError, so the RPC server passes it to the UI unchanged; `reason` says what went wrong in the
 * port's own words. Constructors take the ref and a sentence, never the secret value.
 */
export class SecretError extends ApiError {
  readonly reason: SecretErrorReason;
  declare readonly details: SecretErrorDetails;

  constructor(reason: SecretErrorReason, message: string, details: Omit<SecretErrorDetails, 'reason'> = {}) {
    super(API_CODES[reason], message, { reason, ...details });
    this.name = 'SecretError';
    this.reason = reason;
  }
}

/** The message of anything thrown, for a `cause` field. */
export function causeOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
