// Shared pieces of the benches: CPU time of a process from /proc, the built `serve`, Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** utime + stime of one process, in clock ticks. */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0], so utime (14) and stime (15) are fields[11] and fields[12].
  return Number(fields[11]) + Number(fields[12]);
}

/** utime + stime of every thread of a process, in clock ticks, by thread id. */
export function threadTicks(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Starts a CPU-time reading; `finish()` gives the percentage of one core used since. */
export function startCpuWindow(pid) {
  const ticks = cpuTicks(pid);
  const started = performance.now();
  return {
    finish() {
      const usedSec = (cpuTicks(pid) - ticks) / clockTicks();
      const wallSec = (performance.now() - started) / 1000;
      return { percent: (usedSec / wallSec) * 100, usedSec, wallSec };
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

/** `hyperion serve --port 0` on a temporary data folder; resolves with its URL once printed. */
export async function startServe(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hyperion-bench-'));
  const proc = spawnNode(
    [join(REPO_ROOT, 'bin', 'hyperion.js'), 'serve', '--port', '0', '--data-dir', dataDir],
    {
      env: { ...process.env, ...env },
    },
  );
  const url = await new Promise((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL in 15 s:\n${proc.stderr()}`)), 15000);
    proc.child.stdout.on('data', () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+/.exec(proc.stdout());
      if (match) {
        clearTimeout(timer);
        found(match[0]);
      }
    });
    void proc.exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`serve exited (code ${code}) before printing its URL:\n${proc.stderr()}`));
    });
  });
  return {
    ...proc,
    url,
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
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

/** True when the module at `url` is the script node was asked to run. */
export function isMain(url) {
  return process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];
}
