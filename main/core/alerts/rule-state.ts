// The life of one alert (a rule on one series): ok → pending → firing → resolved, with the `for`
// duration, the clear threshold (hysteresis) and the clear duration. Pure and allocation-free: the
// live engine runs it on every sample and the backtest replays history through the same code.
import type { Comparison, ParsedAlertRule } from '../../../common/schemas/alerts';

export const OK = 0;
export const PENDING = 1;
export const FIRING = 2;
export type Phase = typeof OK | typeof PENDING | typeof FIRING;

export const NONE = 0;
export const BECAME_PENDING = 1;
/** Pending, then the value went back before `for` was reached: nothing to record. */
export const CANCELLED = 2;
export const FIRED = 3;
export const RESOLVED = 4;
export type Transition =
  typeof NONE | typeof BECAME_PENDING | typeof CANCELLED | typeof FIRED | typeof RESOLVED;

const OPS: Record<Comparison, number> = { '>': 0, '>=': 1, '<': 2, '<=': 3 };

/** What the evaluation needs of a rule, in numbers. */
export interface RuleCondition {
  op: number;
  threshold: number;
  clear: number;
  forMs: number;
  clearForMs: number;
}

export function conditionOf(
  rule: Pick<ParsedAlertRule, 'comparison' | 'threshold' | 'clearThreshold' | 'forSec' | 'clearForSec'>,
): RuleCondition {
  return {
    op: OPS[rule.comparison],
    threshold: rule.threshold,
    clear: rule.clearThreshold ?? rule.threshold,
    forMs: rule.forSec * 1000,
    clearForMs: rule.clearForSec * 1000,
  };
}

/** Whether `value` is on the alerting side of `limit` for comparison `op`. */
export function holds(op: number, value: number, limit: number): boolean {
  switch (op) {
    case 0:
      return value > limit;
    case 1:
      return value >= limit;
    case 2:
      return value < limit;
    default:
      return value <= limit;
  }
}

export interface AlertInstanceState {
  phase: Phase;
  /** When the condition began to hold (start of pending). */
  since: number;
  firedAt: number;
  /** When the value crossed back past the clear threshold while firing (for clearFor), or -1. */
  clearingSince: number;
  value: number;
  /** The worst value since it began. */
  peak: number;
  /** Time of the last value seen. */
  lastSeen: number;
}

export function newInstanceState(): AlertInstanceState {
  return { phase: OK, since: 0, firedAt: 0, clearingSince: -1, value: NaN, peak: NaN, lastSeen: 0 };
}

function worse(op: number, a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  return op <= 1 ? Math.max(a, b) : Math.min(a, b);
}

/**
 * One value at time `ts`. The alert fires once the condition has held for `forMs` (at the first
 * value at or after since + forMs; immediately when forMs is 0). While firing it stays until the
 * value leaves the clear side — for "≥ 90, clear 85" it resolves only below 85 — and has stayed
 * out for clearForMs.
 */
export function step(s: AlertInstanceState, c: RuleCondition, value: number, ts: number): Transition {
  s.value = value;
  s.lastSeen = ts;
  const phase = s.phase;
  if (phase === FIRING) {
    s.peak = worse(c.op, s.peak, value);
    if (holds(c.op, value, c.clear)) {
      s.clearingSince = -1;
      return NONE;
    }
    if (s.clearingSince < 0) s.clearingSince = ts;
    if (ts - s.clearingSince >= c.clearForMs) {
      s.phase = OK;
      s.clearingSince = -1;
      return RESOLVED;
    }
    return NONE;
  }
  if (!holds(c.op, value, c.threshold)) {
    if (phase === PENDING) {
      s.phase = OK;
      return CANCELLED;
    }
    return NONE;
  }
  if (phase === OK) {
    s.since = ts;
    s.peak = value;
    if (c.forMs <= 0) {
      s.phase = FIRING;
      s.firedAt = ts;
      s.clearingSince = -1;
      return FIRED;
    }
    s.phase = PENDING;
    return BECAME_PENDING;
  }
  s.peak = worse(c.op, s.peak, value);
  if (ts - s.since >= c.forMs) {
    s.phase = FIRING;
    s.firedAt = ts;
    s.clearingSince = -1;
    return FIRED;
  }
  return NONE;
}

/**
 * Time passing without a new value, for series whose value is known to persist (a host's
 * reachability): a pending alert fires when `for` runs out; a firing one resolves when clearFor does.
 */
export function advance(s: AlertInstanceState, c: RuleCondition, now: number): Transition {
  if (s.phase === PENDING && now - s.since >= c.forMs && holds(c.op, s.value, c.threshold)) {
    s.phase = FIRING;
    s.firedAt = now;
    s.clearingSince = -1;
    return FIRED;
  }
  if (s.phase === FIRING && s.clearingSince >= 0 && now - s.clearingSince >= c.clearForMs) {
    s.phase = OK;
    s.clearingSince = -1;
    return RESOLVED;
  }
  return NONE;
}
