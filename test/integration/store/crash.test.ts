// A writer killed with SIGKILL in the middle of ingest: a real child process (ingest-child.ts, bundled
// by esbuild) writes ticks of ~150 series into a file and says which ones committed; after each kill the
// file opens clean, holds every committed tick whole and no tick in part, and takes more writing.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { flattenSample } from '../../../common/metrics';
import { openDatabase, type Db } from '../../../main/core/store/database';
import { HistoryWriter, HOUR } from '../../../main/core/store/history-writer';
import { CHILD_BASE_TS, CHILD_HOST, realisticSample } from './ingest-child';

const ROOT = resolve(__dirname, '..', '..', '..');
/** Inside the checkout, so that the bundle finds better-sqlite3 in node_modules. */
const BUNDLE = join(ROOT, 'out', 'test-bundles', 'store-ingest-child.cjs');
const SERIES = flattenSample(realisticSample(CHILD_HOST, CHILD_BASE_TS)).length;
const KILLS = 5;
/** Raw rows wherever they are: moved into samples_raw, or still in the staging table. */
const RAW = `(SELECT series_id, ts, value FROM samples_raw
  UNION ALL SELECT series_id, ts, value FROM samples_staging)`;

interface Run {
  /** The first tick the child wrote (it continues after the last one on disk). */
  start: number;
  committed: { tick: number; ts: number }[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  killAfterMs?: number;
}

let dir: string;
let path: string;
const runs: Run[] = [];

/** Runs the child; with `killAfterMs`, SIGKILLs it that long after its first commit. */
function runChild(options: { killAfterMs?: number; ticks?: number }): Promise<Run> {
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HYPERION_INGEST_CHILD_DB: path,
      ...(options.ticks === undefined ? {} : { HYPERION_INGEST_CHILD_TICKS: String(options.ticks) }),
    },
  });
  let stdout = '';
  let stderr = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.killAfterMs !== undefined && timer === undefined && stdout.includes('committed ')) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    }
  });
  return new Promise((done) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Only whole lines count: a line the kill cut short was never a promise.
      const lines = stdout.split('\n').slice(0, -1);
      const start = Number(lines.find((l) => l.startsWith('start '))?.split(' ')[1] ?? NaN);
      const committed = lines
        .filter((l) => l.startsWith('committed '))
        .map((l) => {
          const [, tick, ts] = l.split(' ');
          return { tick: Number(tick), ts: Number(ts) };
        });
      done({ start, committed, code, signal, stderr, killAfterMs: options.killAfterMs });
    });
  });
}

function describeRuns(): string {
  return runs
    .map(
      (r, i) =>
        `run ${i + 1}: start ${r.start}, ${r.committed.length} commits reported, ` +
        `kill after ${r.killAfterMs ?? '—'} ms, exit ${r.signal ?? r.code}`,
    )
    .join('; ');
}

