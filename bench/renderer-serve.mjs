// What the renderer benches share: the test helpers bundled for plain Node (they are TypeScript),
// and `hyperion serve` started and signed in the way the end-to-end tests do it (accounts: the
// first admin through the setup link, then an access-key link that opens the app signed in).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib.mjs';

/** Bundles one helper of test/helpers into out/bench and imports it. */
export async function importTestHelper(name) {
  const out = join(REPO_ROOT, 'out', 'bench', `${name}-harness.cjs`);
  mkdirSync(join(REPO_ROOT, 'out', 'bench'), { recursive: true });
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [
    join(REPO_ROOT, 'test', 'helpers', `${name}.ts`),
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--packages=external',
    `--outfile=${out}`,
    '--log-level=error',
  ]);
  return import(out);
}

/**
 * A signed-in `serve` whose start is timed as a person restarting Hyperion sees it: the accounts
 * are made on a first start (not timed), then serve starts again on the same data folder.
 * `spawnedAt` is performance.now() just before the timed start.
 */
export async function startSignedInServe(env = {}) {
  const harness = await importTestHelper('serve-process');
  const first = await harness.startServe({ env });
  await first.stop({ keepDataDir: true });
  const spawnedAt = performance.now();
  const serve = await harness.startServe({
    env,
    dataDir: first.dataDir,
    removeDataDirOnStop: true,
    accounts: first.accounts,
  });
  return { serve, spawnedAt };
}
