// What can go wrong on an SSH connection, as values: a stable code, a sentence for a person, details for a log.
import { ApiError, type ErrorCode } from '../../../common/errors';

export type SshFailureCode =
  | 'auth_failed'
  | 'no_credentials'
  | 'key_unreadable'
  | 'host_key_unknown'
  | 'host_key_mismatch'
  | 'host_key_revoked'
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'network'
  | 'connection_lost'
  | 'protocol'
  | 'not_connected'
  | 'channel_failed';

export interface SshFailure {
  code: SshFailureCode;
  /** A sentence a person understands, naming the host. */
  message: string;
  /** For the log: the library's own error text, fingerprints, … Never a credential. */
  details?: Record<string, unknown>;
}

export type SshResult<T> = { ok: true; value: T } | { ok: false; error: SshFailure };

export function sshFailure(
  code: SshFailureCode,
  message: string,
  details?: Record<string, unknown>,
): SshFailure {
  return details === undefined ? { code, message } : { code, message, details };
}

const API_CODES: Record<SshFailureCode, ErrorCode> = {
  auth_failed: 'unauthorized',
  no_credentials: 'unauthorized',
  key_unreadable: 'unauthorized',
  host_key_unknown: 'forbidden',
  host_key_mismatch: 'forbidden',
  host_key_revoked: 'forbidden',
  refused: 'unavailable',
  timeout: 'timeout',
  dns: 'unavailable',
  network: 'unavailable',
  connection_lost: 'disconnected',
  protocol: 'unavailable',
  not_connected: 'disconnected',
  channel_failed: 'unavailable',
};

/** The API's error for an SSH failure; the SSH code travels in details so the UI can be specific. */
export function sshFailureToApiError(failure: SshFailure): ApiError {
  return new ApiError(API_CODES[failure.code], failure.message, {
    sshCode: failure.code,
    ...failure.details,
  });
}
