// The alert engine's work per tick: N rules over M hosts' samples, as the engine sees them live.
// Bundled by bench/alerts.mjs with esbuild and run in the bench's own process.
import type { AlertRule } from '../common/schemas/alerts';
import { AlertRuleInput } from '../common/schemas/alerts';
import type { Sample } from '../common/schemas/sample';
import { AlertEngine, type EngineHost } from '../main/core/alerts/engine';

const GIB = 2 ** 30;
const TAGS = ['web', 'db', 'cache', 'edge', 'batch'];

/** A random source with a seed, so runs compare. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function modes(usage: number) {
  return {
    usage,
    user: usage * 0.7,
    nice: 0,
    system: usage * 0.2,
    iowait: usage * 0.05,
    irq: 0,
    softirq: 0,
    steal: 0,
    idle: 100 - usage,
  };
}

/**
 * A typical server: 8 cores, 2 sensors, 4 interfaces, 6 filesystems, 3 block devices. Each host has
 * its own level (`base`, 0–1) and values wander a little around it, as real ones do: a few hosts run
 * hot enough for some rules to fire, most never come near a threshold.
 */
function sample(hostId: string, ts: number, base: number, noise: () => number): Sample {
  const rnd = () => Math.min(1, Math.max(0, base + (noise() - 0.5) * 0.04));
  const cpu = 100 * rnd();
  return {
    hostId,
    ts,
    intervalMs: 1000,
    host: {
      name: hostId,
      hostname: hostId,
      os: 'Debian GNU/Linux 12',
      kernel: '6.1.0',
      uptimeSec: 1e6,
      cores: 8,
    },
    cpu: {
      total: modes(cpu),
      cores: Array.from({ length: 8 }, () => modes(Math.min(100, cpu * (0.9 + 0.2 * rnd())))),
      load: [cpu / 20, cpu / 25, cpu / 30],
      temperatures: [
        { sensor: 'Package id 0', celsius: 40 + rnd() * 20 },
        { sensor: 'nvme0', celsius: 35 + rnd() * 10 },
      ],
    },
    memory: {
      totalBytes: 32 * GIB,
      usedBytes: 12 * GIB,
      availableBytes: 20 * GIB - rnd() * GIB,
      freeBytes: 4 * GIB,
      cachedBytes: 10 * GIB,
      buffersBytes: GIB / 4,
      swapTotalBytes: 4 * GIB,
      swapUsedBytes: GIB / 8 + rnd() * 1e6,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: rnd() * 1000,
    },
    network: {
      interfaces: ['lo', 'eth0', 'eth1', 'docker0'].map((name) => ({
        name,
        rxBytesPerSec: rnd() * 1e7,
        txBytesPerSec: rnd() * 1e7,
        rxPacketsPerSec: rnd() * 1e4,
        txPacketsPerSec: rnd() * 1e4,
        rxErrorsPerSec: rnd() < 0.01 ? 1 : 0,
        txErrorsPerSec: 0,
        rxDropsPerSec: 0,
        txDropsPerSec: 0,
      })),
    },
    disks: {
      filesystems: ['/', '/boot', '/var', '/home', '/srv/data', '/var/lib/docker'].map((mount, i) => ({
        mount,
        device: `/dev/sda${i + 1}`,
        fsType: 'ext4',
        sizeBytes: 500 * GIB,
        usedBytes: (30 + i * 10) * 5 * GIB,
        freeBytes: (70 - i * 10) * 5 * GIB,
        usedPercent: 30 + i * 10 + rnd() * 5,
        inodesTotal: 1e7,
        inodesUsed: 1e5,
      })),
      devices: ['sda', 'sdb', 'nvme0n1'].map((name) => ({
        name,
        readBytesPerSec: rnd() * 1e7,
        writeBytesPerSec: rnd() * 1e7,
        readIops: rnd() * 500,
        writeIops: rnd() * 500,
        busyPercent: rnd() * 60,
      })),
    },
  };
}

/** New numbers in the same sample object (same shape: the engine's plan for the host still fits). */
function refresh(s: Sample, ts: number, base: number, noise: () => number): void {
  const rnd = () => Math.min(1, Math.max(0, base + (noise() - 0.5) * 0.01));
  s.ts = ts;
  const cpu = 100 * rnd();
  Object.assign(s.cpu.total, modes(cpu));
  for (const core of s.cpu.cores) core.usage = Math.min(100, cpu * (0.98 + 0.04 * noise()));
  s.cpu.load = [cpu / 20, cpu / 25, cpu / 30];
  for (const t of s.cpu.temperatures) t.celsius = 40 + rnd() * 20;
  s.memory.availableBytes = 20 * GIB - rnd() * GIB;
  s.memory.swapUsedBytes = GIB / 8 + rnd() * 1e6;
  for (const i of s.network.interfaces) {
    i.rxBytesPerSec = rnd() * 1e7;
    i.txBytesPerSec = rnd() * 1e7;
    i.rxErrorsPerSec = noise() < 0.001 ? 1 : 0;
  }
  s.disks.filesystems.forEach((f, i) => (f.usedPercent = 30 + i * 10 + rnd() * 5));
  for (const d of s.disks.devices) d.busyPercent = rnd() * 60;
}

