// Writing, rolling up, querying and pruning history on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlatValue } from '../../../../../common/metrics';
import { openDatabase, type Db } from '../../../../../main/core/store/database';
import {
  chooseTier,
  HistoryQueries,
  stepFor,
  withGaps,
} from '../../../../../main/core/store/history-queries';
import {
  DEFAULT_RETENTION,
  HistoryWriter,
  HOUR,
  MINUTE,
} from '../../../../../main/core/store/history-writer';

let dir: string;
let db: Db;
let writer: HistoryWriter;
let queries: HistoryQueries;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0); // 03:00 UTC on a Tuesday

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-history-'));
  db = openDatabase({ path: join(dir, 'h.db') });
  writer = new HistoryWriter(db);
  queries = new HistoryQueries(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const cpu = (value: number): FlatValue[] => [
  { metric: 'cpu.usage', label: '', value },
  { metric: 'cpu.core.usage', label: '0', value },
  { metric: 'cpu.core.usage', label: '1', value: value / 2 },
];

/** One sample per second from `start` for `seconds`, value from `at`. */
function writeSeconds(host: string, start: number, seconds: number, at: (i: number) => number): void {
  const batch = Array.from({ length: seconds }, (_, i) => ({
    host,
    ts: start + i * 1000,
    values: cpu(at(i)),
  }));
  writer.write(batch);
}

/** Raw rows, moved or still staged. */
const rawRows = (): number =>
  (
    db
      .prepare('SELECT (SELECT COUNT(*) FROM samples_raw) + (SELECT COUNT(*) FROM samples_staging) AS n')
      .get() as { n: number }
  ).n;

const range = (from: number, to: number, maxPoints = 600, metric = 'cpu.usage', now = to) =>
  queries.range({ host: 'h1', metric, from, to, maxPoints }, now, DEFAULT_RETENTION);

describe('history', () => {
  it('stores a tick in one transaction and ignores a duplicate of it (clock jumped back)', () => {
    expect(writer.write([{ host: 'h1', ts: T0, values: cpu(10) }])).toBe(3);
    expect(writer.write([{ host: 'h1', ts: T0, values: cpu(99) }])).toBe(0);
    const set = range(T0, T0 + 1000);
    expect(set.tier).toBe('raw');
    expect(set.series[0]?.points).toEqual([[T0, 10, 10, 10]]);
  });

  it('answers with at most maxPoints per series and keeps a one-second spike in the max', () => {
    writeSeconds('h1', T0, 3600, (i) => (i === 1234 ? 100 : 5));
    const set = range(T0, T0 + HOUR, 60);
    // Minute buckets: the minute tier, read from raw where nothing is rolled up yet.
    expect(set.tier).toBe('1m');
    expect(set.stepMs).toBe(60_000);
    const points = set.series[0]!.points.filter((p) => p !== null);
    expect(points.length).toBeLessThanOrEqual(60);
    expect(Math.max(...points.map((p) => p![3]))).toBe(100);
    expect(Math.max(...points.map((p) => p![2]))).toBeLessThan(7);
  });

  it('returns every label of a metric, or only those asked for', () => {
    writeSeconds('h1', T0, 10, () => 40);
    expect(range(T0, T0 + 10_000, 600, 'cpu.core.usage').series.map((s) => s.label)).toEqual(['0', '1']);
    const one = queries.range(
      { host: 'h1', metric: 'cpu.core.usage', labels: ['1'], from: T0, to: T0 + 10_000, maxPoints: 10 },
      T0,
      DEFAULT_RETENTION,
    );
    expect(one.series.map((s) => s.label)).toEqual(['1']);
    expect(one.series[0]!.points[0]![2]).toBe(20);
  });

  it('rolls up complete minutes and hours with min, max and an exact average', () => {
    writeSeconds('h1', T0, 2 * 3600, (i) => i % 60); // 0..59 every minute
    writer.rollup(T0 + 2 * HOUR + 5_000);
    const minutes = db
      .prepare('SELECT ts, min, max, sum, count FROM samples_1m WHERE series_id = 1 ORDER BY ts LIMIT 2')
      .all();
    expect(minutes).toEqual([
      { ts: T0, min: 0, max: 59, sum: 1770, count: 60 },
      { ts: T0 + MINUTE, min: 0, max: 59, sum: 1770, count: 60 },
    ]);
    const hours = db.prepare('SELECT ts, count FROM samples_1h WHERE series_id = 1 ORDER BY ts').all();
    expect(hours).toEqual([
      { ts: T0, count: 3600 },
      { ts: T0 + HOUR, count: 3600 },
    ]);
    // A 7-day view reads the minute tier; averages agree with the raw data.
    const week = queries.range(
      { host: 'h1', metric: 'cpu.usage', from: T0 - 6 * 24 * HOUR, to: T0 + 24 * HOUR, maxPoints: 700 },
      T0 + 24 * HOUR,
      DEFAULT_RETENTION,
    );
    expect(week.tier).toBe('1m');
    const points = week.series[0]!.points.filter((p) => p !== null);
    expect(points[0]![1]).toBe(0);
    expect(points[0]![3]).toBe(59);
    expect(points[0]![2]).toBeCloseTo(29.5, 5);
    expect(db.prepare("SELECT rows FROM tier_rows WHERE tier = '1m'").get()).toEqual({ rows: 120 * 3 });
  });

  it('reaches to now on a 24-hour chart: the minutes not rolled up yet come from raw, none twice', () => {
    writeSeconds('h1', T0, 180, () => 10);
    writer.rollup(T0 + 2 * MINUTE); // minutes 0 and 1 rolled up; minute 2 only raw
    const now = T0 + 3 * MINUTE;
    const day = queries.range(
      { host: 'h1', metric: 'cpu.usage', from: now - 24 * HOUR, to: now, maxPoints: 1440 },
      now,
      DEFAULT_RETENTION,
    );
    expect(day.tier).toBe('1m');
    const points = day.series[0]!.points.filter((p) => p !== null);
    expect(points.map((p) => p![0])).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    expect(points.every((p) => p![2] === 10)).toBe(true);
    // A week reads the same way through the hour tier: one bucket, every sample counted once.
    const week = queries.range(
      { host: 'h1', metric: 'cpu.usage', from: now - 7 * 24 * HOUR, to: now, maxPoints: 7 },
      now,
      DEFAULT_RETENTION,
    );
    const all = week.series[0]!.points.filter((p) => p !== null);
    expect(all).toHaveLength(1);
    expect(all[0]![2]).toBe(10);
  });

  it('corrects a rolled-up minute when late samples arrive for it (clock jump backwards)', () => {
    writer.write([{ host: 'h1', ts: T0 + 10_000, values: cpu(10) }]);
    writer.rollup(T0 + 2 * MINUTE);
    writer.write([{ host: 'h1', ts: T0 + 20_000, values: cpu(30) }]);
    writer.rollup(T0 + 2 * MINUTE + 1);
    expect(db.prepare('SELECT min, max, sum, count FROM samples_1m WHERE series_id = 1').get()).toEqual({
      min: 10,
      max: 30,
      sum: 40,
      count: 2,
    });
  });

  it('counts the minute rows it adds round after round, late samples and a clock set back included', () => {
    const minuteRows = () => (db.prepare('SELECT COUNT(*) AS n FROM samples_1m').get() as { n: number }).n;
    const counted = () =>
      (db.prepare("SELECT rows FROM tier_rows WHERE tier = '1m'").get() as { rows: number }).rows;
    for (let round = 0; round < 5; round++) {
      writeSeconds('h1', T0 + round * 45_000, 45, () => round);
      writer.rollup(T0 + (round + 1) * 45_000);
      expect(counted(), `round ${round}`).toBe(minuteRows());
    }
    writer.write([{ host: 'h1', ts: T0 + 5_500, values: cpu(50) }]); // late, into a rolled-up minute
    writer.rollup(T0 + 4 * MINUTE + 1);
    writer.rollup(T0 + 3 * MINUTE); // the clock went back a minute
    writeSeconds('h1', T0 + 5 * MINUTE, 60, () => 9);
    writer.rollup(T0 + 6 * MINUTE + 1);
    expect(counted()).toBe(minuteRows());
    expect(minuteRows()).toBe(5 * 3); // minutes 0–3 and 5
    expect(db.prepare('SELECT count FROM samples_1m WHERE series_id = 1 AND ts = ?').get(T0)).toEqual({
      count: 61,
    });
  });

  it('rolls up again after a crash lost its in-memory marks', () => {
    writeSeconds('h1', T0, 180, () => 7);
    // A new writer on the same file, as after a restart: nothing was rolled up yet.
    const restarted = new HistoryWriter(db);
    restarted.rollup(T0 + 3 * MINUTE);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples_1m WHERE series_id = 1').get()).toEqual({ n: 3 });
    // What the first writer had staged was moved by the restarted one.
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples_staging').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples_raw').get()).toEqual({ n: 180 * 3 });
  });

  it('marks an outage and a long silence as gaps instead of drawing across them', () => {
    writeSeconds('h1', T0, 60, () => 1);
    writeSeconds('h1', T0 + 10 * MINUTE, 60, () => 2);
    writer.recordOutage('h1', T0 + MINUTE + 500, T0 + 10 * MINUTE - 500, 'unreachable');
    const set = range(T0, T0 + 11 * MINUTE, 1000);
    const nulls = set.series[0]!.points.filter((p) => p === null);
    expect(nulls).toHaveLength(1);
    expect(set.outages).toEqual([
      { start: T0 + MINUTE + 500, end: T0 + 10 * MINUTE - 500, reason: 'unreachable' },
    ]);
  });

  it('does not wipe history when the clock jumps a year ahead', () => {
    writeSeconds('h1', T0, 60, () => 3);
    expect(writer.prune(T0 + 365 * 24 * HOUR, DEFAULT_RETENTION)).toBe(0);
    expect(rawRows()).toBe(180);
    // Once moved out of staging too.
    writer.moveStaged();
    expect(writer.prune(T0 + 365 * 24 * HOUR, DEFAULT_RETENTION)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples_raw').get()).toEqual({ n: 180 });
  });

  it('prunes each tier by its own retention and keeps the row counts right', () => {
    writeSeconds('h1', T0, 120, () => 3);
    writer.rollup(T0 + 3 * MINUTE);
    // Newer samples elsewhere move "now" on: the old ones are past retention.
    writer.write([{ host: 'h2', ts: T0 + 49 * HOUR, values: cpu(1) }]);
    const deleted = writer.prune(T0 + 49 * HOUR, DEFAULT_RETENTION);
    expect(deleted).toBe(120 * 3);
    expect(rawRows()).toBe(3);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples_1m').get()).toEqual({ n: 6 });
    expect(db.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get()).toEqual({ rows: 3 });
  });
});

