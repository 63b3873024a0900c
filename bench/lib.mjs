// Shared pieces of the benches: CPU time of a process from /proc, the built app, Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Seconds of the measuring window: BENCH_SECONDS, 60 by default. */
export function benchSeconds() {
  const value = Number(process.env.BENCH_SECONDS ?? 60);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`BENCH_SECONDS must be a positive number`);
  return value;
}

/** Clock ticks per second of /proc/<pid>/stat times (normally 100). */
export function clockTicks() {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/**
 * CPU time of every thread of a process, in nanoseconds, by thread id: the scheduler's own
 * account (/proc/<pid>/task/<tid>/schedstat). /proc/<pid>/stat counts in 10 ms ticks, which is
 * ±0.02 % of a core over a minute: as large as the differences these benches look for.
 */
export function threadCpuNs(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const sum = (values) => [...values].reduce((a, b) => a + b, 0);

/**
 * Starts a CPU-time reading; `finish()` gives the percentage of one core used since, and each
 * thread's part (`threads`: thread id → % of a core). A thread that ends within the window is not
 * counted; the core's threads live as long as it does.
 */
export function startCpuWindow(pid) {
  const before = threadCpuNs(pid);
  const started = performance.now();
  return {
    finish() {
      const after = threadCpuNs(pid);
      const wallSec = (performance.now() - started) / 1000;
      const threads = new Map();
      for (const [tid, ns] of after) threads.set(tid, ((ns - (before.get(tid) ?? 0)) / 1e9 / wallSec) * 100);
      const usedSec = (sum(threads.values()) * wallSec) / 100;
      return { percent: sum(threads.values()), usedSec, wallSec, threads };
    },
  };
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function requireBuild() {
  if (!existsSync(join(REPO_ROOT, 'out', 'main', 'cli', 'index.js'))) {
    throw new Error('Hyperion is not built: run "npm run build" (or "npm run bench", which builds first)');
  }
}

/** Spawns a node process and resolves once it has exited; `stop()` ends it with SIGTERM, then SIGKILL. */
export function spawnNode(args, options = {}) {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited.finally(() => clearTimeout(timer));
      }
      return exited;
    },
  };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export const CPU_CHART_PATH = '[data-testid=cpu-usage-panel] svg path.recharts-area-area';

/** One figure against its target, printed as `label: value unit (target ≤ x unit)`. */
export function figure(label, value, unit, target) {
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  const shown = value.toFixed(digits);
  const line =
    `${label}: ${shown} ${unit}` +
    (target === undefined ? '' : ` (target ≤ ${target} ${unit}: ${value <= target ? 'met' : 'MISSED'})`);
  console.log(line);
  return { label, value: shown, unit, target, met: target === undefined ? undefined : value <= target };
}

/** A figure whose target is a floor (throughput): met when the value reaches it. */
export function figureAtLeast(label, value, unit, target) {
  const met = value >= target;
  const shown = String(Math.round(value));
  console.log(`${label}: ${shown} ${unit} (target ≥ ${target} ${unit}: ${met ? 'met' : 'MISSED'})`);
  return { label, value: shown, unit, target, floor: true, met };
}

/** True when the module at `url` is the script node was asked to run. */
export function isMain(url) {
  return process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];
}

/**
 * Bundles a TypeScript entry (with the core or test harness it imports) into one runnable CommonJS
 * file in out/bench/, inside the checkout so the native modules left external resolve.
 */
export function bundle(entry) {
  const out = join(REPO_ROOT, 'out', 'bench', `${entry.replace(/\W+/g, '_')}.cjs`);
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'),
    [
      join(REPO_ROOT, entry),
      '--bundle',
      '--platform=node',
      '--format=cjs',
      '--target=node20',
      `--outfile=${out}`,
      '--log-level=error',
      '--external:better-sqlite3',
      '--external:keytar',
      '--external:ssh2',
      '--external:cpu-features',
      '--external:systeminformation',
    ],
    { cwd: REPO_ROOT },
  );
  return out;
}

/** A bundled entry, loaded into this process. */
export function importBundled(entry) {
  return import(pathToFileURL(bundle(entry)).href);
}

/** A positive integer from the environment, or `fallback` when unset. */
export function envNumber(key, fallback) {
  const raw = process.env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${key} must be a positive integer (got "${raw}")`);
  return value;
}
