// Awaits a promise that must fail with an ApiError, and returns that error for closer checks.
import { ApiError } from '../../common/errors';

export async function apiFailure(promise: Promise<unknown>): Promise<ApiError> {
  const outcome = await promise.then(
    (value: unknown) => ({ settled: 'resolved' as const, value }),
    (error: unknown) => ({ settled: 'rejected' as const, error }),
  );
  if (outcome.settled === 'resolved') {
    throw new Error(`expected an ApiError, got the result ${JSON.stringify(outcome.value)}`);
  }
  if (!(outcome.error instanceof ApiError)) {
    throw new Error(`expected an ApiError, got ${String(outcome.error)}`);
  }
  return outcome.error;
}

/** The field paths of an invalid_input error's issues. */
export function issuePaths(error: ApiError): string[] {
  const details = error.details as { issues?: { path: string }[] } | undefined;
  return (details?.issues ?? []).map((issue) => issue.path);
}
