// Reconnect delays: exponential ceiling from 1 s to 60 s, full jitter below it.
import { backoffDelay, DEFAULT_BACKOFF } from '../../../../../main/core/ssh/backoff';

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to 60 s', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, DEFAULT_BACKOFF, top))).toEqual([
      999, 1_999, 3_999, 7_999, 15_999, 31_999, 59_999, 59_999, 59_999,
    ]);
  });

  it('picks uniformly below the ceiling (full jitter), never negative', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => -1)).toBe(0);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0.5)).toBe(500);
    expect(backoffDelay(10_000, { initialMs: 100, maxMs: 400 }, () => 0.5)).toBe(200);
  });

  it('spreads many hosts that dropped together', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(4, DEFAULT_BACKOFF, Math.random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(8_000);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});
