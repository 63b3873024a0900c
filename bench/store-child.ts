// The history store's bench over the real modules (bundled by bench/store.mjs, better-sqlite3 external):
// ingest as the app does it (packed samples, staging, moves), a 30-day fixture generated straight into
// the tiers, range queries on it.
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { flattenSample } from '../common/metrics';
import { openDatabase, type Db } from '../main/core/store/database';
import { HistoryQueries } from '../main/core/store/history-queries';
import { DEFAULT_RETENTION, HistoryWriter, HOUR, MINUTE } from '../main/core/store/history-writer';
import {
  concatTicks,
  SamplePacker,
  type PackedTick,
  type SeriesLayout,
} from '../main/core/store/sample-packing';
import { realisticSample } from '../test/integration/store/ingest-child';

export { realisticSample };

export const DAY = 24 * HOUR;

/** How a series' values look on disk: SQLite stores a whole REAL as a (shorter) integer, a zero in no byte. */
type Kind = 'zero' | 'int' | 'frac';

interface Shape {
  metric: string;
  label: string;
  kind: Kind;
  base: number;
  spread: number;
}

/** The ~150 series of the realistic sample, each with the kind and range of its values. */
export function seriesShapes(): Shape[] {
  return flattenSample(realisticSample('shape', DAY)).map(({ metric, label, value }) => {
    if (value === 0) return { metric, label, kind: 'zero', base: 0, spread: 1 };
    if (Number.isInteger(value)) {
      return { metric, label, kind: 'int', base: value, spread: Math.max(2, Math.round(value * 0.02)) };
    }
    return { metric, label, kind: 'frac', base: value * 0.5, spread: Math.max(value, 1) };
  });
}

