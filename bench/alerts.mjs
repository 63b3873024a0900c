// Alert evaluation against the target: 1,000 rules × 50 hosts evaluated per tick in under
// 5 ms (median and 99th percentile over BENCH_ALERT_TICKS ticks). The engine runs in this process,
// bundled from the sources; samples are built outside the timed part.
// BENCH_ALERT_RULES (1000), BENCH_ALERT_HOSTS (50), BENCH_ALERT_TICKS (600).
import { loadavg } from 'node:os';
import { envNumber, figure, importBundled, isMain } from './lib.mjs';

export const name = 'alerts';

const TARGET_MS = 5;

export async function run() {
  const child = await importBundled('bench/alerts-child.ts');
  const rules = envNumber('BENCH_ALERT_RULES', 1000);
  const hosts = envNumber('BENCH_ALERT_HOSTS', 50);
  const ticks = envNumber('BENCH_ALERT_TICKS', 600);
  const r = child.run({ rules, hosts, ticks, warmup: 50 });
  console.log(
    `${r.rules} rules × ${r.hosts} hosts: ${r.bindings} (rule, series) bindings, ${r.ticks} ticks, ${r.transitions} state changes`,
  );
  console.log(`the sampling path pays ${r.queueUs.toFixed(2)} µs per sample (the tap only queues it)`);
  console.log(`the engine allocates ${r.allocatedPerTickKb.toFixed(0)} KiB per tick`);
  // Wall-clock percentiles include the time the OS gave other processes: say how busy it was.
  console.log(
    `load average during the run: ${loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
  );
  return [
    figure(`evaluation per tick, median (${r.rules} rules × ${r.hosts} hosts)`, r.medianMs, 'ms', TARGET_MS),
    figure(`evaluation per tick, CPU time (mean)`, r.cpuMeanMs, 'ms', TARGET_MS),
    figure(`evaluation per tick, 99th percentile (wall clock)`, r.p99Ms, 'ms', TARGET_MS),
    figure(`evaluation per tick, slowest (wall clock)`, r.maxMs, 'ms'),
  ];
}

if (isMain(import.meta.url)) await run();
