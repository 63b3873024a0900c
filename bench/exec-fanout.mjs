// Command fan-out to 50 loopback SSH hosts: time from "run" to every host's result, over the hosts'
// existing connections (one new channel each), at several concurrency limits; beside it, the same
// command with 50 `ssh` processes in parallel (a new login each), as a sysadmin's loop would do.
// BENCH_HOSTS (default 50) and BENCH_ROUNDS (default 5) choose the size.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle, figure, isMain, requireBuild, spawnNode, sleep } from './lib.mjs';
import { median, startFleet } from './ssh-tools-lib.mjs';

export const name = 'exec-fanout';

/** Our target: every result of 50 hosts within a second, at the default concurrency of 10 and at 50. */
const TARGET_MS = 1000;
const COMMAND = 'uname -n; cat /proc/loadavg';

async function sshLoop(fleet, knownHosts) {
  const t0 = performance.now();
  const codes = await Promise.all(
    fleet.hosts.map(
      (h) =>
        new Promise((resolve) => {
          const child = spawn(
            'ssh',
            [
              '-i',
              fleet.clientKeys.privateKeyPath,
              '-p',
              String(h.port),
              '-o',
              `UserKnownHostsFile=${knownHosts}`,
              '-o',
              'BatchMode=yes',
              '-o',
              'LogLevel=ERROR',
              `${fleet.user.name}@${h.address}`,
              COMMAND,
            ],
            { stdio: 'ignore' },
          );
          child.on('close', resolve);
        }),
    ),
  );
  return { ms: performance.now() - t0, failed: codes.filter((c) => c !== 0).length };
}

export async function run() {
  requireBuild();
  const size = Number(process.env.BENCH_HOSTS ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const work = mkdtempSync(join(tmpdir(), 'hyperion-bench-fanout-'));
  const knownHosts = join(work, 'known_hosts');
  const fleet = await startFleet(size, { namePrefix: 'fan', port: 2922 }, knownHosts);
  try {
    const childScript = bundle('bench/exec-fanout-child.ts');
    const concurrencies = [10, 50];
    const child = spawnNode([
      childScript,
      mkdtempSync(join(work, 'data-')),
      knownHosts,
      JSON.stringify({
        user: fleet.user.name,
        keyPath: fleet.clientKeys.privateKeyPath,
        hosts: fleet.hosts.map((h) => ({ address: h.address, port: h.port })),
        command: COMMAND,
        rounds,
        concurrencies,
      }),
    ]);
    const exit = await child.exited;
    if (exit.code !== 0) throw new Error(`the core child failed: ${child.stderr()}`);
    const results = JSON.parse(child.stdout().trim().split('\n').at(-1));
    const figures = [];
    for (const c of concurrencies) {
      const r = results[String(c)];
      console.log(
        `${size} hosts, concurrency ${c}: all results in ${r.ms.map((m) => m.toFixed(0)).join(', ')} ms (first result after ${median(r.firstMs).toFixed(0)} ms); ${r.failed} failures`,
      );
      figures.push(
        figure(
          `${size} hosts, concurrency ${c}: time to all results (median)`,
          median(r.ms),
          'ms',
          TARGET_MS,
        ),
      );
    }
    await sleep(500);
    const loops = [];
    for (let i = 0; i < Math.min(rounds, 3); i++) loops.push(await sshLoop(fleet, knownHosts));
    console.log(
      `${size} parallel ssh logins (for comparison): ${loops.map((l) => l.ms.toFixed(0)).join(', ')} ms; ${loops.reduce((n, l) => n + l.failed, 0)} failures`,
    );
    figures.push(
      figure(
        `${size} parallel \`ssh\` processes, new login each (median)`,
        median(loops.map((l) => l.ms)),
        'ms',
      ),
    );
    return figures;
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await run();
