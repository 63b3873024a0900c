// The one writer of metric history: batches of samples in one transaction each, into the staging
// table (a tick's rows side by side); the rollup pass moves them into samples_raw in series order,
// then rolls the series that changed up to the 1-minute and 1-hour tiers; and retention.
// Synchronous: it runs in the store's worker thread (or inline in tests), never on the sampling path.
import type { FlatValue } from '../../../common/metrics';
import type { Db } from './database';
import { layoutValues, type SeriesLayout } from './series-layout';
import { StagingTable, type StagedHost } from './staging';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface SampleRows {
  host: string;
  ts: number;
  values: FlatValue[];
}

export interface Retention {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

export const DEFAULT_RETENTION: Retention = {
  rawMs: 48 * HOUR,
  minuteMs: 30 * 24 * HOUR,
  hourMs: 2 * 365 * 24 * HOUR,
};

/** The earliest time that still has to be (re)rolled up, per series. */
type Dirty = Map<number, number>;

export class HistoryWriter {
  private readonly seriesIds = new Map<string, number>();
  /** Host number and series ids of each layout, in its order (resolved on first use, like seriesIds). */
  private readonly layoutIds = new Map<number, { hostNo: number; ids: Int32Array }>();
  private readonly staging: StagingTable;
  private dirtyMinute: Dirty = new Map();
  private dirtyHour: Dirty = new Map();
  /**
   * Per series, the time its minutes were last rolled up to: a round that starts there finds no
   * minute rows to replace, and need not count them before and after (two statements a series).
   */
  private readonly minutesRolledTo = new Map<number, number>();
  private readonly statements;

  constructor(private readonly db: Db) {
    // A round of moves and rollups touches a page or two per series: with the default 2 MB cache a
    // 50-host fleet's pages were read back from the file every round (measured: a move took 1.1–1.4 s
    // instead of 0.7 s). The cache only fills as pages are used.
    db.pragma('cache_size = -32768');
    this.staging = new StagingTable(db);
    this.statements = {
      findSeries: db.prepare('SELECT id FROM series WHERE host_id = ? AND metric = ? AND label = ?'),
      insertSeries: db.prepare('INSERT INTO series (host_id, metric, label) VALUES (?, ?, ?)'),
      seriesOfHost: db.prepare('SELECT id FROM series WHERE host_id = ?'),
      rollMinute: db.prepare(`
        INSERT OR REPLACE INTO samples_1m (series_id, ts, min, max, sum, count)
        SELECT series_id, ts - ts % ${MINUTE} AS bucket, MIN(value), MAX(value), SUM(value), COUNT(*)
        FROM samples_raw WHERE series_id = ? AND ts >= ? AND ts < ? GROUP BY bucket`),
      rollHour: db.prepare(`
        INSERT OR REPLACE INTO samples_1h (series_id, ts, min, max, sum, count)
        SELECT series_id, ts - ts % ${HOUR} AS bucket, MIN(min), MAX(max), SUM(sum), SUM(count)
        FROM samples_1m WHERE series_id = ? AND ts >= ? AND ts < ? GROUP BY bucket`),
      lastRaw: db.prepare('SELECT MAX(ts) AS ts FROM samples_raw WHERE series_id = ?'),
      lastMinute: db.prepare('SELECT MAX(ts) AS ts FROM samples_1m WHERE series_id = ?'),
      lastHour: db.prepare('SELECT MAX(ts) AS ts FROM samples_1h WHERE series_id = ?'),
      allSeries: db.prepare('SELECT id, host_id AS host, metric, label FROM series'),
      pruneRaw: db.prepare('DELETE FROM samples_raw WHERE series_id = ? AND ts < ?'),
      pruneMinute: db.prepare('DELETE FROM samples_1m WHERE series_id = ? AND ts < ?'),
      pruneHour: db.prepare('DELETE FROM samples_1h WHERE series_id = ? AND ts < ?'),
      openOutage: db.prepare(
        'INSERT OR REPLACE INTO outages (host_id, start, end, reason) VALUES (?, ?, ?, ?)',
      ),
      countMinute: db.prepare(
        'SELECT COUNT(*) AS n FROM samples_1m WHERE series_id = ? AND ts >= ? AND ts < ?',
      ),
      countHour: db.prepare(
        'SELECT COUNT(*) AS n FROM samples_1h WHERE series_id = ? AND ts >= ? AND ts < ?',
      ),
      addRows: db.prepare('UPDATE tier_rows SET rows = MAX(0, rows + ?) WHERE tier = ?'),
    };
    this.recoverDirty();
  }

