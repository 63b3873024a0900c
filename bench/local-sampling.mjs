// The core sampling this machine at 1 Hz, alone in a Node process, against an idle Node process
// (a no-op timer) as the baseline: CPU over BENCH_SECONDS (default 60) from /proc/<pid>/stat.
import { join } from 'node:path';
import {
  benchSeconds,
  figure,
  isMain,
  REPO_ROOT,
  requireBuild,
  sleep,
  spawnNode,
  startCpuWindow,
} from './lib.mjs';

export const name = 'local-sampling';

/** DESIGN.md: local monitoring at 1 Hz ≤ 0.3 % of one core in the core process. */
const TARGET_PERCENT = 0.3;
/** Module loading and the first readings are start-up, not steady state. */
const WARM_UP_MS = 3000;

const CORE_SCRIPT = `
const { createCore } = require(${JSON.stringify(join(REPO_ROOT, 'out', 'main', 'core', 'core.js'))});
const { mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
let core;
createCore({
  version: 'bench',
  dataDir: mkdtempSync(join(tmpdir(), 'hyperion-bench-')),
  env: { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: '00'.repeat(32) },
}).then(async (c) => {
  core = c;
  await core.start();
});
setInterval(() => {}, 1 << 30); // stays alive even if the sampler's timer is unref'd
// On SIGTERM, say how many samples were taken, so a silent sampler cannot pass as a cheap one.
process.on('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ samples: core.hub.recent('local', 0).length }) + '\\n');
  process.exit(0);
});
`;
const IDLE_SCRIPT = 'setInterval(() => {}, 1000);';

export async function run() {
  requireBuild();
  const seconds = benchSeconds();
  // Both run side by side over the same window: a 2-core machine has room, and it halves the wait.
  const core = spawnNode(['-e', CORE_SCRIPT]);
  const idle = spawnNode(['-e', IDLE_SCRIPT]);
  try {
    await sleep(WARM_UP_MS);
    for (const proc of [core, idle]) {
      if (proc.child.exitCode !== null) throw new Error(`a bench process exited early:\n${proc.stderr()}`);
    }
    console.log(`measuring the core and an idle node process for ${seconds} s…`);
    const coreWindow = startCpuWindow(core.child.pid);
    const idleWindow = startCpuWindow(idle.child.pid);
    await sleep(seconds * 1000);
    const coreCpu = coreWindow.finish();
    const idleCpu = idleWindow.finish();
    if (core.child.exitCode !== null)
      throw new Error(`the core exited during the measurement:\n${core.stderr()}`);
    await core.stop();
    const { samples } = JSON.parse(core.stdout() || '{}');
    // The hub keeps an hour of samples, so a longer window can count no more than that.
    const expected = Math.min(3000, Math.floor((WARM_UP_MS / 1000 + seconds) * 0.9));
    if (!(samples >= expected)) {
      throw new Error(
        `the core took ${samples} samples in ${WARM_UP_MS / 1000 + seconds} s; expected about one a second`,
      );
    }
    console.log(`the core took ${samples} samples (one a second since it started)`);
    return [
      figure('local sampling CPU, core alone at 1 Hz', coreCpu.percent, '% of one core', TARGET_PERCENT),
      figure('idle node baseline, no-op timer', idleCpu.percent, '% of one core'),
    ];
  } finally {
    await Promise.all([core.stop(), idle.stop()]);
  }
}

if (isMain(import.meta.url)) {
  run().catch((err) => {
    console.error(`local-sampling bench failed: ${err.message}`);
    process.exitCode = 1;
  });
}
