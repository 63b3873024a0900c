// Failures of signing in and of account changes: a code, a sentence for the person, and how long to
// wait when it is a matter of time. The HTTP endpoints and the contract each map them their own way.
import type { z } from 'zod';
import { ApiError } from '../../../common/errors';
import type { AuthError, AuthErrorCode } from '../../../common/schemas/accounts';

export type AccountErrorCode = z.infer<typeof AuthErrorCode>;

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    /** The input field the problem is about, for a form. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }

  toJSON(): AuthError {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.field ? { issues: [{ path: this.field, message: this.message }] } : {}),
    };
  }

  /** The same failure as an API error (over the WebSocket or IPC). */
  toApiError(): ApiError {
    const details: Record<string, unknown> = {};
    if (this.retryAfterMs !== undefined) details.retryAfterMs = this.retryAfterMs;
    if (this.field) details.issues = [{ path: this.field, message: this.message }];
    const hasDetails = Object.keys(details).length > 0 ? details : undefined;
    switch (this.code) {
      case 'invalid_input':
      case 'invalid_credentials':
      case 'invalid_code':
        return new ApiError('invalid_input', this.message, hasDetails);
      case 'rate_limited':
      case 'locked':
        return new ApiError('unavailable', this.message, hasDetails);
      case 'not_found':
        return new ApiError('not_found', this.message, hasDetails);
      case 'forbidden':
      case 'setup_done':
        return new ApiError('forbidden', this.message, hasDetails);
      case 'expired':
        return new ApiError('unauthorized', this.message, hasDetails);
      default:
        return new ApiError('internal', this.message, hasDetails);
    }
  }
}

/** "in 42 s", "in 3 min" — for retry messages. */
export function inWords(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 90) return `in ${s} s`;
  return `in ${Math.ceil(s / 60)} min`;
}
