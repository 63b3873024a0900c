// How fast a series changes: (now − the value about a window ago) / elapsed seconds. Keeps about 60
// points per window whatever the sample rate, so a rate rule costs little memory per series.

const POINTS_PER_WINDOW = 60;

export class RateWindow {
  private readonly ts: number[] = [];
  private readonly values: number[] = [];
  private readonly spacingMs: number;

  constructor(private readonly windowMs: number) {
    this.spacingMs = windowMs / POINTS_PER_WINDOW;
  }

  /**
   * Adds a value and returns the rate per second over the window, or NaN until at least half a
   * window of data is there (a rate over a few seconds would be noise).
   */
  push(ts: number, value: number): number {
    const n = this.ts.length;
    if (n > 0 && ts < this.ts[n - 1]!) {
      // The clock went back: start over rather than compute a negative span.
      this.ts.length = 0;
      this.values.length = 0;
    }
    if (this.ts.length === 0 || ts - this.ts[this.ts.length - 1]! >= this.spacingMs) {
      this.ts.push(ts);
      this.values.push(value);
    }
    // Keep the newest point that is at least a window old as the reference.
    while (this.ts.length > 2 && ts - this.ts[1]! >= this.windowMs) {
      this.ts.shift();
      this.values.shift();
    }
    const t0 = this.ts[0]!;
    const span = ts - t0;
    if (span < this.windowMs / 2) return NaN;
    return ((value - this.values[0]!) * 1000) / span;
  }

  /** A gap in the data: what came before it no longer says how fast the value changes now. */
  reset(): void {
    this.ts.length = 0;
    this.values.length = 0;
  }
}