/** Bytes this process caused to be written to storage (WAL, checkpoints, the file), from /proc. */
function writeBytes(): number {
  const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : NaN;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

// ─── (a) ingest ────────────────────────────────────────────────────────────────────────────────

export interface IngestResult {
  hosts: number;
  ticks: number;
  writes: number;
  /** Samples per second: writes alone; writes and the moves out of staging; and with rollups too. */
  samplesPerSec: { write: number; sustained: number; withRollups: number };
  /** The same over the CPU time the bench's thread used: what a machine that others share would give. */
  samplesPerCpuSec: { write: number; sustained: number; withRollups: number };
  msPerWrite: { median: number; p95: number; max: number };
  /** One move of the staged rows into samples_raw (each `moveEveryTicks` ticks). */
  msPerMove: { median: number; max: number; rounds: number };
  rollupMsPerMinute: number;
  /** Bytes written to storage per tick (WAL, checkpoints, the file), moves and rollups included. */
  writtenBytesPerTick: number;
  /** Bytes per raw row as the writer lays the table out (dbstat after a checkpoint), when asked. */
  rawBytesPerRow: number | null;
}

/**
 * Ticks of `hosts` × ~150 series as the app stores them: packed by SamplePacker, written by
 * HistoryWriter.writePacked `ticksPerWrite` ticks a transaction (the app writes 5-second batches),
 * moved out of staging and rolled up every `moveEveryTicks` ticks (the app's rollup pass runs
 * about once a minute), on a database opened as the app opens it. `preloadTicks` seconds of raw
 * history are generated first unless the file already holds history (`populated`), so that each
 * series has its own leaf pages, as in a store that has been running.
 */
export function ingestBench(options: {
  path: string;
  hosts: number | string[];
  ticks: number;
  preloadTicks: number;
  now: number;
  ticksPerWrite: number;
  moveEveryTicks?: number;
  measureLayout?: boolean;
}): IngestResult {
  const { ticks, now, ticksPerWrite } = options;
  const moveEvery = options.moveEveryTicks ?? 60;
  const names =
    typeof options.hosts === 'number'
      ? Array.from({ length: options.hosts }, (_, i) => `host-${String(i).padStart(3, '0')}`)
      : options.hosts;
  const warm = 5;
  const start = now - (now % 1000) - (ticks + warm) * 1000;
  if (options.preloadTicks > 0) {
    generateHistory({
      path: options.path,
      hosts: names,
      now: start,
      tiers: { raw: options.preloadTicks * 1000, minute: 0, hour: 0 },
    });
  }
  const db = openDatabase({ path: options.path });
  try {
    const writer = new HistoryWriter(db);
    // The samples are packed before the clock starts: the bench times the store, not the sampler.
    const packer = new SamplePacker();
    const tick = (t: number): PackedTick[] =>
      names.map((host) => packer.pack(realisticSample(host, start + t * 1000)));
    const layouts = new Map<number, SeriesLayout>();
    const batch = (from: number, count: number): Float64Array => {
      const data = concatTicks(Array.from({ length: count }, (_, i) => tick(from + i)).flat());
      for (const layout of packer.takeChanges().layouts) layouts.set(layout.id, layout);
      return data;
    };
    writer.writePacked(layouts, batch(0, warm));
    writer.rollup(start + warm * 1000);
    const batches: { data: Float64Array; lastTick: number }[] = [];
    for (let t = 0; t < ticks; t += ticksPerWrite) {
      const count = Math.min(ticksPerWrite, ticks - t);
      batches.push({ data: batch(warm + t, count), lastTick: t + count - 1 });
    }
    const writeTimes: number[] = [];
    const moveTimes: number[] = [];
    let rollupMs = 0;
    const cpu = { write: 0, move: 0, rollup: 0 };
    const cpuMs = (): number => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1000;
    };
    let values = 0;
    const bytes0 = writeBytes();
    let sinceMove = 0;
    for (const { data, lastTick } of batches) {
      const c0 = cpuMs();
      const t0 = performance.now();
      values += writer.writePacked(layouts, data);
      writeTimes.push(performance.now() - t0);
      cpu.write += cpuMs() - c0;
      sinceMove += data.length > 0 ? ticksPerWrite : 0;
      if (sinceMove >= moveEvery || lastTick === ticks - 1) {
        sinceMove = 0;
        const c0 = cpuMs();
        const m0 = performance.now();
        writer.moveStaged();
        const m1 = performance.now();
        const c1 = cpuMs();
        writer.rollup(start + (warm + lastTick + 1) * 1000);
        moveTimes.push(m1 - m0);
        rollupMs += performance.now() - m1;
        cpu.move += c1 - c0;
        cpu.rollup += cpuMs() - c1;
      }
    }
    const written = writeBytes() - bytes0;
    const writeMs = writeTimes.reduce((a, b) => a + b, 0);
    const moveMs = moveTimes.reduce((a, b) => a + b, 0);
    const sorted = [...writeTimes].sort((a, b) => a - b);
    const moves = [...moveTimes].sort((a, b) => a - b);
    let rawBytesPerRow: number | null = null;
    if (options.measureLayout) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const raw = db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'samples_raw'").get() as {
        bytes: number;
      };
      const rows = db.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get() as { rows: number };
      rawBytesPerRow = raw.bytes / rows.rows;
    }
    return {
      hosts: names.length,
      ticks,
      writes: batches.length,
      samplesPerSec: {
        write: values / (writeMs / 1000),
        sustained: values / ((writeMs + moveMs) / 1000),
        withRollups: values / ((writeMs + moveMs + rollupMs) / 1000),
      },
      samplesPerCpuSec: {
        write: values / (cpu.write / 1000),
        sustained: values / ((cpu.write + cpu.move) / 1000),
        withRollups: values / ((cpu.write + cpu.move + cpu.rollup) / 1000),
      },
      msPerWrite: { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1)! },
      msPerMove: { median: quantile(moves, 0.5), max: moves.at(-1)!, rounds: moves.length },
      rollupMsPerMinute: rollupMs / (ticks / 60),
      writtenBytesPerTick: written / ticks,
      rawBytesPerRow,
    };
  } finally {
    db.close();
  }
}

/** Rows written into the staging table and left there (as just before a move): `ticks` from `from`. */
export function stageTicks(options: { path: string; hosts: string[]; from: number; ticks: number }): number {
  const db = openDatabase({ path: options.path });
  try {
    const writer = new HistoryWriter(db);
    const packer = new SamplePacker();
    const layouts = new Map<number, SeriesLayout>();
    let staged = 0;
    for (let t = 0; t < options.ticks; t += 5) {
      const ticks = Array.from({ length: Math.min(5, options.ticks - t) }, (_, i) =>
        options.hosts.map((host) => packer.pack(realisticSample(host, options.from + (t + i) * 1000))),
      ).flat();
      for (const layout of packer.takeChanges().layouts) layouts.set(layout.id, layout);
      staged += writer.writePacked(layouts, concatTicks(ticks));
    }
    return staged;
  } finally {
    db.close();
  }
}

/** Raw rows (tier_rows) and bytes of a database file. */
export function fileFacts(path: string): { rawRows: number; bytes: number } {
  const db = new Database(path, { readonly: true });
  try {
    const raw = db.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get() as { rows: number };
    return { rawRows: raw.rows, bytes: pageBytes(db) };
  } finally {
    db.close();
  }
}

