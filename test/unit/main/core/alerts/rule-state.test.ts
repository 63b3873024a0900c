// The alert state machine at its boundaries, on an explicit clock: `for`, the clear threshold
// (hysteresis), the clear duration, and time passing without values.
import {
  advance,
  BECAME_PENDING,
  CANCELLED,
  conditionOf,
  FIRED,
  FIRING,
  newInstanceState,
  NONE,
  OK,
  PENDING,
  RESOLVED,
  step,
} from '../../../../../main/core/alerts/rule-state';

const rule = (over: Partial<Parameters<typeof conditionOf>[0]> = {}) =>
  conditionOf({ comparison: '>=', threshold: 90, clearThreshold: 85, forSec: 10, clearForSec: 0, ...over });

describe('alert state: for', () => {
  it('stays pending until exactly `for` has passed, then fires at the first value at or after it', () => {
    const c = rule();
    const s = newInstanceState();
    expect(step(s, c, 90, 1_000)).toBe(BECAME_PENDING);
    expect(s.phase).toBe(PENDING);
    expect(step(s, c, 95, 10_999)).toBe(NONE);
    expect(s.phase).toBe(PENDING);
    expect(step(s, c, 91, 11_000)).toBe(FIRED);
    expect(s.phase).toBe(FIRING);
    expect(s.since).toBe(1_000);
    expect(s.firedAt).toBe(11_000);
    expect(s.peak).toBe(95);
  });

  it('starts over when the value dips below the threshold while pending (the condition must hold throughout)', () => {
    const c = rule();
    const s = newInstanceState();
    step(s, c, 92, 0);
    expect(step(s, c, 89.999, 5_000)).toBe(CANCELLED);
    expect(s.phase).toBe(OK);
    expect(step(s, c, 92, 6_000)).toBe(BECAME_PENDING);
    expect(step(s, c, 92, 15_999)).toBe(NONE);
    expect(step(s, c, 92, 16_000)).toBe(FIRED);
  });

  it('fires on the first value when `for` is 0', () => {
    const s = newInstanceState();
    expect(step(s, rule({ forSec: 0 }), 90, 5)).toBe(FIRED);
    expect(s.since).toBe(5);
  });

  it('compares strictly or not as asked: > 90 does not hold at 90', () => {
    const s = newInstanceState();
    expect(step(s, rule({ comparison: '>', forSec: 0 }), 90, 0)).toBe(NONE);
    expect(step(s, rule({ comparison: '>', forSec: 0 }), 90.0001, 1)).toBe(FIRED);
  });

  it('works downwards: <= 5 with clear at 10', () => {
    const c = rule({ comparison: '<=', threshold: 5, clearThreshold: 10, forSec: 0 });
    const s = newInstanceState();
    expect(step(s, c, 5.01, 0)).toBe(NONE);
    expect(step(s, c, 5, 1)).toBe(FIRED);
    expect(step(s, c, 9.99, 2)).toBe(NONE);
    expect(step(s, c, 10, 3)).toBe(NONE);
    expect(s.phase).toBe(FIRING);
    expect(step(s, c, 10.01, 4)).toBe(RESOLVED);
    expect(s.peak).toBe(5);
  });
});

describe('alert state: hysteresis', () => {
  it('keeps firing between the clear threshold and the threshold, and resolves only past the clear threshold', () => {
    const c = rule({ forSec: 0 });
    const s = newInstanceState();
    expect(step(s, c, 91, 0)).toBe(FIRED);
    expect(step(s, c, 89, 1)).toBe(NONE);
    expect(step(s, c, 85, 2)).toBe(NONE); // at the clear threshold: still on the alerting side
    expect(s.phase).toBe(FIRING);
    expect(step(s, c, 84.99, 3)).toBe(RESOLVED);
    expect(s.phase).toBe(OK);
  });

  it('without a clear threshold resolves as soon as the condition no longer holds', () => {
    const c = rule({ clearThreshold: null, forSec: 0 });
    const s = newInstanceState();
    step(s, c, 90, 0);
    expect(step(s, c, 90, 1)).toBe(NONE);
    expect(step(s, c, 89.99, 2)).toBe(RESOLVED);
  });

  it('waits for the clear duration, and starts that wait over if the value comes back', () => {
    const c = rule({ forSec: 0, clearForSec: 30 });
    const s = newInstanceState();
    step(s, c, 95, 0);
    expect(step(s, c, 80, 10_000)).toBe(NONE);
    expect(step(s, c, 80, 39_999)).toBe(NONE);
    expect(step(s, c, 86, 39_999)).toBe(NONE); // back on the alerting side: the wait starts over
    expect(step(s, c, 80, 40_000)).toBe(NONE);
    expect(step(s, c, 80, 69_999)).toBe(NONE);
    expect(step(s, c, 80, 70_000)).toBe(RESOLVED);
  });
});

describe('alert state: time passing', () => {
  it('fires a pending alert when `for` runs out without a new value, if the last value still holds', () => {
    const c = rule({ comparison: '>=', threshold: 1, clearThreshold: null, forSec: 60 });
    const s = newInstanceState();
    step(s, c, 1, 0);
    expect(advance(s, c, 59_999)).toBe(NONE);
    expect(advance(s, c, 60_000)).toBe(FIRED);
    expect(s.firedAt).toBe(60_000);
    expect(step(s, c, 0, 61_000)).toBe(RESOLVED);
  });

  it('resolves a firing alert when the clear duration runs out without a new value', () => {
    const c = rule({ forSec: 0, clearForSec: 5 });
    const s = newInstanceState();
    step(s, c, 95, 0);
    step(s, c, 50, 1_000);
    expect(advance(s, c, 5_999)).toBe(NONE);
    expect(advance(s, c, 6_000)).toBe(RESOLVED);
  });
});
