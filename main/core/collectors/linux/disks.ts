// Parses /proc/diskstats and turns two readings of block device counters into iostat-like rates.
import type { BlockDeviceSample } from '../../../../common/schemas/metrics';
import { forEachLine, LineFields } from './fields';
import { counterDeltas, perSecond } from './network';

/** One block device's counters since boot (kernel Documentation/admin-guide/iostats.rst). */
export interface DiskCounters {
  name: string;
  reads: number;
  sectorsRead: number;
  writes: number;
  sectorsWritten: number;
  /** Milliseconds with I/O in flight; a 32-bit value that wraps after 49.7 days of busy time. */
  ioTicksMs: number;
}

type DiskCounterName = Exclude<keyof DiskCounters, 'name'>;

const DISK_COUNTERS: readonly DiskCounterName[] = [
  'reads',
  'sectorsRead',
  'writes',
  'sectorsWritten',
  'ioTicksMs',
];

/** The kernel counts sectors of 512 bytes whatever the device's own sector size. */
const SECTOR_BYTES = 512;

const fields = new LineFields();
const stats: number[] = [];

function parseDiskLine(line: LineFields): DiskCounters | undefined {
  const name = line.string(2);
  if (!name || !line.numbers(3, stats)) return undefined;
  const n = stats;
  // 14 fields up to 4.17, 18 with discards (4.18), 20 with flushes (5.5): the first 11 statistics
  // keep their places, so reading by position covers all three.
  if (line.count >= 14) {
    return { name, reads: n[0]!, sectorsRead: n[2]!, writes: n[4]!, sectorsWritten: n[6]!, ioTicksMs: n[9]! };
  }
  // Partitions on kernels before 2.6.25 had only reads, sectors read, writes, sectors written.
  if (line.count === 7) {
    return { name, reads: n[0]!, sectorsRead: n[1]!, writes: n[2]!, sectorsWritten: n[3]!, ioTicksMs: 0 };
  }
  return undefined;
}

/** Devices in the file's order; lines of an unknown shape are skipped. */
export function parseDiskstats(text: string): DiskCounters[] {
  const devices: DiskCounters[] = [];
  forEachLine(text, (from, to) => {
    const device = parseDiskLine(fields.scan(text, from, to));
    if (device) devices.push(device);
  });
  return devices;
}

/**
 * Whether a device name is a partition by the kernel's naming rules: a letter-named disk plus a
 * number (sda1, vdb2, xvda1, hdc3), or any digit-ending disk plus "p" and a number (nvme0n1p1,
 * mmcblk0p1, md0p1, loop0p1, nbd0p2). Digit-ending whole devices (dm-0, md0, nvme0n1, loop0, sr0,
 * zram0) do not match.
 */
export function isPartitionName(name: string): boolean {
  return /^(?:sd|vd|hd|xvd)[a-z]+\d+$/.test(name) || /\dp\d+$/.test(name);
}

export interface DiskRateOptions {
  /**
   * The names listed in /sys/block, which holds whole devices only. When given, it decides what a
   * disk is instead of the naming rules.
   */
  wholeDisks?: ReadonlySet<string>;
}

function isReported(device: DiskCounters, wholeDisks: ReadonlySet<string> | undefined): boolean {
  // RAM disks are memory; loop devices that never did any I/O are the unused pool (loop0–7 on
  // every Debian host) and would only clutter the list.
  if (/^ram\d+$/.test(device.name)) return false;
  if (/^loop\d+$/.test(device.name) && device.reads === 0 && device.writes === 0) return false;
  return wholeDisks ? wholeDisks.has(device.name) : !isPartitionName(device.name);
}

const diskstatsNamesOf = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/** /sys/block writes '/' in device names as '!' (cciss!c0d0); /proc/diskstats keeps the '/'. */
function diskstatsNames(sysBlock: ReadonlySet<string>): ReadonlySet<string> {
  // The same set comes with every reading until the facts are read again: converted once.
  let names = diskstatsNamesOf.get(sysBlock);
  if (!names) {
    names = new Set([...sysBlock].map((n) => n.replaceAll('!', '/')));
    diskstatsNamesOf.set(sysBlock, names);
  }
  return names;
}

/**
 * Rates for every whole device present in both readings, in the current reading's order. New
 * devices appear from their second reading; a device whose counters were reset reports zeros.
 * busyPercent is iostat's %util: share of the interval with I/O in flight.
 */
export function diskRates(
  prev: readonly DiskCounters[],
  cur: readonly DiskCounters[],
  elapsedMs: number,
  options: DiskRateOptions = {},
): BlockDeviceSample[] {
  const wholeDisks = options.wholeDisks && diskstatsNames(options.wholeDisks);
  const before = new Map(prev.map((d) => [d.name, d]));
  const samples: BlockDeviceSample[] = [];
  for (const now of cur) {
    const then = before.get(now.name);
    if (!then || !isReported(now, wholeDisks)) continue;
    const rate = perSecond(counterDeltas(then, now, DISK_COUNTERS), DISK_COUNTERS, elapsedMs);
    samples.push({
      name: now.name,
      readBytesPerSec: rate.sectorsRead * SECTOR_BYTES,
      writeBytesPerSec: rate.sectorsWritten * SECTOR_BYTES,
      readIops: rate.reads,
      writeIops: rate.writes,
      busyPercent: Math.min(100, Math.max(0, (rate.ioTicksMs / 1000) * 100)),
    });
  }
  return samples;
}
