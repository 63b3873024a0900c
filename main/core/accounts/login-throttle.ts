// Slows down, then locks out, repeated failed sign-ins — per account name and per address — kept in
// SQLite so that a restart does not hand an attacker a fresh allowance.
import type { Db } from '../store/database';

export interface ThrottlePolicy {
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** Failures of one account name allowed at full speed. */
  freeFailures: number;
  /**
   * Failures from one address allowed at full speed: more, since a team behind one NAT or a
   * reverse proxy on the same host shares an address.
   */
  addressFreeFailures: number;
  /** The wait after the first failure beyond the free ones; doubling with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures of one account name within the window that lock it. */
  lockAfter: number;
  /** Failures from one address (any names) within the window that lock the address. */
  addressLockAfter: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  freeFailures: 3,
  addressFreeFailures: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockAfter: 10,
  addressLockAfter: 50,
  lockMs: 15 * 60_000,
};

export type ThrottleVerdict =
  { ok: true } | { ok: false; code: 'rate_limited' | 'locked'; retryAfterMs: number; scope: string };

export const userScope = (name: string): string => `user:${name.trim().toLowerCase().slice(0, 64)}`;
export const addressScope = (address: string | undefined): string => `addr:${address ?? 'unknown'}`;

/** The wait required after `failures` failures in a scope (pure, for tests and messages). */
export function requiredDelayMs(failures: number, policy: ThrottlePolicy, scope = 'user:'): number {
  const free = scope.startsWith('addr:') ? policy.addressFreeFailures : policy.freeFailures;
  if (failures < free) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - free));
}

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  private failures(scope: string, now: number): { n: number; last: number | null } {
    const row = this.db
      .prepare('SELECT count(*) AS n, max(ts) AS last FROM login_failures WHERE scope = ? AND ts > ?')
      .get(scope, now - this.policy.windowMs) as { n: number; last: number | null };
    return row;
  }

  lockedUntil(scope: string, now: number): number | null {
    const row = this.db.prepare('SELECT until FROM lockouts WHERE scope = ?').get(scope) as
      { until: number } | undefined;
    return row && row.until > now ? row.until : null;
  }

  /** Whether an attempt may be checked at all right now. Checked before any password is hashed. */
  check(scopes: readonly string[], now: number): ThrottleVerdict {
    for (const scope of scopes) {
      const until = this.lockedUntil(scope, now);
      if (until !== null) return { ok: false, code: 'locked', retryAfterMs: until - now, scope };
    }
    for (const scope of scopes) {
      const { n, last } = this.failures(scope, now);
      const wait = requiredDelayMs(n, this.policy, scope);
      if (wait > 0 && last !== null && now - last < wait) {
        return { ok: false, code: 'rate_limited', retryAfterMs: wait - (now - last), scope };
      }
    }
    return { ok: true };
  }

  /** Records a failure in each scope; returns the scopes this failure locked. */
  fail(scopes: readonly string[], now: number): string[] {
    const locked: string[] = [];
    this.db.transaction(() => {
      const insert = this.db.prepare('INSERT INTO login_failures (scope, ts) VALUES (?, ?)');
      for (const scope of scopes) {
        insert.run(scope, now);
        const { n } = this.failures(scope, now + 1);
        const limit = scope.startsWith('addr:') ? this.policy.addressLockAfter : this.policy.lockAfter;
        if (n >= limit && this.lockedUntil(scope, now) === null) {
          this.db
            .prepare(
              'INSERT INTO lockouts (scope, until, since) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET until = excluded.until, since = excluded.since',
            )
            .run(scope, now + this.policy.lockMs, now);
          // The lockout now does the refusing: the failures that led to it start over afterwards.
          this.db.prepare('DELETE FROM login_failures WHERE scope = ?').run(scope);
          locked.push(scope);
        }
      }
    })();
    return locked;
  }

  /** A successful sign-in forgets that account's failures (an address keeps its own). */
  succeed(scope: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE scope = ?').run(scope);
  }

  /** An admin lifts a lockout. */
  unlock(scope: string): boolean {
    const lifted = this.db.prepare('DELETE FROM lockouts WHERE scope = ?').run(scope).changes === 1;
    this.db.prepare('DELETE FROM login_failures WHERE scope = ?').run(scope);
    return lifted;
  }

  /** Forgets failures and lockouts that no longer matter. */
  prune(now: number): void {
    this.db.prepare('DELETE FROM login_failures WHERE ts <= ?').run(now - this.policy.windowMs);
    this.db.prepare('DELETE FROM lockouts WHERE until <= ?').run(now);
  }
}