  /**
   * All rows of a batch in one transaction: a tick is stored whole or not at all. Returns the rows
   * staged (a row already staged for the same series and time is a duplicate: the first stays).
   */
  write(batch: readonly SampleRows[]): number {
    return this.transaction(() => {
      for (const { host, ts, values } of batch) {
        const hostNo = this.staging.hostNumber(host);
        for (const { metric, label, value } of values) {
          this.staging.add(hostNo, ts, this.seriesId(host, metric, label), value);
        }
      }
    });
  }

  /**
   * Ticks packed by SamplePacker ([layout id, time, values…] one after another) in one transaction.
   * Values that are not finite, ticks before `oldest` and ticks of a layout never received are
   * skipped.
   */
  writePacked(layouts: ReadonlyMap<number, SeriesLayout>, data: Float64Array, oldest = -Infinity): number {
    return this.transaction(() => {
      const staging = this.staging;
      for (let at = 0; at < data.length;) {
        const layout = layouts.get(data[at]!);
        if (!layout) break; // the rest cannot be parsed without its size
        const ts = data[at + 1]!;
        const size = layoutValues(layout);
        if (ts >= oldest) {
          const { hostNo, ids } = this.idsOf(layout);
          for (let i = 0; i < size; i++) {
            const value = data[at + 2 + i]!;
            if (Number.isFinite(value)) staging.add(hostNo, ts, ids[i]!, value);
          }
        }
        at += 2 + size;
      }
    });
  }

  /** Forgets the series ids of a layout no longer sent. */
  forgetLayout(id: number): void {
    this.layoutIds.delete(id);
  }

  private transaction(stage: () => void): number {
    try {
      return this.db.transaction(() => {
        this.staging.begin();
        stage();
        const written = this.staging.end();
        this.statements.addRows.run(written, 'raw');
        return written;
      })();
    } catch (err) {
      // Series inserted by the rolled-back transaction are gone, and SQLite hands their ids out
      // again: forget every cached id rather than write a later batch under someone else's.
      this.seriesIds.clear();
      this.layoutIds.clear();
      this.staging.forgetNumbers();
      throw err;
    }
  }

  /**
   * Moves the staged rows into samples_raw in one transaction, and marks their series for rollup
   * from the first staged minute of their host. Returns the rows moved (duplicates left out).
   */
  moveStaged(): number {
    const hosts = this.staging.hosts();
    if (hosts.length === 0) return 0;
    const moved = this.db.transaction(() => {
      const { moved, staged } = this.staging.moveAll();
      // The raw count took every staged row; duplicates of rows already there did not stay.
      this.statements.addRows.run(moved - staged, 'raw');
      return moved;
    })();
    for (const { host, first } of hosts) {
      for (const { id } of this.statements.seriesOfHost.all(host) as { id: number }[]) {
        markDirty(this.dirtyMinute, id, first - (first % MINUTE));
      }
    }
    return moved;
  }

  /** Moves what is staged, then rolls up complete minutes (and hours) of the series that changed. */
  rollup(now: number): void {
    this.moveStaged();
    const minuteCut = now - (now % MINUTE);
    const hourCut = now - (now % HOUR);
    // The marks change as the work is done: a transaction that fails (a full disk) must leave
    // them as they were, or its minutes would never be rolled up.
    const marks = { minute: new Map(this.dirtyMinute), hour: new Map(this.dirtyHour) };
    try {
      this.rollupMarked(minuteCut, hourCut);
    } catch (err) {
      this.dirtyMinute = marks.minute;
      this.dirtyHour = marks.hour;
      this.minutesRolledTo.clear();
      throw err;
    }
  }

  private rollupMarked(minuteCut: number, hourCut: number): void {
    this.db.transaction(() => {
      let minuteRows = 0;
      let hourRows = 0;
      for (const [id, from] of this.dirtyMinute) {
        if (from >= minuteCut) continue;
        const rolledTo = this.minutesRolledTo.get(id);
        if (rolledTo !== undefined && from >= rolledTo) {
          minuteRows += this.statements.rollMinute.run(id, from, minuteCut).changes;
        } else {
          const before = (this.statements.countMinute.get(id, from, minuteCut) as { n: number }).n;
          this.statements.rollMinute.run(id, from, minuteCut);
          minuteRows += (this.statements.countMinute.get(id, from, minuteCut) as { n: number }).n - before;
        }
        this.minutesRolledTo.set(id, Math.max(rolledTo ?? minuteCut, minuteCut));
        markDirty(this.dirtyHour, id, from - (from % HOUR));
        // Samples of the current minute keep it dirty for the next round.
        const last = (this.statements.lastRaw.get(id) as { ts: number | null }).ts;
        if (last !== null && last >= minuteCut) this.dirtyMinute.set(id, minuteCut);
        else this.dirtyMinute.delete(id);
      }
      for (const [id, from] of this.dirtyHour) {
        if (from >= hourCut) continue;
        const before = (this.statements.countHour.get(id, from, hourCut) as { n: number }).n;
        this.statements.rollHour.run(id, from, hourCut);
        hourRows += (this.statements.countHour.get(id, from, hourCut) as { n: number }).n - before;
        const last = (this.statements.lastMinute.get(id) as { ts: number | null }).ts;
        if (last !== null && last >= hourCut) this.dirtyHour.set(id, hourCut);
        else this.dirtyHour.delete(id);
      }
      this.statements.addRows.run(minuteRows, '1m');
      this.statements.addRows.run(hourRows, '1h');
    })();
  }

