// The history store on a disk that fills up (a small tmpfs, mounted for the test: needs root) and on a
// clock that jumps: "full" says so and where, ingest stays instant and bounded, queries answer, the held
// samples land when space returns, and late, duplicate and future samples leave the rollups right.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildSync } from 'esbuild';
import { flattenSample } from '../../../common/metrics';
import type { StoreStatus } from '../../../common/schemas/history';
import type { Sample } from '../../../common/schemas/sample';
import { silentLogger } from '../../../main/core/log';
import { openDatabase, type Db } from '../../../main/core/store/database';
import { DEFAULT_RETENTION, HOUR, MINUTE } from '../../../main/core/store/history-writer';
import { HistoryStore } from '../../../main/core/store/history-store';
import { realisticSample } from './ingest-child';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The engine's worker thread, bundled from the source (no build needed; better-sqlite3 from node_modules). */
const WORKER = join(ROOT, 'out', 'test-bundles', 'store-worker.cjs');
const MB = 2 ** 20;
/**
 * The disk. 16 MB rather than 4: SQLite reuses its WAL from the start only after a checkpoint, which
 * it runs once the WAL holds 1000 pages (4 MB), and every commit appends a page per series touched.
 * Writing the held ticks takes more than a 4 MB disk can give back: the store would fill it again
 * before the WAL is ever checkpointed.
 */
const DISK = '16m';
const SERIES = flattenSample(realisticSample('x', 0)).length;

let mountDir = '';
let mounted = false;

/** The heap in use once garbage is collected (gc exposed at run time: no flag on the test runner). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(condition: () => boolean, explain: () => string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(condition)} (${explain()})`);
    await sleep(2);
  }
}

function freeBytes(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

function withDb<T>(path: string, work: (db: Db) => T): T {
  const db = openDatabase({ path });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Timestamps of the points of one series, over a span the raw tier answers one point per second. */
async function storedTimes(store: HistoryStore, host: string, from: number, to: number): Promise<number[]> {
  const set = await store.query({ host, metric: 'cpu.usage', from, to, maxPoints: 10_000 });
  expect(set.tier).toBe('raw');
  expect(set.stepMs).toBe(1000);
  return (set.series[0]?.points ?? []).flatMap((p) => (p === null ? [] : [p[0]]));
}

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `full-disk.test.ts mounts a ${DISK} tmpfs to fill it, which needs root (CI runs as root): run the integration tests as root.`,
    );
  }
  mountDir = mkdtempSync(join(tmpdir(), 'hyperion-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK}`, 'tmpfs', mountDir], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(
      `Cannot mount a ${DISK} tmpfs at ${mountDir} for the full-disk test (${stderr || (err as Error).message}). ` +
        'It needs root and a kernel that allows tmpfs mounts (in a container: CAP_SYS_ADMIN).',
    );
  }
  mkdirSync(join(ROOT, 'out', 'test-bundles'), { recursive: true });
  buildSync({
    entryPoints: [join(ROOT, 'main', 'core', 'store', 'store-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: WORKER,
    logLevel: 'silent',
  });
});

afterAll(() => {
  if (mounted) {
    try {
      execFileSync('umount', [mountDir], { stdio: 'pipe' });
    } catch {
      // Something still holds a file: detach it now, the kernel frees it when the holder lets go.
      execFileSync('umount', ['-l', mountDir], { stdio: 'pipe' });
    }
  }
  if (mountDir) rmSync(mountDir, { recursive: true, force: true });
});

/** Folders of the tests on the tmpfs, removed after each (a failed test must not fill the next one's disk). */
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * ingest() returns at once: 99 % of calls under 2 ms (flattening a sample and queueing it), none
 * near a tick even with a garbage collection of a large heap in it.
 */
function expectInstant(timing: number[]): void {
  const sorted = [...timing].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length * 0.99)], 'the 99th percentile of ingest() (ms)').toBeLessThan(2);
  expect(sorted.at(-1), 'the slowest ingest() call (ms)').toBeLessThan(250);
}

