// The renderer with 20 SSH hosts live at 1 Hz: frames over 50 ms during the window (target ≤ 1 %),
// and the page's JS heap at the start and the end of a longer run (it must not grow).
// BENCH_SECONDS sets the frame window; BENCH_MEMORY_MINUTES (default 10) each memory run (fleet view,
// then host view; BENCH_HOST_MEMORY=0 skips the host view's).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSeconds, CHROMIUM_ARGS, figure, REPO_ROOT, sleep } from './lib.mjs';
import { startSignedInServe } from './renderer-serve.mjs';

export const name = 'renderer-fleet';
const HOSTS = Number(process.env.BENCH_FLEET_HOSTS ?? 20);

function bundleHarness() {
  const out = join(REPO_ROOT, 'out', 'bench', 'sshd-harness.cjs');
  mkdirSync(join(REPO_ROOT, 'out', 'bench'), { recursive: true });
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [
    join(REPO_ROOT, 'test', 'helpers', 'sshd.ts'),
    '--bundle',
    '--platform=node',
    '--format=cjs',
    `--outfile=${out}`,
    '--log-level=error',
  ]);
  return out;
}

export async function run() {
  const seconds = benchSeconds();
  const memoryMinutes = Number(process.env.BENCH_MEMORY_MINUTES ?? 10);
  // The host view's memory run too (BENCH_HOST_MEMORY=0 skips it).
  const hostMemory = process.env.BENCH_HOST_MEMORY !== '0';
  const harness = await import(bundleHarness());
  const fleet = await harness.startSshdFleet(HOSTS, { namePrefix: 'rf', port: 2952 });
  const home = mkdtempSync(join(tmpdir(), 'hyperion-bench-home-'));
  mkdirSync(join(home, '.ssh'));
  // Known keys: the hosts come up without the verification step.
  writeFileSync(
    join(home, '.ssh', 'known_hosts'),
    fleet.hosts
      .map((h) => `[${h.address}]:${h.port} ${h.hostKey().type} ${h.hostKey().keyBase64}`)
      .join('\n') + '\n',
  );
  const { serve } = await startSignedInServe({
    HOME: home,
    HYPERION_SECRETS: 'file',
    HYPERION_SECRET_KEY: 'cd'.repeat(32),
  });
  const api = await serve.client();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
  try {
    for (const [i, h] of fleet.hosts.entries()) {
      await api.client.call('hosts.add', {
        name: `fleet-${String(i).padStart(2, '0')}`,
        address: h.address,
        port: h.port,
        username: fleet.user.name,
        auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
      });
    }
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(serve.url);
    await page.getByTestId('fleet-table').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-state="up"]').length >= n, HOSTS, {
      timeout: 60_000,
    });
    console.log(`${HOSTS} hosts up in the fleet view; measuring frames for ${seconds} s…`);
    await sleep(3_000);
    const measureFrames = (ms) =>
      page.evaluate(
        (ms) =>
          new Promise((done) => {
            const deltas = [];
            let last = performance.now();
            const end = last + ms;
            const step = (now) => {
              deltas.push(now - last);
              last = now;
              if (now < end) requestAnimationFrame(step);
              else done(deltas);
            };
            requestAnimationFrame(step);
          }),
        ms,
      );
    const report = (label, frames) => {
      const slow = frames.filter((d) => d > 50).length;
      console.log(
        `${label}: ${frames.length} frames, ${slow} over 50 ms, longest ${Math.max(...frames).toFixed(0)} ms`,
      );
      return figure(`${label}: frames over 50 ms`, (slow / frames.length) * 100, '% of frames', 1);
    };
    const results = [report(`fleet view, ${HOSTS} hosts live`, await measureFrames(seconds * 1000))];
    // One host's live charts (CPU by mode, per core, load…) while the other hosts keep streaming.
    await page.getByRole('link', { name: 'fleet-00' }).first().click();
    await page.getByTestId('cpu-usage-panel').waitFor();
    await sleep(3_000);
    results.push(report(`host view with ${HOSTS} hosts connected`, await measureFrames(seconds * 1000)));
    await page.locator('nav.rail').getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByTestId('fleet-table').waitFor();
    const heap = () => page.evaluate(() => performance.memory.usedJSHeapSize);
    const gc = async () => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
    };
    /** JS heap after GC at the start and the end of `minutes` on the current view. */
    const heapGrowth = async (view) => {
      await gc();
      const before = await heap();
      console.log(
        `${view}: JS heap after GC ${(before / 2 ** 20).toFixed(1)} MiB; running ${memoryMinutes} min…`,
      );
      await sleep(memoryMinutes * 60_000);
      await gc();
      const after = await heap();
      console.log(`${view}: JS heap after ${memoryMinutes} min and GC ${(after / 2 ** 20).toFixed(1)} MiB`);
      return figure(
        `${view}: JS heap growth over ${memoryMinutes} min`,
        (after - before) / 2 ** 20,
        'MiB',
        5,
      );
    };
    results.push(await heapGrowth('fleet view'));
    if (hostMemory) {
      // By now the core holds more than the host view's five minutes: its window is full at once,
      // so any growth from here is a leak, not the window filling.
      await page.getByRole('link', { name: 'fleet-00' }).first().click();
      await page.getByTestId('cpu-usage-panel').waitFor();
      await sleep(5_000);
      results.push(await heapGrowth('host view'));
    }
    return results;
  } finally {
    api.socket.terminate();
    await browser.close();
    await serve.stop();
    await fleet.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
