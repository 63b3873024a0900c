// The history store against DESIGN.md's targets: ingest through HistoryWriter (≥ 200 k samples/s),
// chart queries on 30 days of history (≤ 50 ms), and bytes on disk per host-day, per tier.
// BENCH_STORE_INGEST_HOSTS (50): hosts per tick in the ingest run. BENCH_STORE_HOSTS (default below):
// hosts given full history; BENCH_STORE_DAYS (30): its length. BENCH_STORE_DIR: where the fixture goes
// (default the system's temp folder); BENCH_STORE_KEEP=1 leaves it there.
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { figure, isMain, REPO_ROOT } from './lib.mjs';

export const name = 'store';

const TARGETS = { samplesPerSec: 200_000, queryMs: 50 };
/** The fleet DESIGN.md sizes the store for: 50 hosts of ~150 series at 1 Hz. */
const FLEET = 50;
/**
 * Hosts with full history by default. One host's 30 days are ~33 M rows (26 M raw for 48 h, 6.5 M
 * one-minute, 108 k one-hour) and take ~20 s to generate here; 50 hosts would be ~1.6 billion rows
 * (~45 GB, over half an hour), so the default is a subset that fits the ~5-minute budget.
 */
const DEFAULT_HOSTS = 8;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function envNumber(key, fallback) {
  const raw = process.env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${key} must be a positive integer (got "${raw}")`);
  return value;
}

/** Bundles bench/store-child.ts into out/bench/, inside the checkout so better-sqlite3 resolves. */
async function loadChild() {
  const outfile = join(REPO_ROOT, 'out', 'bench', 'bench_store_child_ts.cjs');
  mkdirSync(join(REPO_ROOT, 'out', 'bench'), { recursive: true });
  buildSync({
    entryPoints: [join(REPO_ROOT, 'bench', 'store-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

/** A figure whose target is a floor (run.mjs's table shows targets as ceilings, so it goes in the label). */
function atLeast(label, value, unit, target) {
  const met = value >= target;
  console.log(
    `${label}: ${Math.round(value)} ${unit} (target ≥ ${target} ${unit}: ${met ? 'met' : 'MISSED'})`,
  );
  return {
    label: `${label} (target ≥ ${target})`,
    value: String(Math.round(value)),
    unit,
    target: undefined,
    met,
  };
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function run() {
  const ingestHosts = envNumber('BENCH_STORE_INGEST_HOSTS', FLEET);
  const hosts = envNumber('BENCH_STORE_HOSTS', DEFAULT_HOSTS);
  const days = envNumber('BENCH_STORE_DAYS', 30);
  const keep = process.env.BENCH_STORE_KEEP === '1';
  const child = await loadChild();
  const seriesPerHost = child.seriesShapes().length;
  const base = process.env.BENCH_STORE_DIR ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'hyperion-bench-store-'));
  const results = [];
  try {
    // (a) Ingest through HistoryWriter.write. The target is met or not by a store that has been
    // running (10 minutes of history: every series on its own leaf pages), one transaction per tick.
    const now = Date.now();
    const ingest = (label, options) => {
      const path = join(work, 'ingest.db');
      const r = child.ingestBench({ path, now, ...options });
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      console.log(
        `${label}: ${r.hosts} hosts × ${seriesPerHost} series, ${r.ticks} ticks in ${r.transactions} transactions: ` +
          `${Math.round(r.samplesPerSec)} samples/s; a transaction takes ${r.msPerTransaction.median.toFixed(1)} ms ` +
          `median, ${r.msPerTransaction.p95.toFixed(1)} ms p95, ${r.msPerTransaction.max.toFixed(0)} ms worst; ` +
          `${kb(r.writtenBytesPerTick / r.hosts)} written to disk per host per tick (WAL pages and checkpoints)` +
          (r.rawBytesPerRow === null ? '' : `; ${r.rawBytesPerRow.toFixed(1)} bytes per raw row as laid out`),
      );
      return r;
    };
    const steady = ingest('ingest, steady state', {
      hosts: ingestHosts,
      ticks: 120,
      preloadTicks: 600,
      grouping: { per: 'tick' },
    });
    console.log(`  rollup of one minute of the fleet: ${steady.rollupMsPerMinute.toFixed(0)} ms`);
    results.push(
      atLeast(
        `ingest, ${ingestHosts} hosts a tick, a transaction each`,
        steady.samplesPerSec,
        'samples/s',
        TARGETS.samplesPerSec,
      ),
    );
    const fresh = ingest('ingest into a new file', {
      hosts: ingestHosts,
      ticks: 120,
      preloadTicks: 0,
      grouping: { per: 'tick' },
    });
    results.push(
      figure(
        `ingest into a new file, ${ingestHosts} hosts a tick`,
        fresh.samplesPerSec / 1000,
        'k samples/s',
      ),
    );
    // Samples of independent hosts arrive apart: the facade then writes each in its own transaction.
    const perHost = ingest('ingest, steady state, a transaction per host sample', {
      hosts: ingestHosts,
      ticks: 20,
      preloadTicks: 600,
      grouping: { per: 'host' },
    });
    results.push(
      figure('ingest, a transaction per host sample', perHost.samplesPerSec / 1000, 'k samples/s'),
    );
    const coalesced = ingest('ingest, steady state, 10 ticks a transaction', {
      hosts: ingestHosts,
      ticks: 120,
      preloadTicks: 600,
      grouping: { per: 'ticks', ticks: 10 },
    });
    results.push(figure('ingest, 10 ticks a transaction', coalesced.samplesPerSec / 1000, 'k samples/s'));
    results.push(
      figure(
        'disk writes per host per tick, a transaction a tick',
        steady.writtenBytesPerTick / steady.hosts / 1024,
        'KB',
      ),
    );
    ingest('raw layout as the writer leaves it', {
      hosts: 2,
      ticks: 900,
      preloadTicks: 0,
      grouping: { per: 'tick' },
      measureLayout: true,
    });

    // (b) 30 days of history, generated straight into the tiers.
    const rawDays = Math.min(days, 2);
    const rowsPerHost = seriesPerHost * (rawDays * 86_400 + days * 1440 + days * 24);
    const estimate = rowsPerHost * hosts * 30; // ~30 bytes a row on disk, all tiers together
    const free = statfsSync(work).bavail * statfsSync(work).bsize;
    if (estimate > free * 0.8) {
      throw new Error(
        `the fixture (${hosts} hosts × ${days} days, about ${mb(estimate)}) does not fit in ${work} (${mb(free)} free): ` +
          'lower BENCH_STORE_HOSTS or point BENCH_STORE_DIR elsewhere',
      );
    }
    console.log(
      hosts < FLEET
        ? `history: full ${days}-day history for ${hosts} of a ${FLEET}-host fleet (BENCH_STORE_HOSTS; the whole fleet ` +
            `would be ${((rowsPerHost * FLEET) / 1e9).toFixed(2)} billion rows, about ${mb(estimate * (FLEET / hosts))}); ` +
            `query cost is per series and grows with the depth of the B-trees (see below)…`
        : `history: full ${days}-day history for ${hosts} hosts…`,
    );
    const path = join(work, 'history.db');
    const names = Array.from({ length: hosts }, (_, i) => `host-${String(i).padStart(3, '0')}`);
    const historyNow = now - (now % 1000);
    const generated = child.generateHistory({
      path,
      hosts: names,
      now: historyNow,
      tiers: { raw: rawDays * DAY, minute: days * DAY, hour: days * DAY },
      progress: (line) => process.stdout.write(`  ${line}\r`),
    });
    const totalBytes =
      generated.bytes.raw + generated.bytes['1m'] + generated.bytes['1h'] + generated.bytes.other;
    const shape = (table) => {
      const t = child.treeShape(path, table);
      if (!t) return '?';
      // A fleet k times larger is log(k) / log(fanout) levels deeper.
      const more =
        hosts < FLEET
          ? `, +${(Math.log(FLEET / hosts) / Math.log(t.fanout)).toFixed(1)} for ${FLEET} hosts`
          : '';
      return `${t.levels} (${t.fanout} keys an interior page${more})`;
    };
    console.log(
      `generated in ${generated.seconds.toFixed(0)} s: ${generated.rows.raw} raw rows, ${generated.rows['1m']} 1-minute, ` +
        `${generated.rows['1h']} 1-hour; ${mb(totalBytes)} on disk. B-tree levels: raw ${shape('samples_raw')}; ` +
        `1m ${shape('samples_1m')}; 1h ${shape('samples_1h')}`,
    );
    const perHostDay = {
      raw: generated.bytes.raw / (hosts * rawDays),
      '1m': generated.bytes['1m'] / (hosts * days),
      '1h': generated.bytes['1h'] / (hosts * days),
    };
    const retained = perHostDay.raw * 2 + perHostDay['1m'] * 30 + perHostDay['1h'] * 730;
    console.log(
      `disk per host-day: raw ${mb(perHostDay.raw)}, 1 min ${mb(perHostDay['1m'])}, 1 h ${kb(perHostDay['1h'])} ` +
        `(${(generated.bytes.raw / generated.rows.raw).toFixed(1)}, ${(generated.bytes['1m'] / generated.rows['1m']).toFixed(1)} and ` +
        `${(generated.bytes['1h'] / generated.rows['1h']).toFixed(1)} bytes a row); with the default retention ` +
        `(raw 48 h, 1 min 30 d, 1 h 2 y) a host needs ${mb(retained)}, a ${FLEET}-host fleet ${mb(retained * FLEET)}`,
    );
    results.push(figure('disk per host-day, raw tier', perHostDay.raw / 2 ** 20, 'MB'));
    results.push(figure('disk per host-day, 1-minute tier', perHostDay['1m'] / 2 ** 20, 'MB'));
    results.push(figure('disk per host-day, 1-hour tier', perHostDay['1h'] / 1024, 'KB'));
    results.push(figure('disk per host, default retention', retained / 2 ** 20, 'MB'));

    // The same store going on: ingest of those hosts into the big file.
    const onBig = ingestInto(child, path, names, historyNow);
    console.log(
      `ingest into the ${days}-day file: ${hosts} hosts a tick, ${Math.round(onBig.samplesPerSec)} samples/s; ` +
        `${onBig.msPerTransaction.median.toFixed(1)} ms per tick median, ${onBig.msPerTransaction.max.toFixed(0)} ms worst; ` +
        `${kb(onBig.writtenBytesPerTick / hosts)} written per host per tick`,
    );
    results.push(
      figure(
        `ingest into the ${days}-day file, ${hosts} hosts a tick`,
        onBig.samplesPerSec / 1000,
        'k samples/s',
      ),
    );

    for (const q of child.queryBench({ path, host: names[0], now: historyNow, repeats: 15 })) {
      console.log(
        `${q.label}: ${q.tier} tier, step ${q.stepMs / 1000} s, ${q.series} series, ${q.points} points; ` +
          `first ${q.firstMs.toFixed(1)} ms, median ${q.medianMs.toFixed(1)} ms, worst ${q.maxMs.toFixed(1)} ms`,
      );
      results.push(figure(`chart ${q.label} (${q.tier}), median`, q.medianMs, 'ms', TARGETS.queryMs));
    }
    return results;
  } finally {
    if (keep) console.log(`fixture kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** Ticks right after the fixture's last second, into the fixture itself. */
function ingestInto(child, path, hosts, historyNow) {
  return child.ingestBench({
    path,
    hosts,
    ticks: 60,
    preloadTicks: 0,
    now: historyNow + 70_000,
    grouping: { per: 'tick' },
  });
}

if (isMain(import.meta.url)) {
  run().catch((err) => {
    console.error(`store bench failed: ${err.message}`);
    process.exitCode = 1;
  });
}