  /** Deletes what is older than each tier keeps; returns the rows removed. */
  prune(clockNow: number, retention: Retention): number {
    const deleted = { raw: 0, minute: 0, hour: 0 };
    const ids = (this.statements.allSeries.all() as { id: number }[]).map((r) => r.id);
    // A clock set far ahead must not wipe history: never prune past an hour after the newest sample.
    let newest: number | null = null;
    for (const id of ids) {
      const ts = (this.statements.lastRaw.get(id) as { ts: number | null }).ts;
      if (ts !== null && (newest === null || ts > newest)) newest = ts;
    }
    for (const { last } of this.stagedHosts()) if (newest === null || last > newest) newest = last;
    const now = newest === null ? clockNow : Math.min(clockNow, newest + HOUR);
    this.db.transaction(() => {
      for (const id of ids) {
        deleted.raw += this.statements.pruneRaw.run(id, now - retention.rawMs).changes;
        deleted.minute += this.statements.pruneMinute.run(id, now - retention.minuteMs).changes;
        deleted.hour += this.statements.pruneHour.run(id, now - retention.hourMs).changes;
      }
      this.statements.addRows.run(-deleted.raw, 'raw');
      this.statements.addRows.run(-deleted.minute, '1m');
      this.statements.addRows.run(-deleted.hour, '1h');
    })();
    return deleted.raw + deleted.minute + deleted.hour;
  }

  /** Hosts with staged rows, with the first and last staged time of each. */
  stagedHosts(): StagedHost[] {
    return this.staging.hosts();
  }

  recordOutage(host: string, start: number, end: number | null, reason: string): void {
    this.statements.openOutage.run(host, start, end, reason);
  }

  private seriesId(host: string, metric: string, label: string): number {
    const key = `${host}\u0000${metric}\u0000${label}`;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      const row = this.statements.findSeries.get(host, metric, label) as { id: number } | undefined;
      id = row ? row.id : Number(this.statements.insertSeries.run(host, metric, label).lastInsertRowid);
      this.seriesIds.set(key, id);
    }
    return id;
  }

  private idsOf(layout: SeriesLayout): { hostNo: number; ids: Int32Array } {
    let resolved = this.layoutIds.get(layout.id);
    if (!resolved) {
      resolved = {
        hostNo: this.staging.hostNumber(layout.host),
        ids: Int32Array.from(layout.metrics, (metric, i) =>
          this.seriesId(layout.host, metric, layout.labels[i]!),
        ),
      };
      this.layoutIds.set(layout.id, resolved);
    }
    return resolved;
  }

  /**
   * After a crash the in-memory marks are gone (staged rows get theirs when they are moved): any series whose raw data runs past its last
   * rollup is rolled up again from there (rollups are idempotent).
   */
  private recoverDirty(): void {
    for (const { id } of this.statements.allSeries.all() as { id: number }[]) {
      const raw = (this.statements.lastRaw.get(id) as { ts: number | null }).ts;
      const minute = (this.statements.lastMinute.get(id) as { ts: number | null }).ts;
      const hour = (this.statements.lastHour.get(id) as { ts: number | null }).ts;
      if (raw !== null && (minute === null || raw >= minute + MINUTE)) this.dirtyMinute.set(id, minute ?? 0);
      else if (minute !== null) this.dirtyMinute.set(id, minute);
      if (minute !== null && (hour === null || minute >= hour + HOUR)) this.dirtyHour.set(id, hour ?? 0);
      else if (hour !== null) this.dirtyHour.set(id, hour);
    }
  }
}

function markDirty(dirty: Dirty, id: number, from: number): void {
  const current = dirty.get(id);
  if (current === undefined || from < current) dirty.set(id, from);
}
