// Messages between the history store's facade and its engine (a worker thread, or inline in tests).
import type { SeriesSet, StorageStats } from '../../../common/schemas/history';
import type { RangeRequest } from './history-queries';
import type { Retention } from './history-writer';
import type { LayoutChanges } from './series-layout';

export type EngineRequest =
  /** Ticks packed by SamplePacker; `values` counts the finite values among them. */
  | ({ type: 'write'; seq: number; data: Float64Array; values: number } & LayoutChanges)
  | { type: 'query'; id: number; request: RangeRequest }
  | { type: 'stats'; id: number }
  | { type: 'retention'; id: number; retention: Retention }
  | { type: 'compact'; id: number }
  | { type: 'outage'; host: string; start: number; end: number | null; reason: string }
  | { type: 'maintain'; id: number; now: number }
  | { type: 'close'; id: number };

export type EngineReply =
  | { type: 'written'; seq: number; values: number; rows: number }
  /** A batch that could not be written; kept by the engine and retried, up to its limit. */
  | { type: 'write-failed'; seq: number; full: boolean; message: string; held: number }
  /** Held batches dropped because the disk stayed full past the holding limit. */
  | { type: 'dropped'; seq: number; values: number }
  | { type: 'result'; id: number; value: SeriesSet | StorageStats | null }
  | { type: 'error'; id: number; message: string };
