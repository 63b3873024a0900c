// Reconnect delays: exponential growth with "full jitter", so many hosts that dropped together spread out.

export interface BackoffOptions {
  /** Ceiling of the first delay (ms). */
  initialMs: number;
  /** Largest ceiling (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Delay before retry number `attempt` (1 for the first retry): a uniform pick in
 * [0, min(maxMs, initialMs · 2^(attempt−1))). `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const pick = Math.min(Math.max(random(), 0), 1);
  return Math.floor(pick * ceiling);
}
