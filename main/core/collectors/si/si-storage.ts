// Memory and filesystem usage from systeminformation, in the units and meanings `free` and `df` use.
import type { FilesystemSample, MemorySample } from '../../../../common/schemas/metrics';
import type { SiFsSize, SiMem } from './si-readings';

const bytes = (v: number | null | undefined): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;

/**
 * `used` is total − available, as `free` counts it. The cache is Cached + SReclaimable where si
 * reads /proc/meminfo; on macOS si puts the file-backed pages in `buffcache` and leaves `cached` at 0;
 * Windows reports neither, so 0. si has no paging counters: swap in/out rates are 0 here.
 */
export function memoryFromSi(mem: SiMem): MemorySample {
  const total = bytes(mem.total);
  const available = Math.min(bytes(mem.available), total);
  const buffers = bytes(mem.buffers);
  const cached =
    bytes(mem.cached) > 0
      ? bytes(mem.cached) + bytes(mem.reclaimable)
      : Math.max(0, bytes(mem.buffcache) - buffers);
  return {
    totalBytes: total,
    usedBytes: total - available,
    availableBytes: available,
    freeBytes: Math.min(bytes(mem.free), total),
    cachedBytes: Math.min(cached, total),
    buffersBytes: buffers,
    swapTotalBytes: bytes(mem.swaptotal),
    swapUsedBytes: bytes(mem.swapused),
    swapInBytesPerSec: 0,
    swapOutBytesPerSec: 0,
  };
}

/** used / (used + avail), rounded up as df does (in integers, so 25 % stays 25 % and not 26 %). */
export function dfUsedPercent(used: number, available: number): number {
  const whole = used + available;
  if (whole <= 0) return 0;
  if (Number.isSafeInteger(used * 100) && Number.isSafeInteger(whole)) {
    const u100 = used * 100;
    return Math.min(100, Math.floor(u100 / whole) + (u100 % whole === 0 ? 0 : 1));
  }
  return Math.min(100, Math.ceil((used * 100) / whole));
}

/**
 * One entry per mount point with a size (si lists the first of duplicates; pseudo filesystems have
 * none). si does not report inodes (Windows has none to report): those fields are 0.
 */
export function filesystemsFromSi(list: readonly SiFsSize[]): FilesystemSample[] {
  const seen = new Set<string>();
  const out: FilesystemSample[] = [];
  for (const fs of list) {
    const size = bytes(fs.size);
    if (size === 0 || seen.has(fs.mount)) continue;
    seen.add(fs.mount);
    const used = Math.min(bytes(fs.used), size);
    const free = Math.min(bytes(fs.available), size);
    out.push({
      mount: fs.mount,
      device: fs.fs,
      fsType: fs.type,
      sizeBytes: size,
      usedBytes: used,
      freeBytes: free,
      usedPercent: dfUsedPercent(used, free),
      inodesTotal: 0,
      inodesUsed: 0,
    });
  }
  return out;
}
