// The history store as the core sees it: ingest never waits on the disk (a bounded queue feeds the
// engine in a worker thread), queries are promises, and the state ("behind", "full") is visible.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SeriesSet, StorageStats, StoreStatus } from '../../../common/schemas/history';
import type { Sample } from '../../../common/schemas/sample';
import type { Logger } from '../log';
import type { RangeRequest } from './history-queries';
import type { Retention } from './history-writer';
import { concatTicks, SamplePacker, type PackedTick } from './sample-packing';
import { StoreEngine } from './store-engine';
import type { EngineReply, EngineRequest } from './store-protocol';

/** Values waiting for the engine before the oldest are dropped: ~4 minutes of 50 hosts × 150 series at 1 Hz. */
const MAX_QUEUED_VALUES = 2_000_000;

export interface HistoryStoreOptions {
  path: string;
  retention: Retention;
  log: Logger;
  nativeBinding?: string;
  /** 'worker' (the app) or 'inline' (same thread: tests of the logic, tools). */
  mode?: 'worker' | 'inline';
  /**
   * How long samples gather before they go to the engine together (ms; 0: every tick). Each write
   * rewrites about one page per series, so five ticks at once write about a fifth as much (measured:
   * 1.45 MB → 0.27 MB per host per second); a crash loses at most this much. Every tick is still
   * written whole or not at all.
   */
  flushIntervalMs?: number;
  /** The compiled worker entry (default: store-worker.js next to this module). */
  workerScript?: string;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class HistoryStore {
  /** Sends to the engine; the buffers listed in `transfer` move to it (no copy). */
  private readonly send: (message: EngineRequest, transfer?: ArrayBuffer[]) => void;
  private readonly worker: Worker | undefined;
  private readonly packer = new SamplePacker();
  private queue: PackedTick[] = [];
  private queuedValues = 0;
  private readonly inFlight = new Map<number, number>();
  private seq = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private flushScheduled = false;
  private current: StoreStatus = {
    state: 'ok',
    message: 'History is being stored.',
    queuedValues: 0,
    droppedValues: 0,
    lastWriteAt: null,
  };
  private readonly listeners = new Set<(s: StoreStatus) => void>();
  private maintainTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  private constructor(private readonly options: HistoryStoreOptions) {
    const onReply = (reply: EngineReply): void => this.onReply(reply);
    if ((options.mode ?? 'worker') === 'worker') {
      const script = options.workerScript ?? join(__dirname, 'store-worker.js');
      if (!existsSync(script))
        throw new Error(`the store worker is not built (${script}): run "npm run build"`);
      this.worker = new Worker(script, {
        workerData: {
          path: options.path,
          nativeBinding: options.nativeBinding,
          retention: options.retention,
        },
      });
      this.worker.on('message', onReply);
      this.worker.on('error', (err) =>
        this.setStatus(
          'error',
          `The history store stopped: ${err.message}. Monitoring goes on without history.`,
        ),
      );
      // A stopped worker answers nothing more: fail what waits on it, and what asks later.
      this.worker.on('exit', () => {
        this.stopped = true;
        for (const pending of this.pending.values()) pending.reject(new Error('the history store stopped'));
        this.pending.clear();
      });
      this.send = (m, transfer) => this.worker!.postMessage(m, transfer);
    } else {
      const engine = new StoreEngine({
        path: options.path,
        nativeBinding: options.nativeBinding,
        retention: options.retention,
      });
      this.send = (m) => setImmediate(() => engine.handle(m, onReply));
      this.maintainTimer = setInterval(
        () => this.send({ type: 'maintain', id: -1, now: Date.now() }),
        10_000,
      );
      this.maintainTimer.unref?.();
    }
  }

  static open(options: HistoryStoreOptions): HistoryStore {
    return new HistoryStore(options);
  }

  get status(): StoreStatus {
    return {
      ...this.current,
      queuedValues: this.queuedValues + [...this.inFlight.values()].reduce((a, b) => a + b, 0),
    };
  }

  onStatus(listener: (s: StoreStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a sample; all samples of one tick go to the engine as one batch (one transaction). */
  ingest(sample: Sample): void {
    const tick = this.packer.pack(sample);
    this.queue.push(tick);
    this.queuedValues += tick.values;
    this.enforceBound();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      const wait = this.options.flushIntervalMs ?? 0;
      if (wait > 0) setTimeout(() => this.flush(), wait).unref?.();
      else setImmediate(() => this.flush());
    }
  }

  recordOutage(host: string, start: number, end: number | null, reason: string): void {
    this.send({ type: 'outage', host, start, end, reason });
  }

  query(request: RangeRequest): Promise<SeriesSet> {
    return this.request((id) => ({ type: 'query', id, request })) as Promise<SeriesSet>;
  }

  stats(): Promise<StorageStats> {
    return this.request((id) => ({ type: 'stats', id })) as Promise<StorageStats>;
  }

  async setRetention(retention: Retention): Promise<void> {
    await this.request((id) => ({ type: 'retention', id, retention }));
  }

  async compact(): Promise<void> {
    await this.request((id) => ({ type: 'compact', id }));
  }

  /** Rolls up and prunes now (normally on a timer); for tests and "compact now". */
  async maintain(now = Date.now()): Promise<void> {
    // What was ingested before the call is part of the round (the queue would go after it).
    this.flush();
    await this.request((id) => ({ type: 'maintain', id, now }));
  }

  /** Writes what is queued, then closes. */
  async close(): Promise<void> {
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    this.flush();
    await this.request((id) => ({ type: 'close', id })).catch(() => undefined);
    await this.worker?.terminate();
  }

  private request(build: (id: number) => EngineRequest): Promise<unknown> {
    const id = this.nextId++;
    if (this.stopped) return Promise.reject(new Error('the history store stopped'));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(build(id));
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const data = concatTicks(this.queue);
    const seq = ++this.seq;
    const values = this.queuedValues;
    this.inFlight.set(seq, values);
    this.queue = [];
    this.queuedValues = 0;
    this.send({ type: 'write', seq, data, values, ...this.packer.takeChanges() }, [
      data.buffer as ArrayBuffer,
    ]);
  }

  /** Memory stays bounded: when the engine falls far behind, the oldest queued samples go. */
  private enforceBound(): void {
    const inFlight = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    let dropped = 0;
    while (this.queuedValues + inFlight > MAX_QUEUED_VALUES && this.queue.length > 1) {
      const oldest = this.queue.shift()!;
      this.queuedValues -= oldest.values;
      dropped += oldest.values;
    }
    if (dropped > 0) {
      this.current.droppedValues += dropped;
      this.setStatus(
        'behind',
        `Storage is falling behind: ${this.current.droppedValues} values were not stored. Monitoring goes on.`,
      );
    }
  }

  private onReply(reply: EngineReply): void {
    switch (reply.type) {
      case 'written':
        this.inFlight.delete(reply.seq);
        this.current.lastWriteAt = Date.now();
        if (this.current.state !== 'ok' && this.inFlight.size === 0)
          this.setStatus('ok', 'History is being stored.');
        return;
      case 'write-failed':
        if (reply.full) {
          this.setStatus(
            'full',
            `The disk holding ${this.options.path} is full: samples are kept in memory (bounded) and written when space returns. Monitoring goes on.`,
          );
        } else {
          this.setStatus('error', `Storing samples failed: ${reply.message}. Hyperion keeps trying.`);
        }
        this.options.log.warn('history write failed', { message: reply.message, held: reply.held });
        return;
      case 'dropped':
        this.inFlight.delete(reply.seq);
        this.current.droppedValues += reply.values;
        return;
      case 'result':
      case 'error': {
        const pending = this.pending.get(reply.id);
        if (!pending) return;
        this.pending.delete(reply.id);
        if (reply.type === 'result') pending.resolve(reply.value);
        else pending.reject(new Error(reply.message));
        return;
      }
    }
  }

  private setStatus(state: StoreStatus['state'], message: string): void {
    if (this.current.state === state && this.current.message === message) return;
    this.current = { ...this.current, state, message };
    const status = this.status;
    for (const l of this.listeners) l(status);
  }
}
