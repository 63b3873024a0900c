// Turns an ApiError's field issues into messages keyed by field path, for forms.
import { ApiError } from '../../../common/errors';

export interface FieldErrors {
  byField: Record<string, string>;
  general: string | undefined;
}

export function fieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError))
    return { byField: {}, general: error instanceof Error ? error.message : String(error) };
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  if (error.code !== 'invalid_input' || !issues?.length) return { byField: {}, general: error.message };
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.path] ??= issue.message;
  return { byField, general: undefined };
}