/** A store in its own folder on the tmpfs. */
function storeOnSmallDisk(mode: 'inline' | 'worker') {
  const dir = mkdtempSync(join(mountDir, `${mode}-`));
  scratch.push(dir);
  const path = join(dir, 'history.db');
  const warnings: string[] = [];
  const store = HistoryStore.open({
    path,
    retention: DEFAULT_RETENTION,
    log: { ...silentLogger, warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f)}`) },
    mode,
    workerScript: WORKER,
  });
  const statuses: StoreStatus[] = [];
  store.onStatus((s) => statuses.push(s));
  const explain = () =>
    `status ${JSON.stringify(store.status)}; last warning: ${warnings.at(-1)}; free ${freeBytes(dir)} bytes`;
  return { dir, path, store, statuses, explain };
}

/**
 * Takes every free byte with a file that can be deleted later. Filled this way (rather than by the
 * store's own growth) the WAL has no slack left from a failed transaction, so the very next write,
 * rollup or outage of the store fails too.
 */
function fillUp(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  expect(freeBytes(dir)).toBe(0);
  return filler;
}

/** Ingests ticks of `hosts` from `start`, one tick per turn of the event loop; returns their times. */
async function ingestTicks(
  store: HistoryStore,
  hosts: string[],
  start: number,
  ticks: number,
  timing: number[],
) {
  const times: number[] = [];
  for (let i = 0, ts = start; i < ticks; i++, ts += 1000) {
    for (const host of hosts) {
      const sample = realisticSample(host, ts);
      const t0 = performance.now();
      store.ingest(sample);
      timing.push(performance.now() - t0);
    }
    times.push(ts);
    await sleep(1);
  }
  return times;
}

describe('history store on a full disk', () => {
  describe.each(['inline', 'worker'] as const)('%s engine', (mode) => {
    it('says "full" with the path, keeps ingest instant, answers queries, and writes the held samples once space returns', async () => {
      const { dir, path, store, statuses, explain } = storeOnSmallDisk(mode);
      const start = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;
      let ts = start;
      const timing: number[] = [];
      try {
        // Ten ticks stored normally, in a minute that the next rollup will have to write.
        const before = await ingestTicks(store, ['web-1', 'db-1'], start, 10, timing);
        await until(() => store.status.queuedValues === 0 && store.status.lastWriteAt !== null, explain);
        const filler = fillUp(dir);

        // Full: the next tick fails, and it brings a host never seen before (new series).
        ts = start + 2 * MINUTE;
        const whileFull = await ingestTicks(store, ['web-1', 'db-1', 'cache-1'], ts, 1, timing);
        await until(() => store.status.state === 'full', explain);
        expect(store.status.message).toContain(path);
        expect(store.status.message).toMatch(/full/);
        // More ticks: ingest() stays instant and never throws; the samples are held.
        ts += 1000;
        whileFull.push(...(await ingestTicks(store, ['web-1', 'db-1', 'cache-1'], ts, 30, timing)));
        ts = whileFull.at(-1)! + 1000;
        expectInstant(timing);
        expect(store.status.state).toBe('full');
        expect(store.status.droppedValues).toBe(0);
        expect(store.status.queuedValues).toBe(whileFull.length * 3 * SERIES);

        // The maintenance round (its rollup cannot be written) and an outage record: no harm done.
        const maintained = await Promise.race([
          store.maintain().then(
            () => 'resolved',
            (err: Error) => `rejected: ${err.message}`,
          ),
          sleep(5000).then(() => 'no answer in 5 s'),
        ]);
        expect(maintained).toMatch(/^rejected: .*full/);
        store.recordOutage('db-1', ts, ts + 500, 'unreachable');
        await sleep(20);
        expect(store.status.state).toBe('full');

        // Reading still works on a full disk.
        expect(await storedTimes(store, 'web-1', start, ts)).toEqual(before);

        // Space returns (someone deletes a big file); the next tick or maintenance round retries.
        rmSync(filler);
        await store.maintain();
        await until(() => store.status.state === 'ok', explain);
        expect(statuses.map((s) => s.state)).toEqual(['full', 'ok']);
        expect(store.status.queuedValues).toBe(0);
        expect(store.status.droppedValues).toBe(0);

        expect(await storedTimes(store, 'web-1', start, ts)).toEqual([...before, ...whileFull]);
        expect(await storedTimes(store, 'db-1', start, ts)).toEqual([...before, ...whileFull]);
        expect(await storedTimes(store, 'cache-1', start, ts)).toEqual(whileFull);
        // The values are those ingested, for the host first seen on the full disk too.
        const cache = await store.query({
          host: 'cache-1',
          metric: 'cpu.core.usage',
          labels: ['3'],
          from: whileFull[0]!,
          to: whileFull[0]! + 1000,
          maxPoints: 10,
        });
        const expected = flattenSample(realisticSample('cache-1', whileFull[0]!)).find(
          (v) => v.metric === 'cpu.core.usage' && v.label === '3',
        )!.value;
        expect(cache.series[0]?.points).toEqual([[whileFull[0], expected, expected, expected]]);
      } finally {
        await store.close();
      }
      withDb(path, (db) => {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const orphans = db
          .prepare('SELECT COUNT(*) AS n FROM samples_raw WHERE series_id NOT IN (SELECT id FROM series)')
          .get() as { n: number };
        expect(orphans.n, 'samples whose series row was rolled back').toBe(0);
        expect(db.prepare('SELECT COUNT(*) AS n FROM series').get()).toEqual({ n: 3 * SERIES });
        // The minute whose rollup failed on the full disk was rolled up once space returned.
        const minutes = db.prepare('SELECT COUNT(*) AS n FROM samples_1m WHERE ts = ?').get(start) as {
          n: number;
        };
        expect(minutes.n, 'rollups of the minute written before the disk filled').toBe(2 * SERIES);
      });
    });
  });

  it('keeps memory bounded while the disk stays full: the oldest held samples go, and are counted', async () => {
    const { dir, path, store, explain } = storeOnSmallDisk('inline');
    const timing: number[] = [];
    let ingested = 0;
    try {
      const start = Math.floor(Date.now() / 1000) * 1000 - 2 * HOUR;
      ingested += (await ingestTicks(store, ['web-1'], start, 10, timing)).length * SERIES;
      await until(() => store.status.queuedValues === 0 && store.status.lastWriteAt !== null, explain);
      fillUp(dir);
      const heapAtFull = heapAfterGc();
      // A 50-host fleet for 12 minutes, a minute per turn of the event loop (a stalled loop catching
      // up): ~5.4 M values, past what the store may hold in memory.
      let ts = start + 10_000;
      let mostQueued = 0;
      for (let turn = 0; turn < 12; turn++) {
        for (let tick = 0; tick < 60; tick++, ts += 1000) {
          for (let h = 0; h < 50; h++) {
            const t0 = performance.now();
            store.ingest(realisticSample(`fleet-${h}`, ts));
            timing.push(performance.now() - t0);
            ingested += SERIES;
          }
        }
        await sleep(1);
        if (turn === 0) await until(() => store.status.state !== 'ok', explain);
        mostQueued = Math.max(mostQueued, store.status.queuedValues);
        expect(['full', 'behind'], `turn ${turn}: ${explain()}`).toContain(store.status.state);
      }
      const heldMb = (heapAfterGc() - heapAtFull) / MB;
      expect(mostQueued).toBeLessThanOrEqual(5_000_000);
      expect(store.status.droppedValues).toBeGreaterThan(0);
      // What stays in memory is what is held: bounded by the values, not by how long the disk is full.
      expect(heldMb, `${mostQueued} values held at most`).toBeLessThan((mostQueued * 150) / MB);
      expectInstant(timing);

      // Space returns by growing the disk this time.
      execFileSync('mount', ['-o', 'remount,size=512m', mountDir], { stdio: 'pipe' });
      await store.maintain();
      await until(() => store.status.state === 'ok', explain, 40_000);
      const stats = await store.stats();
      const raw = stats.tiers.find((t) => t.tier === 'raw')!.rows;
      // Nothing unaccounted for: each value ingested is stored or counted as dropped.
      expect(raw + store.status.droppedValues).toBe(ingested);
    } finally {
      await store.close();
    }
    withDb(path, (db) => expect(db.pragma('integrity_check', { simple: true })).toBe('ok'));
  }, 60_000);
});

describe('history store with a clock that jumps', () => {
  it('stores late, duplicate and future samples once each, and corrects the rolled-up minutes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperion-clock-'));
    const path = join(dir, 'history.db');
    const store = HistoryStore.open({
      path,
      retention: DEFAULT_RETENTION,
      log: silentLogger,
      mode: 'inline',
    });
    const host = 'clock-1';
    const now = Date.now();
    const t0 = now - 3 * HOUR - (now % MINUTE);
    const at = (ts: number, seed = ts): Sample => ({ ...realisticSample(host, seed), ts });
    /** What each stored timestamp must hold: the first sample ingested for it. */
    const first = new Map<number, Sample>();
    const ingest = (sample: Sample): void => {
      if (!first.has(sample.ts)) first.set(sample.ts, sample);
      store.ingest(sample);
    };
    try {
      // Ten minutes at 1 Hz, rolled up.
      for (let i = 0; i < 600; i++) ingest(at(t0 + i * 1000));
      // The machine's clock ran ten minutes ahead at that rollup round; it is set right afterwards.
      await store.maintain(now + 10 * MINUTE);
      // The clock jumps back five minutes and runs on for two (between the earlier samples)…
      for (let i = 0; i < 120; i++) ingest(at(t0 + 5 * MINUTE + i * 1000 + 250));
      // …samples arrive again for instants already stored (other values: must be ignored)…
      for (let i = 0; i < 30; i++) ingest(at(t0 + 2 * MINUTE + i * 1000, t0 + HOUR + i * 1000));
      // …a lone one lands in a minute long rolled up, and one comes from a year ahead.
      ingest(at(t0 + 30_500));
      const future = t0 + 365 * 24 * HOUR;
      ingest(at(future));
      // The next rollup round, a minute later by the corrected clock (before the previous round).
      await store.maintain(now + MINUTE);
      expect(store.status.state).toBe('ok');

      withDb(path, (db) => {
        const perTs = db.prepare('SELECT ts, COUNT(*) AS n FROM samples_raw GROUP BY ts').all() as {
          ts: number;
          n: number;
        }[];
        expect(perTs.length).toBe(first.size);
        expect(perTs.filter((r) => r.n !== SERIES)).toEqual([]);
        // A duplicate instant keeps its first values.
        const dup = t0 + 2 * MINUTE + 7000;
        const stored = db
          .prepare(
            `SELECT s.metric, s.label, r.value FROM series s
             JOIN samples_raw r ON r.series_id = s.id AND r.ts = ? ORDER BY s.id`,
          )
          .all(dup);
        expect(stored).toEqual(flattenSample(first.get(dup)!));
        // Every complete minute agrees with its raw rows, in every series.
        const minutes = db
          .prepare('SELECT series_id, ts, min, max, sum, count FROM samples_1m ORDER BY series_id, ts')
          .all();
        const fromRaw = db
          .prepare(
            `SELECT series_id, ts - ts % 60000 AS ts, MIN(value) AS min, MAX(value) AS max,
                    SUM(value) AS sum, COUNT(*) AS count
             FROM samples_raw WHERE ts < ? GROUP BY series_id, ts - ts % 60000 ORDER BY series_id, ts`,
          )
          .all(now);
        expect(minutes.length).toBe(fromRaw.length);
        expect(minutes).toEqual(
          fromRaw.map((r) => {
            const row = r as { sum: number };
            return { ...row, sum: expect.closeTo(row.sum, 6) as unknown as number };
          }),
        );
      });

      // A 7-hour chart of 420 points (one per minute) reads the 1-minute tier; each minute matches
      // the raw rows of that minute.
      const chart = await store.query({
        host,
        metric: 'cpu.core.usage',
        from: t0 - HOUR,
        to: t0 + 6 * HOUR,
        maxPoints: 420,
      });
      expect(chart.tier).toBe('1m');
      expect(chart.stepMs).toBe(MINUTE);
      expect(chart.series).toHaveLength(8);
      for (const series of chart.series) {
        const points = series.points.filter((p) => p !== null);
        expect(points).toHaveLength(10);
        for (const [start, min, avg, max] of points) {
          const values = [...first.values()]
            .filter((s) => s.ts >= start && s.ts < start + MINUTE)
            .map((s) => s.cpu.cores[Number(series.label)]!.usage);
          expect(min).toBe(Math.min(...values));
          expect(max).toBe(Math.max(...values));
          expect(avg).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
        }
      }
      // The future sample is there, once, and does not disturb the present.
      const ahead = await store.query({
        host,
        metric: 'cpu.usage',
        from: future - MINUTE,
        to: future + MINUTE,
        maxPoints: 600,
      });
      expect(ahead.series[0]?.points.filter((p) => p !== null)).toEqual([
        [future, ...Array(3).fill(first.get(future)!.cpu.total.usage)],
      ]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
