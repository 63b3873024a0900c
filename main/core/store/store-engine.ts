// The history store's engine: owns the writing connection, writes batches, answers queries, rolls
// up and prunes on a timer. A full disk fails a write without harm (the transaction rolls back); the
// batch is held, bounded, and retried until space returns.
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SeriesSet, StorageStats } from '../../../common/schemas/history';
import { openDatabase, type Db } from './database';
import { HistoryQueries } from './history-queries';
import { HistoryWriter, HOUR, MINUTE, type Retention } from './history-writer';
import type { SeriesLayout } from './series-layout';
import type { EngineReply, EngineRequest } from './store-protocol';

interface HeldBatch {
  seq: number;
  data: Float64Array;
  values: number;
  /** Layouts to forget once this batch is written (or dropped). */
  retired: number[];
}

/** Failed batches kept for retry: about ten minutes of a 50-host fleet. */
const MAX_HELD_VALUES = 5_000_000;

export interface EngineOptions {
  path: string;
  nativeBinding?: string;
  retention: Retention;
  now?: () => number;
}

export class StoreEngine {
  private readonly db: Db;
  private readonly writer: HistoryWriter;
  private readonly queries: HistoryQueries;
  private retention: Retention;
  private held: HeldBatch[] = [];
  /** The layouts the facade sent, by id, until it retires them. */
  private readonly layouts = new Map<number, SeriesLayout>();
  private heldValues = 0;
  private lastRollup = 0;
  private lastPrune = 0;
  private readonly now: () => number;

  constructor(private readonly options: EngineOptions) {
    this.db = openDatabase({ path: options.path, nativeBinding: options.nativeBinding });
    this.writer = new HistoryWriter(this.db);
    this.queries = new HistoryQueries(this.db);
    this.retention = options.retention;
    this.now = options.now ?? Date.now;
  }

  handle(message: EngineRequest, reply: (r: EngineReply) => void): void {
    switch (message.type) {
      case 'write':
        // Known from now on, whatever becomes of this batch: later ones may use them.
        for (const layout of message.layouts) this.layouts.set(layout.id, layout);
        this.hold(
          { seq: message.seq, data: message.data, values: message.values, retired: message.retired },
          reply,
        );
        this.flushHeld(reply);
        return;
      case 'outage':
        try {
          this.writer.recordOutage(message.host, message.start, message.end, message.reason);
        } catch (err) {
          // Not held for retry (a gap is drawn from the missing samples anyway), but never fatal.
          reply(this.failure(-1, err));
        }
        return;
      case 'maintain': {
        // A failed round (a full disk) is retried by the next one; it must not stop the engine.
        let failed: unknown;
        try {
          this.maintain(message.now);
        } catch (err) {
          failed = err;
        }
        this.flushHeld(reply);
        if (failed === undefined) reply({ type: 'result', id: message.id, value: null });
        else reply({ type: 'error', id: message.id, message: (failed as Error).message });
        return;
      }
      case 'query':
        this.answer(message.id, reply, () => this.queries.range(message.request, this.now(), this.retention));
        return;
      case 'stats':
        this.answer(message.id, reply, () => this.stats());
        return;
      case 'retention':
        this.retention = message.retention;
        this.answer(message.id, reply, () => {
          this.writer.prune(this.now(), this.retention);
          return null;
        });
        return;
      case 'compact':
        this.answer(message.id, reply, () => {
          this.writer.prune(this.now(), this.retention);
          this.db.pragma('wal_checkpoint(TRUNCATE)');
          this.db.exec('VACUUM');
          return null;
        });
        return;
      case 'close':
        this.answer(message.id, reply, () => {
          try {
            this.flushHeld(() => undefined);
            this.writer.rollup(this.now());
          } finally {
            this.db.close();
          }
          return null;
        });
        return;
    }
  }

  /** Rollups every minute, retention every hour. */
  maintain(now: number): void {
    // A clock set back must not stop maintenance until it reaches its old time again.
    if (now - this.lastRollup >= MINUTE / 2 || now < this.lastRollup) {
      this.writer.rollup(now);
      this.lastRollup = now;
    }
    if (now - this.lastPrune >= HOUR || now < this.lastPrune) {
      this.writer.prune(now, this.retention);
      this.lastPrune = now;
    }
  }

  private hold(batch: HeldBatch, reply: (r: EngineReply) => void): void {
    this.held.push(batch);
    this.heldValues += batch.values;
    // Bounded: past the limit the oldest held batches go (the facade reports them as dropped).
    while (this.heldValues > MAX_HELD_VALUES && this.held.length > 1) {
      const dropped = this.held.shift()!;
      this.heldValues -= dropped.values;
      this.retire(dropped);
      reply({ type: 'dropped', seq: dropped.seq, values: dropped.values });
    }
  }

  private retire(batch: HeldBatch): void {
    for (const id of batch.retired) {
      this.layouts.delete(id);
      this.writer.forgetLayout(id);
    }
  }

