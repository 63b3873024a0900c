// Process table refresh cost with thousands of processes (BENCH_PROCESSES, default 5000): one
// refresh of this computer's table from /proc, one over loopback SSH (the fixed script, the wire
// bytes after SSH compression), and the renderer's filter and sort of the whole table.
// `node bench/processes.mjs` or `npm run bench -- processes`.
import { bundle, figure, isMain, spawnNode } from './lib.mjs';

export const name = 'processes';

/** Set before measuring: a refresh every 2 s should cost well under a tenth of a core. */
const TARGETS = { localMs: 150, remoteMs: 750, wireKiB: 256, sortMs: 16 };

export async function run() {
  const count = Number(process.env.BENCH_PROCESSES ?? 5000);
  const child = spawnNode([bundle('bench/processes-child.ts'), String(count), '10']);
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`the bench child failed: ${child.stderr().slice(-2000)}`);
  const r = JSON.parse(child.stdout().trim().split('\n').at(-1));
  console.log(
    `${r.processes} processes here, ${r.remoteCount} over SSH; local refresh: read ${r.localParts.read.toFixed(1)} ms, parse ${r.localParts.parse.toFixed(1)} ms, rows ${r.localParts.rows.toFixed(1)} ms, diff ${r.localParts.diff.toFixed(1)} ms; ${(r.localBytes / 1024).toFixed(0)} KiB of /proc text; SSH script output ${(r.remoteBytes / 1024).toFixed(0)} KiB; first snapshot to the renderer ${(r.snapshotBytes / 1024).toFixed(0)} KiB of JSON`,
  );
  return [
    figure(`${r.processes} processes: local refresh`, r.localMs, 'ms', TARGETS.localMs),
    figure(`${r.remoteCount} processes: SSH refresh`, r.remoteMs, 'ms', TARGETS.remoteMs),
    figure('SSH refresh on the wire (compressed)', r.wireBytes / 1024, 'KiB', TARGETS.wireKiB),
    figure('renderer filter + sort (flat)', r.sortFlatMs, 'ms', TARGETS.sortMs),
    figure('renderer tree', r.sortTreeMs, 'ms', TARGETS.sortMs),
  ];
}

if (isMain(import.meta.url)) {
  const results = await run();
  if (results.some((r) => r.met === false)) process.exitCode = 1;
}
