// Samples this machine on a steady beat and publishes each sample to the live feed.
import type { Sample } from '../../../common/schemas/sample';
import type { Logger } from '../log';
import type { LocalSampler } from './local-samplers';

const WARM_START_MS = 250;

export interface LocalMonitorOptions {
  sampler: LocalSampler;
  intervalMs: number;
  publish: (sample: Sample) => void;
  log: Logger;
}

export class LocalMonitor {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failing = false;
  private running = false;
  private warmTicks = 2;

  constructor(private readonly options: LocalMonitorOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.warmTicks = 2;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.options.sampler.close?.();
  }

  /** One reading; the first only primes the counters, so rates start with the second. */
  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      const sample = await this.options.sampler.next();
      if (!this.running) return;
      if (this.failing) this.options.log.info('local sampling recovered');
      this.failing = false;
      if (sample) this.options.publish(sample);
    } catch (err) {
      // Logged once per outage, not once per second.
      if (!this.failing) {
        this.options.log.error('local sampling failed', { error: String(err) });
      }
      this.failing = true;
    }
    this.scheduleNext();
  }

  /** Aligns ticks to the interval's boundaries so they do not drift. */
  private scheduleNext(): void {
    const { intervalMs } = this.options;
    // A warm start: the first two samples come a quarter second apart, so a chart has its first
    // line within half a second of start instead of two intervals later.
    if (this.warmTicks > 0) {
      this.warmTicks--;
      this.timer = setTimeout(() => void this.tick(), Math.min(WARM_START_MS, intervalMs));
      return;
    }
    const delay = intervalMs - (Date.now() % intervalMs);
    this.timer = setTimeout(() => void this.tick(), delay < intervalMs / 10 ? delay + intervalMs : delay);
  }
}
