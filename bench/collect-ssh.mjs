// Agentless collection cost for 1, 10 and 50 loopback SSH hosts at 1 Hz: the core's CPU here, the
// sampler's (and its sshd session's) CPU on the hosts, and bytes per second per host on the wire.
// BENCH_HOSTS=1,10,50 and BENCH_SECONDS choose the sizes and the window.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchSeconds,
  bundle,
  clockTicks,
  figure,
  REPO_ROOT,
  sleep,
  spawnNode,
  startCpuWindow,
} from './lib.mjs';

export const name = 'collect-ssh';

const TARGETS = { localPercentAt50: 10, remotePercentPerHost: 0.3, bytesPerSecPerHost: 4096 };

/** CPU ticks (self + waited-for children) of every process whose command line matches. */
function ticksOf(match) {
  let total = 0;
  let count = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!match(cmdline)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      count++;
    } catch {
      // gone meanwhile
    }
  }
  return { total, count };
}

const isSampler = (cmdline) => cmdline.includes('hyperion-sampler');
const isSession = (cmdline) => /^sshd: \S+@notty/.test(cmdline.replace(/\0/g, ' '));

async function measure(size, work, seconds, fleetHarness) {
  // fleetHarness is the bundled test/helpers/sshd.ts (real sshd hosts on 127.0.0.N).
  const fleet = await fleetHarness.startSshdFleet(size, { namePrefix: `b${size}x`, port: 2822 });
  try {
    const knownHosts = join(work, `known_hosts_${size}`);
    writeFileSync(
      knownHosts,
      fleet.hosts
        .map((h) => `[${h.address}]:${h.port} ${h.hostKey().type} ${h.hostKey().keyBase64}`)
        .join('\n') + '\n',
    );
    const spec = {
      user: fleet.user.name,
      keyPath: fleet.clientKeys.privateKeyPath,
      hosts: fleet.hosts.map((h) => ({ address: h.address, port: h.port })),
    };
    const child = spawnNode([
      join(REPO_ROOT, 'out', 'bench', 'bench_ssh_core_child_ts.cjs'),
      mkdtempSync(join(work, 'data-')),
      knownHosts,
      JSON.stringify(spec),
    ]);
    const started = performance.now();
    while (!child.stdout().includes('ready')) {
      if (performance.now() - started > 60_000) throw new Error(`not every host came up: ${child.stderr()}`);
      await sleep(100);
    }
    console.log(`${size} host(s) up after ${Math.round(performance.now() - started)} ms; warming up…`);
    await sleep(5_000);
    const t0 = performance.now();
    const core = startCpuWindow(child.child.pid);
    const sampler0 = ticksOf(isSampler);
    const session0 = ticksOf(isSession);
    await sleep(seconds * 1000);
    const wall = (performance.now() - t0) / 1000;
    const hz = clockTicks();
    const coreCpu = core.finish();
    const sampler1 = ticksOf(isSampler);
    const session1 = ticksOf(isSession);
    child.child.kill('SIGUSR2');
    await sleep(300);
    const report = JSON.parse(child.stdout().trim().split('\n').at(-1));
    await child.stop();
    const pct = (ticks) => (ticks / hz / wall) * 100;
    return {
      size,
      localPercent: coreCpu.percent,
      samplerPerHost: pct(sampler1.total - sampler0.total) / size,
      sessionPerHost: pct(session1.total - session0.total) / size,
      samplers: sampler1.count,
      bytesPerHost: report.wireBytesPerSec / size,
      samples: report.samples,
    };
  } finally {
    await fleet.stop();
  }
}

export async function run() {
  const seconds = benchSeconds();
  const sizes = (process.env.BENCH_HOSTS ?? '1,10,50').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'hyperion-bench-ssh-'));
  try {
    bundle('bench/ssh-core-child.ts');
    const harness = await import(bundle('test/helpers/sshd.ts'));
    const results = [];
    for (const size of sizes) {
      const r = await measure(size, work, seconds, harness);
      console.log(
        `${size} host(s): core ${r.localPercent.toFixed(2)} % of one core; per host on the remote: sampler ${r.samplerPerHost.toFixed(3)} %, sshd session ${r.sessionPerHost.toFixed(3)} %; ${r.bytesPerHost.toFixed(0)} B/s on the wire (${r.samplers} samplers seen, ${r.samples} samples since the hosts came up)`,
      );
      results.push(
        figure(
          `${size} hosts: local CPU`,
          r.localPercent,
          '% of one core',
          size === 50 ? TARGETS.localPercentAt50 : undefined,
        ),
      );
      results.push(
        figure(
          `${size} hosts: remote sampler CPU per host`,
          r.samplerPerHost,
          '% of one core',
          TARGETS.remotePercentPerHost,
        ),
      );
      results.push(
        figure(
          `${size} hosts: remote sshd session CPU per host`,
          r.sessionPerHost,
          '% of one core',
          undefined,
        ),
      );
      results.push(figure(`${size} hosts: wire per host`, r.bytesPerHost, 'B/s', TARGETS.bytesPerSecPerHost));
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