describe('staging', () => {
  const count = (table: string): number =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counted = (): number =>
    (db.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get() as { rows: number }).rows;

  it('writes a tick into the staging table, host by host, and the rollup pass moves it into samples_raw', () => {
    writeSeconds('h1', T0, 90, () => 4);
    writeSeconds('h2', T0, 90, () => 6);
    expect(count('samples_staging')).toBe(2 * 90 * 3);
    expect(count('samples_raw')).toBe(0);
    expect(counted()).toBe(2 * 90 * 3);
    // Each host's rows of a tick sit side by side: the key starts with the host, then the time.
    const order = db
      .prepare(
        'SELECT h.host_id, s.ts, s.series_id FROM samples_staging s JOIN history_hosts h ON h.id = s.host LIMIT 4',
      )
      .all();
    expect(order).toEqual([
      { host_id: 'h1', ts: T0, series_id: 1 },
      { host_id: 'h1', ts: T0, series_id: 2 },
      { host_id: 'h1', ts: T0, series_id: 3 },
      { host_id: 'h1', ts: T0 + 1000, series_id: 1 },
    ]);
    expect(db.prepare('SELECT id, host_id FROM history_hosts ORDER BY id').all()).toEqual([
      { id: 1, host_id: 'h1' },
      { id: 2, host_id: 'h2' },
    ]);
    writer.rollup(T0 + 2 * MINUTE);
    expect(count('samples_staging')).toBe(0);
    expect(count('samples_raw')).toBe(2 * 90 * 3);
    expect(counted()).toBe(2 * 90 * 3);
    // The first minute is complete and rolled up for every series of both hosts; the second
    // (half of it) waits for the next round.
    expect(db.prepare('SELECT COUNT(*) AS n, SUM(count) AS samples FROM samples_1m').get()).toEqual({
      n: 2 * 3 * 2,
      samples: 2 * 3 * 90,
    });
  });

  it('keeps the first value of an instant stored twice, whether the first is staged or moved', () => {
    expect(writer.write([{ host: 'h1', ts: T0, values: cpu(10) }])).toBe(3);
    // A duplicate of a staged row is refused at once.
    expect(writer.write([{ host: 'h1', ts: T0, values: cpu(50) }])).toBe(0);
    writer.moveStaged();
    // A duplicate of a moved row is staged, counted once by queries, and dropped by the move.
    expect(
      writer.write([
        { host: 'h1', ts: T0, values: cpu(99) },
        { host: 'h1', ts: T0 + 1000, values: cpu(20) },
      ]),
    ).toBe(6);
    const expected = [
      [T0, 10, 10, 10],
      [T0 + 1000, 20, 20, 20],
    ];
    expect(range(T0, T0 + 2000).series[0]!.points).toEqual(expected);
    expect(writer.moveStaged()).toBe(3);
    expect(range(T0, T0 + 2000).series[0]!.points).toEqual(expected);
    expect(count('samples_raw')).toBe(6);
    expect(counted()).toBe(6);
  });

  it('stages the first of two samples for one instant in one batch, across statements of 32 rows', () => {
    const batch = Array.from({ length: 40 }, (_, i) => ({
      host: 'h1',
      ts: T0 + (i % 20) * 1000,
      values: cpu(i),
    }));
    expect(writer.write(batch)).toBe(20 * 3);
    const points = range(T0, T0 + 20_000).series[0]!.points;
    expect(points.map((p) => p![2])).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('joins staged seconds to the rolled-up minutes without a seam on 1-hour and 24-hour charts', () => {
    writeSeconds('h1', T0, 180, (i) => i % 10);
    writer.rollup(T0 + 3 * MINUTE); // minutes 0–2 moved and rolled up
    writeSeconds('h1', T0 + 3 * MINUTE, 45, () => 100); // staged only
    const now = T0 + 4 * MINUTE;
    const day = queries.range(
      { host: 'h1', metric: 'cpu.usage', from: now - 24 * HOUR, to: now, maxPoints: 1440 },
      now,
      DEFAULT_RETENTION,
    );
    expect(day.tier).toBe('1m');
    const minutes = day.series[0]!.points.filter((p) => p !== null);
    expect(minutes.map((p) => p![0])).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    expect(minutes.map((p) => p![2])).toEqual([4.5, 4.5, 4.5, 100]);
    const hour = range(now - HOUR, now, 3600);
    expect(hour.tier).toBe('raw');
    const seconds = hour.series[0]!.points.filter((p) => p !== null);
    expect(seconds).toHaveLength(180 + 45);
    expect(seconds.at(-1)).toEqual([T0 + 3 * MINUTE + 44_000, 100, 100, 100]);
  });

  it('counts a late sample once in a rolled-up minute, while staged and after the move', () => {
    writeSeconds('h1', T0, 180, () => 10);
    writer.rollup(T0 + 3 * MINUTE);
    writer.write([{ host: 'h1', ts: T0 + 30_500, values: cpu(1000) }]); // the clock went back
    const now = T0 + 4 * MINUTE;
    const day = () =>
      queries
        .range(
          { host: 'h1', metric: 'cpu.usage', from: now - 24 * HOUR, to: now, maxPoints: 1440 },
          now,
          DEFAULT_RETENTION,
        )
        .series[0]!.points.filter((p) => p !== null);
    const expected = [
      [T0, 10, (60 * 10 + 1000) / 61, 1000],
      [T0 + MINUTE, 10, 10, 10],
      [T0 + 2 * MINUTE, 10, 10, 10],
    ];
    expect(day()).toEqual(expected);
    writer.rollup(now);
    expect(day()).toEqual(expected);
  });

  it('writes packed ticks: finite values only, none older than asked, each layout resolved to series once', () => {
    const layout = {
      id: 7,
      host: 'h1',
      metrics: ['cpu.usage', 'cpu.core.usage', 'cpu.core.usage'],
      labels: ['', '0', '1'],
    };
    const layouts = new Map([[7, layout]]);
    const data = Float64Array.from([7, T0, 10, NaN, 5, 7, T0 + 1000, 11, 12, 13, 7, T0 - 5000, 1, 2, 3]);
    expect(writer.writePacked(layouts, data, T0 - 1000)).toBe(5);
    expect(db.prepare('SELECT metric, label FROM series ORDER BY id').all()).toEqual([
      { metric: 'cpu.usage', label: '' },
      { metric: 'cpu.core.usage', label: '0' },
      { metric: 'cpu.core.usage', label: '1' },
    ]);
    expect(range(T0, T0 + 2000, 600, 'cpu.core.usage').series.map((s) => s.points)).toEqual([
      [[T0 + 1000, 12, 12, 12]],
      [
        [T0, 5, 5, 5],
        [T0 + 1000, 13, 13, 13],
      ],
    ]);
    // A tick of a layout the writer never received ends what can be read of the batch.
    expect(writer.writePacked(layouts, Float64Array.from([7, T0 + 2000, 1, 1, 1, 9, T0 + 3000, 1]))).toBe(3);
  });

  it('gives series ids again after a failed write, for packed ticks too', () => {
    const layout = { id: 1, host: 'h9', metrics: ['cpu.usage'], labels: [''] };
    const layouts = new Map([[1, layout]]);
    db.exec(
      `CREATE TRIGGER fail BEFORE INSERT ON samples_staging WHEN NEW.value = 666 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    );
    expect(() => writer.writePacked(layouts, Float64Array.from([1, T0, 666]))).toThrow(/disk on fire/);
    expect(count('series')).toBe(0);
    db.exec('DROP TRIGGER fail');
    // Another series took the id the rolled-back one had: the layout must not write under it.
    writer.write([{ host: 'other', ts: T0, values: [{ metric: 'load.1', label: '', value: 1 }] }]);
    expect(writer.writePacked(layouts, Float64Array.from([1, T0, 42]))).toBe(1);
    expect(
      db
        .prepare(
          'SELECT s.host_id, s.metric, st.value FROM samples_staging st JOIN series s ON s.id = st.series_id ORDER BY s.id',
        )
        .all(),
    ).toEqual([
      { host_id: 'other', metric: 'load.1', value: 1 },
      { host_id: 'h9', metric: 'cpu.usage', value: 42 },
    ]);
  });
});

describe('tier and step', () => {
  const now = T0;
  it('picks the tier by the step a chart of 600 points needs: raw, minutes, then hours', () => {
    expect(chooseTier(now - 15 * MINUTE, now, now, DEFAULT_RETENTION)).toBe('raw');
    expect(chooseTier(now - 6 * HOUR, now, now, DEFAULT_RETENTION)).toBe('raw');
    expect(chooseTier(now - 24 * HOUR, now, now, DEFAULT_RETENTION)).toBe('1m');
    expect(chooseTier(now - 7 * 24 * HOUR, now, now, DEFAULT_RETENTION)).toBe('1m');
    expect(chooseTier(now - 30 * 24 * HOUR, now, now, DEFAULT_RETENTION)).toBe('1h');
    // A wide chart of a month can still use minutes.
    expect(chooseTier(now - 30 * 24 * HOUR, now, now, DEFAULT_RETENTION, 2000)).toBe('1m');
    expect(chooseTier(now - 90 * 24 * HOUR, now, now, DEFAULT_RETENTION)).toBe('1h');
    // Raw data older than its retention is gone: an old 1-hour window reads minutes.
    expect(chooseTier(now - 72 * HOUR, now - 71 * HOUR, now, DEFAULT_RETENTION)).toBe('1m');
  });

  it('never steps finer than the tier', () => {
    expect(stepFor('raw', 0, 15 * MINUTE, 600)).toBe(2000);
    expect(stepFor('1m', 0, 24 * HOUR, 600)).toBe(3 * MINUTE);
    expect(stepFor('1h', 0, HOUR, 600)).toBe(HOUR);
  });

  it('leaves steady data without gaps', () => {
    const points: [number, number, number, number][] = [0, 1, 2, 3].map((i) => [i * 1000, 1, 1, 1]);
    expect(withGaps(points, 1000, 'raw', [])).not.toContain(null);
  });
});