function withDb<T>(work: (db: Db) => T): T {
  const db = openDatabase({ path });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  mkdirSync(join(ROOT, 'out', 'test-bundles'), { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'ingest-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: BUNDLE,
    logLevel: 'silent',
  });
  dir = mkdtempSync(join(tmpdir(), 'hyperion-crash-'));
  path = join(dir, 'history.db');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('history store killed with SIGKILL during ingest', () => {
  it('keeps every committed tick whole, no tick in part, and an intact file', async () => {
    for (let round = 0; round < KILLS; round++) {
      const killAfterMs = 100 + Math.floor(Math.random() * 700);
      const run = await runChild({ killAfterMs });
      runs.push(run);
      expect(run.signal, `the child ended by itself: ${run.stderr}`).toBe('SIGKILL');
      expect(run.committed.length, describeRuns()).toBeGreaterThan(0);
      // Each run goes on right after what the previous one left on disk: at most one tick committed
      // but not reported (the kill fell between COMMIT and the line).
      const previous = runs.at(-2)?.committed.at(-1)?.tick ?? -1;
      expect(run.start - previous, describeRuns()).toBeGreaterThanOrEqual(1);
      expect(run.start - previous, describeRuns()).toBeLessThanOrEqual(2);

      withDb((db) => {
        expect(db.pragma('integrity_check', { simple: true }), describeRuns()).toBe('ok');
        const perTick = new Map(
          (
            db.prepare(`SELECT ts, COUNT(*) AS n FROM ${RAW} GROUP BY ts`).all() as {
              ts: number;
              n: number;
            }[]
          ).map((r) => [r.ts, r.n]),
        );
        const partial = [...perTick].filter(([, n]) => n !== SERIES);
        expect(partial, `ticks stored in part (${SERIES} values each expected)`).toEqual([]);
        const lost = runs
          .flatMap((r) => r.committed)
          .filter((c) => perTick.get(c.ts) !== SERIES)
          .map((c) => c.tick);
        expect(lost, `committed ticks missing after the kill; ${describeRuns()}`).toEqual([]);
        // No hole either: the ticks on disk are 0…last without a gap.
        const last = Math.max(...perTick.keys());
        expect(perTick.size).toBe((last - CHILD_BASE_TS) / 1000 + 1);
        // The last reported tick (the one nearest the kill) holds exactly the values written.
        const { ts } = run.committed.at(-1)!;
        const stored = db
          .prepare(
            `SELECT s.metric, s.label, r.value FROM series s
             JOIN ${RAW} r ON r.series_id = s.id AND r.ts = ? ORDER BY s.id`,
          )
          .all(ts);
        expect(stored).toEqual(flattenSample(realisticSample(CHILD_HOST, ts)));
        expect(db.prepare('SELECT COUNT(*) AS n FROM series').get()).toEqual({ n: SERIES });
        // The writer's row count moved in the same transactions as the rows.
        const counted = db.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get() as { rows: number };
        expect(counted.rows).toBe(perTick.size * SERIES);
      });
    }
  });

  it('reopens and continues on the same file after the kills', async () => {
    expect(runs, 'the kill rounds did not run').toHaveLength(KILLS);
    const lastReported = runs.at(-1)!.committed.at(-1)!.tick;
    const run = await runChild({ ticks: 90 });
    runs.push(run);
    expect(run.code, run.stderr).toBe(0);
    expect(run.start - lastReported).toBeGreaterThanOrEqual(1);
    expect(run.start - lastReported).toBeLessThanOrEqual(2);
    expect(run.committed.map((c) => c.tick)).toEqual(Array.from({ length: 90 }, (_, i) => run.start + i));
    withDb((db) => {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ticks = db.prepare(`SELECT COUNT(DISTINCT ts) AS n FROM ${RAW}`).get() as { n: number };
      expect(ticks.n).toBe(run.start + 90);
    });
  });

  it('rolls up after the crashes: the 1-minute and 1-hour tiers agree with the raw rows', () => {
    withDb((db) => {
      const last = runs.at(-1)!.committed.at(-1)!.ts;
      // A restarted writer finds what the killed ones left staged and half rolled up.
      new HistoryWriter(db).rollup(last + 2 * HOUR);
      expect(db.prepare('SELECT COUNT(*) AS n FROM samples_staging').get()).toEqual({ n: 0 });
      const minutes = db
        .prepare('SELECT series_id, ts, min, max, sum, count FROM samples_1m ORDER BY series_id, ts')
        .all() as { series_id: number; ts: number; min: number; max: number; sum: number; count: number }[];
      const fromRaw = db
        .prepare(
          `SELECT series_id, ts - ts % 60000 AS ts, MIN(value) AS min, MAX(value) AS max,
                  SUM(value) AS sum, COUNT(*) AS count
           FROM samples_raw GROUP BY series_id, ts - ts % 60000 ORDER BY series_id, ts`,
        )
        .all() as typeof minutes;
      expect(minutes.length).toBe(fromRaw.length);
      const differs = (a: (typeof minutes)[number], b: (typeof minutes)[number]): boolean =>
        a.series_id !== b.series_id ||
        a.ts !== b.ts ||
        a.count !== b.count ||
        a.min !== b.min ||
        a.max !== b.max ||
        Math.abs(a.sum - b.sum) > 1e-9 * Math.max(1, Math.abs(b.sum));
      const wrongMinutes = minutes.filter((m, i) => differs(m, fromRaw[i]!));
      expect(wrongMinutes.slice(0, 5)).toEqual([]);

      const hours = db
        .prepare('SELECT series_id, ts, min, max, sum, count FROM samples_1h ORDER BY series_id, ts')
        .all() as typeof minutes;
      const fromMinutes = db
        .prepare(
          `SELECT series_id, ts - ts % 3600000 AS ts, MIN(min) AS min, MAX(max) AS max,
                  SUM(sum) AS sum, SUM(count) AS count
           FROM samples_1m GROUP BY series_id, ts - ts % 3600000 ORDER BY series_id, ts`,
        )
        .all() as typeof minutes;
      expect(hours.length).toBe(fromMinutes.length);
      expect(hours.filter((h, i) => differs(h, fromMinutes[i]!)).slice(0, 5)).toEqual([]);

      const counts = Object.fromEntries(
        (db.prepare('SELECT tier, rows FROM tier_rows').all() as { tier: string; rows: number }[]).map(
          (r) => [r.tier, r.rows],
        ),
      );
      expect(counts).toEqual({
        raw: ((last - CHILD_BASE_TS) / 1000 + 1) * SERIES,
        '1m': minutes.length,
        '1h': hours.length,
      });
    });
  });
});
