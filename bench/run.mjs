// Runs the benches one after another (or those named on the command line) and prints each figure
// against its target: `node bench/run.mjs [serve-idle] [local-sampling]`.
import * as alerts from './alerts.mjs';
import * as collectSsh from './collect-ssh.mjs';
import * as execFanout from './exec-fanout.mjs';
import * as localSampling from './local-sampling.mjs';
import * as processes from './processes.mjs';
import * as rendererFleet from './renderer-fleet.mjs';
import { benchSeconds } from './lib.mjs';
import * as serveIdle from './serve-idle.mjs';
import * as sftp from './sftp.mjs';
import * as store from './store.mjs';

const BENCHES = [
  serveIdle,
  localSampling,
  collectSsh,
  store,
  rendererFleet,
  alerts,
  execFanout,
  processes,
  sftp,
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown bench ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')}.`,
  );
  process.exit(2);
}
const chosen = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

console.log(`Benches: ${chosen.map((b) => b.name).join(', ')}; window ${benchSeconds()} s (BENCH_SECONDS)\n`);
const rows = [];
let failed = false;
for (const bench of chosen) {
  console.log(`— ${bench.name}`);
  try {
    for (const result of await bench.run()) rows.push({ bench: bench.name, ...result });
  } catch (err) {
    failed = true;
    console.error(`${bench.name} failed: ${err.message}`);
    rows.push({ bench: bench.name, label: 'failed', value: '—', unit: '', target: undefined, met: false });
  }
  console.log('');
}

const table = rows.map((r) => [
  r.bench,
  r.label,
  `${r.value} ${r.unit}`.trim(),
  r.target === undefined ? '—' : `${r.floor ? '≥' : '≤'} ${r.target} ${r.unit}`,
  r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
]);
const header = ['bench', 'figure', 'measured', 'target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log('Summary');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(line(row));
if (failed) process.exitCode = 1;