  private flushHeld(reply: (r: EngineReply) => void): void {
    while (this.held.length > 0) {
      const next = this.held[0]!;
      try {
        // Samples older than raw retention (a clock far behind) would replace whole rolled-up
        // minutes with one value; they are not stored.
        const rows = this.writer.writePacked(this.layouts, next.data, this.now() - this.retention.rawMs);
        this.held.shift();
        this.heldValues -= next.values;
        this.retire(next);
        reply({ type: 'written', seq: next.seq, values: next.values, rows });
      } catch (err) {
        reply(this.failure(next.seq, err));
        return;
      }
    }
  }

  private failure(seq: number, err: unknown): EngineReply {
    const message = (err as Error).message;
    const full = /SQLITE_FULL|database or disk is full|ENOSPC/i.test(
      `${(err as { code?: string }).code ?? ''} ${message}`,
    );
    return { type: 'write-failed', seq, full, message, held: this.heldValues };
  }

  private answer(
    id: number,
    reply: (r: EngineReply) => void,
    work: () => SeriesSet | StorageStats | null,
  ): void {
    try {
      reply({ type: 'result', id, value: work() });
    } catch (err) {
      reply({ type: 'error', id, message: (err as Error).message });
    }
  }

  stats(): StorageStats {
    const size = (path: string): number => {
      try {
        return statSync(path).size;
      } catch {
        return 0;
      }
    };
    let freeBytes: number | null = null;
    try {
      const fs = statfsSync(dirname(this.options.path));
      freeBytes = fs.bavail * fs.bsize;
    } catch {
      freeBytes = null;
    }
    const counts = new Map(
      (this.db.prepare('SELECT tier, rows FROM tier_rows').all() as { tier: string; rows: number }[]).map(
        (r) => [r.tier, r.rows],
      ),
    );
    const oldest = (table: string): number | null => {
      // The oldest row of a tier: the smallest first timestamp over the series, by index lookups.
      let min: number | null = null;
      const first = this.db.prepare(`SELECT MIN(ts) AS ts FROM ${table} WHERE series_id = ?`);
      for (const { id } of this.db.prepare('SELECT id FROM series').all() as { id: number }[]) {
        min = minOf(min, (first.get(id) as { ts: number | null }).ts);
      }
      return min;
    };
    // Bytes per tier, estimated from row counts and row widths (a raw row is value + keys; a rollup
    // row carries four values): exact sizes would mean reading every page.
    const width = { raw: 20, '1m': 44, '1h': 44 } as const;
    // Raw rows still in the staging table count as raw (tier_rows counted them when written).
    const staged = this.writer.stagedHosts();
    const stagedFirst = new Map(staged.map((s) => [s.host, s.first]));
    const fileBytes = size(this.options.path) + size(`${this.options.path}-wal`);
    const weight = (['raw', '1m', '1h'] as const).reduce((n, t) => n + (counts.get(t) ?? 0) * width[t], 0);
    const tiers = (
      [
        ['raw', 'samples_raw'],
        ['1m', 'samples_1m'],
        ['1h', 'samples_1h'],
      ] as const
    ).map(([tier, table]) => {
      const rows = counts.get(tier) ?? 0;
      return {
        tier,
        rows,
        bytes: weight > 0 ? Math.round((rows * width[tier] * fileBytes) / weight) : 0,
        oldest:
          tier === 'raw'
            ? staged.reduce<number | null>((min, s) => minOf(min, s.first), oldest(table))
            : oldest(table),
      };
    });
    const totalRows = tiers.reduce((n, t) => n + t.rows, 0);
    const totalBytes = tiers.reduce((n, t) => n + t.bytes, 0);
    // Per host, cheaply: its share of the series (all series of a host live about as long), and
    // its oldest sample from index lookups, never a scan of the sample tables.
    const series = this.db.prepare('SELECT id, host_id AS host FROM series').all() as {
      id: number;
      host: string;
    }[];
    const oldestOf = ['samples_raw', 'samples_1m', 'samples_1h'].map((t) =>
      this.db.prepare(`SELECT MIN(ts) AS ts FROM ${t} WHERE series_id = ?`),
    );
    const byHost = new Map<string, { series: number; oldest: number | null }>();
    for (const { id, host } of series) {
      const entry = byHost.get(host) ?? { series: 0, oldest: null };
      entry.series++;
      for (const statement of oldestOf)
        entry.oldest = minOf(entry.oldest, (statement.get(id) as { ts: number | null }).ts);
      byHost.set(host, entry);
    }
    const perHost = [...byHost].map(([host, h]) => ({
      host,
      series: h.series,
      oldest: minOf(h.oldest, stagedFirst.get(host) ?? null),
    }));
    return {
      path: this.options.path,
      fileBytes: size(this.options.path),
      walBytes: size(`${this.options.path}-wal`),
      freeBytes,
      tiers,
      hosts: perHost.map((h) => ({
        host: h.host,
        series: h.series,
        rows: Math.round((h.series / Math.max(1, series.length)) * totalRows),
        estimatedBytes: Math.round((h.series / Math.max(1, series.length)) * totalBytes),
        oldest: h.oldest,
      })),
      retention: {
        rawHours: Math.round(this.retention.rawMs / HOUR),
        minuteDays: Math.round(this.retention.minuteMs / (24 * HOUR)),
        hourDays: Math.round(this.retention.hourMs / (24 * HOUR)),
      },
    };
  }
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
