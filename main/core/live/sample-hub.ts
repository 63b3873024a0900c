// The live feed: the newest samples of every host, kept for a few minutes, handed to watchers in
// one batch per tick so a screen with many hosts gets one message, not one per host.
import type { Sample } from '../../../common/schemas/sample';
import { RingBuffer } from './ring-buffer';

export type Unsubscribe = () => void;

interface Watcher {
  hosts: ReadonlySet<string>;
  onBatch: (samples: Sample[]) => void;
  pending: Sample[];
}

export interface SampleHubOptions {
  /** How many samples per host stay in memory for new watchers' first view. */
  retainPerHost?: number;
}

export class SampleHub {
  private readonly buffers = new Map<string, RingBuffer<Sample>>();
  private readonly watchers = new Set<Watcher>();
  private readonly retainPerHost: number;
  private flushScheduled = false;

  constructor(options: SampleHubOptions = {}) {
    this.retainPerHost = options.retainPerHost ?? 3600;
  }

  private readonly taps = new Set<(sample: Sample) => void>();

  /** Every sample of every host as it is published (the history store, alerts). */
  tap(listener: (sample: Sample) => void): Unsubscribe {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  publish(sample: Sample): void {
    for (const tap of this.taps) tap(sample);
    let buffer = this.buffers.get(sample.hostId);
    if (!buffer) {
      buffer = new RingBuffer<Sample>(this.retainPerHost);
      this.buffers.set(sample.hostId, buffer);
    }
    buffer.push(sample);
    let queued = false;
    for (const watcher of this.watchers) {
      if (!watcher.hosts.has(sample.hostId)) continue;
      watcher.pending.push(sample);
      queued = true;
    }
    if (queued && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  latest(hostId: string): Sample | undefined {
    return this.buffers.get(hostId)?.last();
  }

  /** Samples of one host taken at or after `sinceTs`, oldest first. */
  recent(hostId: string, sinceTs: number): Sample[] {
    return this.buffers.get(hostId)?.toArray((s) => s.ts >= sinceTs) ?? [];
  }

  watch(hostIds: readonly string[], onBatch: (samples: Sample[]) => void): Unsubscribe {
    const watcher: Watcher = { hosts: new Set(hostIds), onBatch, pending: [] };
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
      watcher.pending = [];
    };
  }

  /** Whether anyone is looking at this host now (it is then sampled at the fast rate). */
  isWatched(hostId: string): boolean {
    for (const watcher of this.watchers) if (watcher.hosts.has(hostId)) return true;
    return false;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const watcher of this.watchers) {
      if (watcher.pending.length === 0) continue;
      const batch = watcher.pending;
      watcher.pending = [];
      watcher.onBatch(batch);
    }
  }
}