/** Rules people write: mostly fleet-wide, some per tag or host, on every kind of metric. */
const SHAPES: {
  metric: string;
  labels: string[];
  comparison: '>=' | '<=' | '>';
  threshold: [number, number];
}[] = [
  { metric: 'cpu.usage', labels: [''], comparison: '>=', threshold: [60, 99] },
  { metric: 'cpu.iowait', labels: [''], comparison: '>=', threshold: [5, 40] },
  { metric: 'cpu.steal', labels: [''], comparison: '>=', threshold: [5, 40] },
  { metric: 'cpu.core.usage', labels: ['', '0', '1, 2, 3'], comparison: '>=', threshold: [80, 99] },
  { metric: 'load.5', labels: [''], comparison: '>', threshold: [2, 16] },
  { metric: 'mem.available_percent', labels: [''], comparison: '<=', threshold: [3, 20] },
  { metric: 'swap.used_percent', labels: [''], comparison: '>=', threshold: [20, 90] },
  {
    metric: 'fs.used_percent',
    labels: ['', '/', '/var*, !/var/lib/docker', '!/boot'],
    comparison: '>=',
    threshold: [80, 98],
  },
  { metric: 'fs.inodes_used_percent', labels: [''], comparison: '>=', threshold: [80, 98] },
  { metric: 'net.rx_errors', labels: ['', 'eth*'], comparison: '>', threshold: [0, 10] },
  { metric: 'net.rx', labels: ['eth0', 'eth*'], comparison: '>', threshold: [5e6, 2e7] },
  { metric: 'disk.busy', labels: ['', 'sd*'], comparison: '>=', threshold: [70, 99] },
  { metric: 'temperature', labels: ['', 'Package*'], comparison: '>=', threshold: [60, 95] },
];

export function makeRules(count: number, hostIds: string[], rnd: () => number): AlertRule[] {
  const rules: AlertRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = SHAPES[i % SHAPES.length]!;
    const r = rnd();
    const scope =
      r < 0.6
        ? { kind: 'all' as const }
        : r < 0.85
          ? { kind: 'tag' as const, tag: TAGS[i % TAGS.length]! }
          : { kind: 'host' as const, host: hostIds[i % hostIds.length]! };
    const [lo, hi] = shape.threshold;
    const parsed = AlertRuleInput.parse({
      name: `rule ${i}`,
      metric: shape.metric,
      scope,
      labels: shape.labels[i % shape.labels.length]!,
      comparison: shape.comparison,
      threshold: lo + rnd() * (hi - lo),
      forSec: [0, 60, 300][i % 3],
      severity: ['info', 'warning', 'critical'][i % 3],
      // One rule in twenty watches a rate of change, which keeps a window per series.
      ...(i % 20 === 0 && shape.metric === 'cpu.usage'
        ? { transform: 'rate', comparison: '>', threshold: 1 }
        : {}),
    });
    rules.push({ ...parsed, id: `r-${i}`, builtin: null, createdAt: 0, updatedAt: 0 });
  }
  return rules;
}

export interface BenchResult {
  rules: number;
  hosts: number;
  bindings: number;
  ticks: number;
  transitions: number;
  /** Wall-clock time per tick (includes time the OS gave to other processes). */
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time of this process per tick, on average (the kernel counts it in 4 ms steps, so only the mean is exact). */
  cpuMeanMs: number;
  allocatedPerTickKb: number;
  /** What the sampling path itself pays per sample (the tap only queues). */
  queueUs: number;
}

export function run(options: { rules: number; hosts: number; ticks: number; warmup: number }): BenchResult {
  const rnd = seeded(42);
  const hosts: EngineHost[] = Array.from({ length: options.hosts }, (_, i) => ({
    id: `h${i + 1}`,
    name: `host-${i + 1}`,
    tags: [TAGS[i % TAGS.length]!, i % 2 ? 'prod' : 'staging'],
    remote: true,
  }));
  let transitions = 0;
  const engine = new AlertEngine({ onTransitions: (t) => (transitions += t.length), now: () => ts });
  engine.setHosts(hosts);
  engine.setRules(
    makeRules(
      options.rules,
      hosts.map((h) => h.id),
      rnd,
    ),
  );
  let ts = Date.now();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let allocated = 0;
  // Most hosts idle along at 10–50 %; one in ten runs at 80–95 %.
  const levels = hosts.map((_, i) => (i % 10 === 9 ? 0.8 + rnd() * 0.15 : 0.1 + rnd() * 0.4));
  // One sample object per host, its numbers rewritten each tick outside the timed part: what is
  // measured (and what the garbage collector sees inside it) is the engine's own work.
  const samples = hosts.map((h, i) => sample(h.id, ts, levels[i]!, rnd));
  for (let tick = 0; tick < options.warmup + options.ticks; tick++) {
    ts += 1000;
    for (let i = 0; i < samples.length; i++) refresh(samples[i]!, ts, levels[i]!, rnd);
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    for (const s of samples) engine.evaluateSample(s);
    engine.drain();
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    if (tick >= options.warmup) {
      allocated += Math.max(0, process.memoryUsage().heapUsed - heap0);
      times.push(elapsed);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  }
  // The poller's share: the tap pushes onto the queue and returns.
  const probe = samples;
  const q0 = performance.now();
  for (let i = 0; i < 1000; i++) engine.ingest(probe[i % probe.length]!);
  const queueUs = ((performance.now() - q0) * 1000) / 1000;
  engine.drain();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    allocatedPerTickKb: allocated / options.ticks / 1024,
    rules: options.rules,
    hosts: options.hosts,
    bindings: engine.bindingCount,
    ticks: options.ticks,
    transitions,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    maxMs: times[times.length - 1]!,
    cpuMeanMs: cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length,
    queueUs,
  };
}