// ─── (b) the history fixture ───────────────────────────────────────────────────────────────────

export interface GenerateResult {
  seconds: number;
  rows: { raw: number; '1m': number; '1h': number };
  /** Bytes of the file each tier added (pages × page size). */
  bytes: { raw: number; '1m': number; '1h': number; other: number };
}

/**
 * Writes history as the store would hold it after running for a while: per series, raw rows every
 * second for `tiers.raw` ms before `now`, 1-minute rollups for `tiers.minute`, 1-hour ones for
 * `tiers.hour`. Rows go in time order across series (an hour of every series, then the next), so
 * that the B-trees interleave series as the real writer leaves them, but each INSERT makes its rows
 * inside SQLite (a recursive CTE), with the journal off: a fixture, not a test of durability.
 */
export function generateHistory(options: {
  path: string;
  hosts: string[];
  now: number;
  tiers: { raw: number; minute: number; hour: number };
  progress?: (line: string) => void;
}): GenerateResult {
  const started = performance.now();
  openDatabase({ path: options.path }).close(); // the schema, by the real migrations
  const db = new Database(options.path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -1000000'); // 1 GB: the last leaf of every series stays in memory
    const shapes = seriesShapes();
    const insertSeries = db.prepare(
      'INSERT INTO series (host_id, metric, label) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET label = label RETURNING id',
    );
    const series = db.transaction(() =>
      options.hosts.flatMap((host) =>
        shapes.map((shape) => ({
          ...shape,
          id: (insertSeries.get(host, shape.metric, shape.label) as { id: number }).id,
        })),
      ),
    )();
    const rows = { raw: 0, '1m': 0, '1h': 0 };
    const bytes = { raw: 0, '1m': 0, '1h': 0, other: pageBytes(db) };
    const tier = (name: 'raw' | '1m' | '1h', span: number, step: number, chunk: number): void => {
      if (span <= 0) return;
      const statements = tierStatements(db, name, step);
      const before = pageBytes(db);
      // Each tier ends where its last complete step ends, as the rollups leave it.
      const now = options.now - (options.now % step);
      const from = now - span;
      const write = db.transaction((chunkFrom: number, chunkTo: number) => {
        for (const s of series) {
          const scale = s.spread / 1_000_000;
          const params = { id: s.id, from: chunkFrom, to: chunkTo, base: s.base, spread: s.spread, scale };
          rows[name] += statements[s.kind].run(params).changes;
        }
      });
      for (let at = from, n = 0; at < now; at += chunk, n++) {
        write(at, Math.min(now, at + chunk));
        if (options.progress && n % 24 === 23)
          options.progress(`${name}: ${Math.round(((at + chunk - from) / span) * 100)} %`);
      }
      bytes[name] += pageBytes(db) - before;
    };
    tier('1h', options.tiers.hour, HOUR, options.tiers.hour);
    tier('1m', options.tiers.minute, MINUTE, DAY);
    tier('raw', options.tiers.raw, 1000, HOUR);
    const setRows = db.prepare('UPDATE tier_rows SET rows = rows + ? WHERE tier = ?');
    for (const [name, n] of Object.entries(rows)) setRows.run(n, name);
    // Back to the app's journal, and unlocked, for whoever opens it next.
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
    // On the disk before anything is timed: the first fsync of a measured run must not flush the fixture.
    const fd = openSync(options.path, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    return { seconds: (performance.now() - started) / 1000, rows, bytes };
  } finally {
    db.close();
  }
}

function pageBytes(db: Database.Database): number {
  return (
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number)
  );
}

/** One INSERT per kind of series: the rows of one series over [from, to), made by SQLite. */
function tierStatements(db: Database.Database, tier: 'raw' | '1m' | '1h', step: number) {
  const times = `WITH RECURSIVE t(ts) AS (SELECT @from UNION ALL SELECT ts + ${step} FROM t WHERE ts + ${step} < @to)`;
  const value: Record<Kind, string> = {
    zero: 'CASE WHEN abs(random()) % 200 = 0 THEN 1.0 ELSE 0.0 END',
    int: '@base + abs(random()) % @spread',
    frac: '@base + (abs(random()) % 1000000) * @scale',
  };
  if (tier === 'raw') {
    const make = (kind: Kind) =>
      db.prepare(
        `${times} INSERT INTO samples_raw (series_id, ts, value) SELECT @id, ts, ${value[kind]} FROM t`,
      );
    return { zero: make('zero'), int: make('int'), frac: make('frac') };
  }
  const count = step / 1000;
  const spreadOf: Record<Kind, string> = {
    zero: 'CASE WHEN abs(random()) % 20 = 0 THEN 1.0 ELSE 0.0 END',
    int: 'abs(random()) % @spread',
    frac: '(abs(random()) % 1000000) * @scale * 0.5',
  };
  const make = (kind: Kind) =>
    db.prepare(
      `${times} INSERT INTO samples_${tier} (series_id, ts, min, max, sum, count)
       SELECT @id, ts, ${kind === 'zero' ? '0.0' : 'v - d'}, v + d, v * ${count}, ${count}
       FROM (SELECT ts, ${kind === 'zero' ? '0.0' : value[kind]} AS v, ${spreadOf[kind]} AS d FROM t)`,
    );
  return { zero: make('zero'), int: make('int'), frac: make('frac') };
}

