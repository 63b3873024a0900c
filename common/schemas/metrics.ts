// The metric groups of a sample beyond CPU: memory, network, storage. Same units everywhere:
// bytes are bytes, rates are per second over the last interval, percentages are 0–100.
import { z } from 'zod';

const Bytes = z.number().nonnegative();
const PerSec = z.number().nonnegative();

export const MemorySample = z.object({
  totalBytes: Bytes,
  /** total − available, as `free` computes "used" since procps 4. */
  usedBytes: Bytes,
  availableBytes: Bytes,
  freeBytes: Bytes,
  /** Page cache plus reclaimable slab (Cached + SReclaimable), as `free` shows "cache". */
  cachedBytes: Bytes,
  buffersBytes: Bytes,
  swapTotalBytes: Bytes,
  swapUsedBytes: Bytes,
  /** Pages swapped in/out per second, as bytes (saturation beside utilisation). */
  swapInBytesPerSec: PerSec,
  swapOutBytesPerSec: PerSec,
});
export type MemorySample = z.infer<typeof MemorySample>;

export const NetworkInterfaceSample = z.object({
  name: z.string(),
  rxBytesPerSec: PerSec,
  txBytesPerSec: PerSec,
  rxPacketsPerSec: PerSec,
  txPacketsPerSec: PerSec,
  rxErrorsPerSec: PerSec,
  txErrorsPerSec: PerSec,
  rxDropsPerSec: PerSec,
  txDropsPerSec: PerSec,
});
export type NetworkInterfaceSample = z.infer<typeof NetworkInterfaceSample>;

export const FilesystemSample = z.object({
  mount: z.string(),
  device: z.string(),
  fsType: z.string(),
  sizeBytes: Bytes,
  usedBytes: Bytes,
  /** Space available to unprivileged users (df's "Avail"). */
  freeBytes: Bytes,
  /** used / (used + avail), rounded up as df does. */
  usedPercent: z.number().min(0).max(100),
  inodesTotal: z.number().nonnegative(),
  inodesUsed: z.number().nonnegative(),
});
export type FilesystemSample = z.infer<typeof FilesystemSample>;

export const BlockDeviceSample = z.object({
  name: z.string(),
  readBytesPerSec: PerSec,
  writeBytesPerSec: PerSec,
  readIops: PerSec,
  writeIops: PerSec,
  /** Share of the interval with I/O in flight (iostat's %util). */
  busyPercent: z.number().min(0).max(100),
});
export type BlockDeviceSample = z.infer<typeof BlockDeviceSample>;

export const NetworkSample = z.object({ interfaces: z.array(NetworkInterfaceSample) });
export const DisksSample = z.object({
  filesystems: z.array(FilesystemSample),
  devices: z.array(BlockDeviceSample),
});
