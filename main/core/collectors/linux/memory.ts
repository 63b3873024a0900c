// Parses /proc/meminfo and /proc/vmstat into memory use as `free -b` reports it, plus swap traffic.
import type { MemorySample } from '../../../../common/schemas/metrics';

/** The /proc/meminfo figures the console uses, in bytes. */
export interface Meminfo {
  memTotal: number;
  memFree: number;
  memAvailable: number;
  buffers: number;
  cached: number;
  sReclaimable: number;
  shmem: number;
  swapTotal: number;
  swapFree: number;
}

/** Pages swapped in and out since boot (/proc/vmstat pswpin, pswpout). */
export interface SwapCounters {
  pswpin: number;
  pswpout: number;
}

/** The keys the console reads, each with its line: "Key: N kB" (HugePages_* lines have no unit). */
const MEMINFO_LINES = Object.fromEntries(
  [
    'MemTotal',
    'MemFree',
    'MemAvailable',
    'Buffers',
    'Cached',
    'SReclaimable',
    'Shmem',
    'SwapTotal',
    'SwapFree',
  ].map((key) => [key, new RegExp(`^${key}:[ \\t]+(\\d+)[ \\t]+kB[ \\t]*$`, 'm')]),
) as Record<string, RegExp>;

/**
 * The value of one key's line in bytes, or undefined. One search per key: this runs every second
 * for every host, and matching all ~55 lines first allocated strings for every one of them.
 */
function meminfoBytes(text: string, key: string): number | undefined {
  const match = MEMINFO_LINES[key]!.exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

export function parseMeminfo(text: string): Meminfo {
  const memTotal = meminfoBytes(text, 'MemTotal');
  if (memTotal === undefined) throw new Error('/proc/meminfo has no "MemTotal" line');
  const get = (key: string): number => meminfoBytes(text, key) ?? 0;
  const memFree = get('MemFree');
  const buffers = get('Buffers');
  const cached = get('Cached');
  return {
    memTotal,
    memFree,
    // Kernels before 3.14 have no MemAvailable; free + buffers + page cache is what `free` showed
    // as the "-/+ buffers/cache" free figure on those systems.
    memAvailable: meminfoBytes(text, 'MemAvailable') ?? Math.min(memTotal, memFree + buffers + cached),
    buffers,
    cached,
    sReclaimable: get('SReclaimable'),
    shmem: get('Shmem'),
    swapTotal: get('SwapTotal'),
    swapFree: get('SwapFree'),
  };
}

const PSWPIN = /^[ \t]*pswpin[ \t]+(\d+)/m;
const PSWPOUT = /^[ \t]*pswpout[ \t]+(\d+)/m;

export function parseVmstatSwap(text: string): SwapCounters {
  // Two lines out of ~170: look them up rather than split the whole file.
  const read = (pattern: RegExp): number => {
    const n = Number(pattern.exec(text)?.[1]);
    return Number.isFinite(n) ? n : 0;
  };
  return { pswpin: read(PSWPIN), pswpout: read(PSWPOUT) };
}

/** Bytes per second from a page counter; 0 with no earlier reading or after a reset (reboot). */
function pagesPerSecond(prev: number | undefined, cur: number, elapsedMs: number, pageSize: number): number {
  if (prev === undefined || elapsedMs <= 0 || cur < prev) return 0;
  return ((cur - prev) * pageSize * 1000) / elapsedMs;
}

/**
 * Memory use as procps 4 `free -b` computes it: used = total − available, cache = Cached +
 * SReclaimable. `pageSize` is the host's (getconf PAGESIZE): 64 KiB on some arm64 kernels.
 */
export function memorySample(
  meminfo: Meminfo,
  swapPrev: SwapCounters | undefined,
  swapCur: SwapCounters,
  elapsedMs: number,
  pageSize = 4096,
): MemorySample {
  const { memTotal, memFree } = meminfo;
  // In an LXC container MemAvailable can come from the host and exceed the container's total;
  // procps falls back to MemFree then, and so do we to agree with `free` run in the container.
  const available = meminfo.memAvailable > memTotal ? memFree : meminfo.memAvailable;
  return {
    totalBytes: memTotal,
    usedBytes: Math.max(0, memTotal - available),
    availableBytes: available,
    freeBytes: memFree,
    cachedBytes: meminfo.cached + meminfo.sReclaimable,
    buffersBytes: meminfo.buffers,
    swapTotalBytes: meminfo.swapTotal,
    swapUsedBytes: Math.max(0, meminfo.swapTotal - meminfo.swapFree),
    swapInBytesPerSec: pagesPerSecond(swapPrev?.pswpin, swapCur.pswpin, elapsedMs, pageSize),
    swapOutBytesPerSec: pagesPerSecond(swapPrev?.pswpout, swapCur.pswpout, elapsedMs, pageSize),
  };
}