// ─── (b) queries ───────────────────────────────────────────────────────────────────────────────

export interface QueryTiming {
  label: string;
  tier: string;
  stepMs: number;
  series: number;
  points: number;
  firstMs: number;
  medianMs: number;
  /** Median CPU time of a query (the machine is shared: wall time includes waiting for a core). */
  medianCpuMs: number;
  maxMs: number;
}

/**
 * Charts as the UI asks for them (maxPoints 600) on the database opened as the app opens it: the
 * first call, then `repeats` more for the median and the worst.
 */
export function queryBench(options: {
  path: string;
  host: string;
  now: number;
  repeats: number;
}): QueryTiming[] {
  const db: Db = openDatabase({ path: options.path });
  try {
    const queries = new HistoryQueries(db);
    const { host, now } = options;
    // In the app the engine reads its clock after the request was made: a "30 d" chart ends up a few
    // ms past the 1-minute tier's reach and is read from the 1-hour tier. Both cases are timed.
    const cases = [
      { span: HOUR, name: '1 h', lag: 5 },
      { span: DAY, name: '24 h', lag: 5 },
      { span: 30 * DAY, name: '30 d', lag: 5 },
      { span: 30 * DAY, name: '30 d from the 1-minute tier', lag: 0 },
    ];
    const charts = [
      { metric: 'cpu.core.usage', labels: undefined, what: 'cpu.core.usage, 8 cores' },
      { metric: 'cpu.usage', labels: undefined, what: 'cpu.usage' },
    ];
    const out: QueryTiming[] = [];
    for (const c of cases) {
      for (const chart of charts) {
        const request = { host, metric: chart.metric, from: now - c.span, to: now, maxPoints: 600 };
        const run = () => {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const set = queries.range(request, now + c.lag, DEFAULT_RETENTION);
          const ms = performance.now() - t0;
          const used = process.cpuUsage(c0);
          return { ms, cpuMs: (used.user + used.system) / 1000, set };
        };
        const first = run();
        const runs = Array.from({ length: options.repeats }, () => run());
        const times = runs.map((r) => r.ms).sort((a, b) => a - b);
        const cpuTimes = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
        out.push({
          label: `${c.name}: ${chart.what}`,
          tier: first.set.tier,
          stepMs: first.set.stepMs,
          series: first.set.series.length,
          points: first.set.series.reduce((n, s) => n + s.points.filter((p) => p !== null).length, 0),
          firstMs: first.ms,
          medianMs: quantile(times, 0.5),
          medianCpuMs: quantile(cpuTimes, 0.5),
          maxMs: times.at(-1)!,
        });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * Levels of a table's B-tree (root to leaf) and the keys an interior page holds, from the dbstat
 * virtual table (null when it is not compiled in).
 */
export function treeShape(path: string, table: string): { levels: number; fanout: number } | null {
  const db = new Database(path, { readonly: true });
  try {
    // dbstat walks depth first: the first leaf it meets is at the depth of every leaf; the interior
    // pages on the way (but the root, which may be part full) show how many keys a page holds.
    const pages = db
      .prepare('SELECT path, pagetype, ncell FROM dbstat WHERE name = ? LIMIT 16')
      .all(table) as {
      path: string;
      pagetype: string;
      ncell: number;
    }[];
    const leaf = pages.findIndex((p) => p.pagetype === 'leaf');
    if (leaf < 0) return null;
    const interior = pages.slice(1, leaf).map((p) => p.ncell);
    return {
      levels: pages[leaf]!.path.split('/').length - 1,
      fanout: interior.length > 0 ? Math.max(...interior) + 1 : pages[0]!.ncell + 1,
    };
  } catch {
    return null;
  } finally {
    db.close();
  }
}
