// Run in a child process by crash.test.ts (bundled by esbuild, better-sqlite3 external): writes ticks of
// realistic samples into the history store at HYPERION_INGEST_CHILD_DB as fast as it can, continuing
// after the last tick already stored, and prints `committed <tick> <ts>` once each transaction commits.
// Also exports the realistic sample that the store's tests and bench/store.mjs write.
import { writeSync } from 'node:fs';
import { flattenSample } from '../../../common/metrics';
import type { Sample } from '../../../common/schemas/sample';
import { openDatabase } from '../../../main/core/store/database';
import { HistoryWriter } from '../../../main/core/store/history-writer';

/** Tick 0 of the simulated clock: the child writes 1 s ticks much faster than real time. */
export const CHILD_BASE_TS = Date.UTC(2026, 0, 5, 0, 0, 0);
export const CHILD_HOST = 'crash-a';

const INTERFACES = ['lo', 'eth0', 'eth1', 'docker0', 'br-5f1e', 'veth1a2b', 'veth3c4d', 'wg0'];
const MOUNTS = ['/', '/boot', '/boot/efi', '/home', '/var', '/var/lib/docker', '/srv', '/tmp'];
const DEVICES = ['vda', 'vdb', 'sda', 'nvme0n1'];
const SENSORS = ['Package id 0', 'Core 0', 'Core 1', 'acpitz'];
const CORES = 8;

/** A small deterministic PRNG (mulberry32), so a tick's values can be recomputed to check them. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A server as the collectors see it: 8 cores, 4 sensors, 8 interfaces (docker and veths), 8 mounts,
 * 4 block devices — 149 series once flattened. Values are a function of (host, ts) only.
 */
export function realisticSample(hostId: string, ts: number): Sample {
  const r = random(hash(hostId) ^ Math.floor(ts / 1000));
  const pct = (max: number): number => r() * max;
  const modes = (usage: number) => ({
    usage,
    user: usage * 0.7,
    nice: 0,
    system: usage * 0.25,
    iowait: pct(2),
    irq: 0,
    softirq: pct(0.5),
    steal: 0,
    idle: 100 - usage,
  });
  const total = 8 * 2 ** 30;
  const used = Math.round(2 * 2 ** 30 + r() * 2 ** 30);
  const rate = (max: number): number => Math.round(r() * max * 100) / 100;
  return {
    hostId,
    ts,
    intervalMs: 1000,
    host: {
      name: hostId,
      hostname: hostId,
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0-28-amd64',
      uptimeSec: Math.floor(ts / 1000) % 10_000_000,
      cores: CORES,
    },
    cpu: {
      total: modes(pct(60)),
      cores: Array.from({ length: CORES }, () => modes(pct(100))),
      load: [r() * 4, r() * 3, r() * 2],
      temperatures: SENSORS.map((sensor) => ({ sensor, celsius: 40 + Math.round(r() * 30) })),
    },
    memory: {
      totalBytes: total,
      usedBytes: used,
      availableBytes: total - used,
      freeBytes: Math.round((total - used) / 2),
      cachedBytes: Math.round(2 ** 30 + r() * 2 ** 29),
      buffersBytes: 64 * 2 ** 20,
      swapTotalBytes: 2 ** 31,
      swapUsedBytes: 12 * 2 ** 20,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: r() < 0.02 ? 4096 : 0,
    },
    network: {
      interfaces: INTERFACES.map((name) => ({
        name,
        rxBytesPerSec: rate(5e6),
        txBytesPerSec: rate(2e6),
        rxPacketsPerSec: rate(4000),
        txPacketsPerSec: rate(3000),
        rxErrorsPerSec: 0,
        txErrorsPerSec: 0,
        rxDropsPerSec: r() < 0.01 ? 1 : 0,
        txDropsPerSec: 0,
      })),
    },
    disks: {
      filesystems: MOUNTS.map((mount, i) => {
        const size = (20 + i * 10) * 2 ** 30;
        const usedBytes = Math.round(size * (0.3 + i * 0.05)) + (Math.floor(ts / 1000) % 86_400) * 512;
        return {
          mount,
          device: `/dev/vda${i + 1}`,
          fsType: 'ext4',
          sizeBytes: size,
          usedBytes,
          freeBytes: size - usedBytes,
          usedPercent: Math.ceil((usedBytes / size) * 100),
          inodesTotal: 1_310_720,
          inodesUsed: 200_000 + i * 1000,
        };
      }),
      devices: DEVICES.map((name) => ({
        name,
        readBytesPerSec: rate(2e7),
        writeBytesPerSec: rate(1e7),
        readIops: rate(300),
        writeIops: rate(200),
        busyPercent: pct(40),
      })),
    },
  };
}

function stdoutLine(line: string): void {
  // writeSync on fd 1: the line is in the pipe before the next tick starts, whatever happens next.
  writeSync(1, `${line}\n`);
}

function main(path: string): void {
  const db = openDatabase({ path });
  const writer = new HistoryWriter(db);
  // Continue after the last tick on disk (committed ones the parent never heard of included).
  const last = db
    .prepare(
      `SELECT MAX(ts) AS ts FROM (SELECT ts, series_id FROM samples_raw UNION ALL SELECT ts, series_id FROM samples_staging)
       WHERE series_id = (SELECT id FROM series WHERE host_id = ? AND metric = 'cpu.usage' AND label = '')`,
    )
    .get(CHILD_HOST) as { ts: number | null };
  let ts = last.ts === null ? CHILD_BASE_TS : last.ts + 1000;
  const limit = Number(process.env.HYPERION_INGEST_CHILD_TICKS ?? Infinity);
  stdoutLine(`start ${(ts - CHILD_BASE_TS) / 1000}`);
  for (let n = 0; n < limit; n++, ts += 1000) {
    const tick = (ts - CHILD_BASE_TS) / 1000;
    writer.write([{ host: CHILD_HOST, ts, values: flattenSample(realisticSample(CHILD_HOST, ts)) }]);
    stdoutLine(`committed ${tick} ${ts}`);
    // Rollups as the engine runs them (its own transactions), so a kill can land in one too.
    if (tick % 30 === 29) writer.rollup(ts + 1000);
  }
  db.close();
  stdoutLine('done');
}

const target = process.env.HYPERION_INGEST_CHILD_DB;
if (target) main(target);
