// Samples on their way to the store's worker, packed: the series of a host's sample shape (a
// layout: its metrics and labels in order) go once, then each tick is its layout's id, its time
// and its values in one Float64Array, moved to the worker without a copy. Posting ~150 small
// objects per sample instead cost a structured clone on each side and garbage on both heaps.
import { forEachValue } from '../../../common/metrics';
import type { Sample } from '../../../common/schemas/sample';
import type { LayoutChanges, SeriesLayout } from './series-layout';

export type { LayoutChanges, SeriesLayout } from './series-layout';

/** One packed tick: [layout id, time, value × layout size]; a value that is not finite is NaN. */
export interface PackedTick {
  data: Float64Array;
  /** Finite values in it (what will be stored). */
  values: number;
}

export class SamplePacker {
  private readonly current = new Map<string, SeriesLayout>();
  private nextId = 1;
  private changes: LayoutChanges = { layouts: [], retired: [] };
  /** Values of the tick being packed, reused from tick to tick. */
  private scratch: number[] = [];

  pack(sample: Sample): PackedTick {
    const host = sample.hostId;
    let layout = this.current.get(host);
    const scratch = this.scratch;
    let size = 0;
    let same = layout !== undefined;
    forEachValue(sample, (metric, label, value) => {
      if (same && (layout!.metrics[size] !== metric || layout!.labels[size] !== label)) same = false;
      scratch[size++] = value;
    });
    if (!same || size !== layout!.metrics.length) {
      // A new shape (first sample, an interface or a mount that came or went): a new layout.
      const metrics: string[] = [];
      const labels: string[] = [];
      forEachValue(sample, (metric, label) => {
        metrics.push(metric);
        labels.push(label);
      });
      if (layout) this.changes.retired.push(layout.id);
      layout = { id: this.nextId++, host, metrics, labels };
      this.current.set(host, layout);
      this.changes.layouts.push(layout);
    }
    const data = new Float64Array(2 + size);
    data[0] = layout!.id;
    data[1] = sample.ts;
    let values = 0;
    for (let i = 0; i < size; i++) {
      const value = scratch[i]!;
      if (Number.isFinite(value)) {
        data[2 + i] = value;
        values++;
      } else data[2 + i] = NaN;
    }
    return { data, values };
  }

  /** The layout changes since the last call: they go with the next batch. */
  takeChanges(): LayoutChanges {
    const changes = this.changes;
    this.changes = { layouts: [], retired: [] };
    return changes;
  }
}

/** Ticks one after another in one array (what a write message carries). */
export function concatTicks(ticks: readonly PackedTick[]): Float64Array {
  let length = 0;
  for (const t of ticks) length += t.data.length;
  const out = new Float64Array(length);
  let at = 0;
  for (const t of ticks) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}
