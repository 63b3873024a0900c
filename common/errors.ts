// Errors as values the UI can show: a stable code, a sentence for a person, details for a log.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_input',
  'invalid_message',
  'unknown_method',
  'unknown_stream',
  'unauthorized',
  'forbidden',
  /** A dangerous action needs a fresh 2FA confirmation (accounts.stepUp), then the same call again. */
  'step_up_required',
  /** The app is locked after idle time: accounts.unlock first. */
  'locked',
  'not_found',
  'conflict',
  'unavailable',
  'timeout',
  'disconnected',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details);
  }
}

/** Turns anything thrown into an ApiError; unknown failures become `internal` without leaking stacks. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('internal', 'Something went wrong inside Hyperion.', { cause: message });
}

/** Flattens zod issues into `{path, message}` pairs so a form can point at the field. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
