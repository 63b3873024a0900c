// The history store against DESIGN.md's targets: ingest through HistoryWriter (≥ 200 k samples/s),
// chart queries on 30 days of history (≤ 50 ms), and bytes on disk per host-day, per tier.
// BENCH_STORE_INGEST_HOSTS (50): hosts per tick in the ingest runs. BENCH_STORE_HOSTS (default below):
// hosts given full history; BENCH_STORE_DAYS (30): its length; BENCH_STORE_FLEET_RAW_HOURS (2): raw
// history of the rest of the fleet in the same file, before the whole fleet ticks into it. BENCH_STORE_DIR: where the fixture goes
// (default the system's temp folder); BENCH_STORE_KEEP=1 leaves it there.
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, figure, figureAtLeast, importBundled, isMain } from './lib.mjs';

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

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const k = (perSec) => `${Math.round(perSec / 1000)} k`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function run() {
  const ingestHosts = envNumber('BENCH_STORE_INGEST_HOSTS', FLEET);
  const hosts = envNumber('BENCH_STORE_HOSTS', DEFAULT_HOSTS);
  const days = envNumber('BENCH_STORE_DAYS', 30);
  const fleetRawHours = envNumber('BENCH_STORE_FLEET_RAW_HOURS', 2);
  const keep = process.env.BENCH_STORE_KEEP === '1';
  const child = await importBundled('bench/store-child.ts');
  const seriesPerHost = child.seriesShapes().length;
  const base = process.env.BENCH_STORE_DIR ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'hyperion-bench-store-'));
  const results = [];
  try {
    // (a) Ingest as the app does it: samples packed, written into the staging table, moved into the
    // (series, time) table in series order once a minute, rolled up.
    const now = Date.now();
    const describe = (label, r) =>
      `${label}: ${r.hosts} hosts × ${seriesPerHost} series, ${r.ticks} ticks, ${r.ticks / r.writes} a transaction: ` +
      `${k(r.samplesPerSec.sustained)} samples/s sustained (writes and moves out of staging; ` +
      `${k(r.samplesPerSec.write)}/s writing alone, ${k(r.samplesPerSec.withRollups)}/s with the rollups too; ` +
      `over CPU time ${k(r.samplesPerCpuSec.sustained)}, ${k(r.samplesPerCpuSec.write)} and ${k(r.samplesPerCpuSec.withRollups)}); ` +
      `a write takes ${r.msPerWrite.median.toFixed(1)} ms median, ${r.msPerWrite.p95.toFixed(1)} ms p95, ` +
      `${r.msPerWrite.max.toFixed(0)} ms worst; a move (${r.msPerMove.rounds}) ${r.msPerMove.median.toFixed(0)} ms median, ` +
      `${r.msPerMove.max.toFixed(0)} ms worst; rollup of a minute ${r.rollupMsPerMinute.toFixed(0)} ms; ` +
      `${kb(r.writtenBytesPerTick / r.hosts)} written to disk per host per tick` +
      (r.rawBytesPerRow === null ? '' : `; ${r.rawBytesPerRow.toFixed(1)} bytes per raw row as laid out`);
    const ingest = (label, options) => {
      const path = join(work, 'ingest.db');
      const r = child.ingestBench({ path, now, ...options });
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      console.log(describe(label, r));
      return r;
    };
    // A store that has been running for ten minutes: every series on its own leaf pages.
    const steady = ingest('ingest after 10 minutes of history, a transaction a tick', {
      hosts: ingestHosts,
      ticks: 180,
      preloadTicks: 600,
      ticksPerWrite: 1,
    });
    results.push(
      figure(
        'ingest after 10 min of history, a transaction a tick',
        steady.samplesPerSec.sustained / 1000,
        'k samples/s',
      ),
    );
    const batched = ingest('ingest after 10 minutes of history, 5-second batches (the app)', {
      hosts: ingestHosts,
      ticks: 180,
      preloadTicks: 600,
      ticksPerWrite: 5,
    });
    results.push(
      figure(
        'ingest after 10 min of history, 5-s batches',
        batched.samplesPerSec.sustained / 1000,
        'k samples/s',
      ),
    );
    const fresh = ingest('ingest into a new file', {
      hosts: ingestHosts,
      ticks: 180,
      preloadTicks: 0,
      ticksPerWrite: 1,
    });
    results.push(
      figure(
        'ingest into a new file, a transaction a tick',
        fresh.samplesPerSec.sustained / 1000,
        'k samples/s',
      ),
    );
    results.push(
      figure(
        'disk writes per host per tick, 5-s batches',
        batched.writtenBytesPerTick / batched.hosts / 1024,
        'KB',
      ),
    );
    ingest('raw layout as the writer leaves it', {
      hosts: 2,
      ticks: 900,
      preloadTicks: 0,
      ticksPerWrite: 5,
      measureLayout: true,
    });

    // (b) 30 days of history, generated straight into the tiers.
    const rawDays = Math.min(days, 2);
    const rowsPerHost = seriesPerHost * (rawDays * 86_400 + days * 1440 + days * 24);
    const restRows = Math.max(0, ingestHosts - hosts) * seriesPerHost * fleetRawHours * 3600;
    const estimate = (rowsPerHost * hosts + restRows) * 30; // ~30 bytes a row on disk, all tiers together
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

    // The same store going on, as full as this machine allows: the rest of the fleet gets hours of
    // raw history in the same file, then the whole fleet ticks into it.
    const fleetNames = Array.from(
      { length: Math.max(ingestHosts, hosts) },
      (_, i) => `host-${String(i).padStart(3, '0')}`,
    );
    const rest = fleetNames.slice(hosts);
    if (rest.length > 0) {
      const extra = child.generateHistory({
        path,
        hosts: rest,
        now: historyNow,
        tiers: { raw: fleetRawHours * HOUR, minute: 0, hour: 0 },
      });
      console.log(
        `the other ${rest.length} hosts of the fleet: ${fleetRawHours} h of raw history each (BENCH_STORE_FLEET_RAW_HOURS), ` +
          `${extra.rows.raw} rows in ${extra.seconds.toFixed(0)} s`,
      );
    }
    const populated = child.fileFacts(path);
    const how =
      `${fleetNames.length} hosts × ${seriesPerHost} series; ${hosts} with ${days} days of history (${rawDays * 24} h raw), ` +
      `${rest.length} with ${fleetRawHours} h raw; ${populated.rawRows} raw rows, ${mb(populated.bytes)}, raw B-tree ${shape('samples_raw')}`;
    console.log(`populated file: ${how}`);
    const ticks = 180;
    const load = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
    const tickInto = (ticksPerWrite, startAt) =>
      child.ingestBench({
        path,
        hosts: fleetNames,
        ticks,
        preloadTicks: 0,
        // ingestBench starts (ticks + 5) s before `now`.
        now: startAt + (ticks + 5) * 1000,
        ticksPerWrite,
      });
    let at = historyNow + 5000;
    const appLike = tickInto(5, at);
    at += (ticks + 10) * 1000;
    console.log(describe(`ingest into the populated file, 5-second batches (the app; ${load()})`, appLike));
    results.push(
      figureAtLeast(
        `ingest into the populated file (${fleetNames.length} hosts), 5-s batches, sustained`,
        appLike.samplesPerSec.sustained,
        'samples/s',
        TARGETS.samplesPerSec,
      ),
    );
    const perTick = tickInto(1, at);
    at += (ticks + 10) * 1000;
    console.log(describe(`ingest into the populated file, a transaction a tick (${load()})`, perTick));
    results.push(
      figureAtLeast(
        `ingest into the populated file (${fleetNames.length} hosts), a transaction a tick, sustained`,
        perTick.samplesPerSec.sustained,
        'samples/s',
        TARGETS.samplesPerSec,
      ),
    );
    results.push(
      figure(
        '  same, over CPU time (the machine is shared)',
        perTick.samplesPerCpuSec.sustained / 1000,
        'k samples/s',
      ),
    );
    results.push(
      figure('  same, with the rollups counted too', perTick.samplesPerSec.withRollups / 1000, 'k samples/s'),
    );

    // Charts are asked for just before a move, when the staging table holds the most.
    const staged = child.stageTicks({ path, hosts: fleetNames, from: at, ticks: 55 });
    const queryNow = at + 55_000;
    console.log(`queries with ${staged} rows (55 s of the fleet) in the staging table, not moved yet:`);
    for (const q of child.queryBench({ path, host: names[0], now: queryNow, repeats: 15 })) {
      console.log(
        `${q.label}: ${q.tier} tier, step ${q.stepMs / 1000} s, ${q.series} series, ${q.points} points; ` +
          `first ${q.firstMs.toFixed(1)} ms, median ${q.medianMs.toFixed(1)} ms (CPU ${q.medianCpuMs.toFixed(1)} ms), worst ${q.maxMs.toFixed(1)} ms`,
      );
      results.push(figure(`chart ${q.label} (${q.tier}), median`, q.medianMs, 'ms', TARGETS.queryMs));
    }
    return results;
  } finally {
    if (keep) console.log(`fixture kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  run().catch((err) => {
    console.error(`store bench failed: ${err.message}`);
    process.exitCode = 1;
  });
}
