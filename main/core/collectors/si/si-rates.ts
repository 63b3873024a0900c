// Per-second rates for network interfaces and disks from systeminformation's counters.
import type { BlockDeviceSample, NetworkInterfaceSample } from '../../../../common/schemas/metrics';
import type { SiBlockDevice, SiDisksIO, SiFsStats, SiNetworkStats } from './si-readings';

/** Counters of one interface, kept for the next reading. */
export interface InterfaceCounters {
  rxBytes: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
  rxDrops: number;
  txDrops: number;
}

/** What one reading leaves for the next: si's counters since boot. */
export interface SiCounters {
  interfaces: Record<string, InterfaceCounters>;
  /** Read and write operations on all disks (si.disksIO); absent on Windows. */
  diskOps?: { read: number; write: number };
  /** Bytes read and written on all disks (si.fsStats); absent on Windows. */
  diskBytes?: { read: number; write: number };
}

const counter = (v: unknown): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
};

/**
 * si's own rate when it has one (it measured over its own interval); otherwise the change of the
 * counter over ours. A counter that went backwards (an interface reset, a reboot) gives 0, not a
 * negative or a huge number.
 */
export function perSecond(
  siRate: number | null | undefined,
  current: number,
  previous: number | undefined,
  seconds: number,
): number {
  if (typeof siRate === 'number' && Number.isFinite(siRate) && siRate >= 0) return siRate;
  if (previous === undefined || seconds <= 0 || current < previous) return 0;
  return (current - previous) / seconds;
}

export function countersFromSi(
  stats: readonly SiNetworkStats[],
  disksIO: SiDisksIO | null | undefined,
  fsStats: SiFsStats | null | undefined,
): SiCounters {
  const interfaces: Record<string, InterfaceCounters> = {};
  for (const s of stats) {
    if (!s.iface || s.iface in interfaces) continue;
    interfaces[s.iface] = {
      rxBytes: counter(s.rx_bytes),
      txBytes: counter(s.tx_bytes),
      rxErrors: counter(s.rx_errors),
      txErrors: counter(s.tx_errors),
      rxDrops: counter(s.rx_dropped),
      txDrops: counter(s.tx_dropped),
    };
  }
  return {
    interfaces,
    ...(disksIO ? { diskOps: { read: counter(disksIO.rIO), write: counter(disksIO.wIO) } } : {}),
    ...(fsStats ? { diskBytes: { read: counter(fsStats.rx), write: counter(fsStats.wx) } } : {}),
  };
}

/**
 * Byte rates from si (rx_sec/tx_sec), error and drop rates from counter deltas. si reports no packet
 * counters on any platform: packet rates are 0.
 */
export function interfacesFromSi(
  stats: readonly SiNetworkStats[],
  current: SiCounters,
  previous: SiCounters,
  seconds: number,
): NetworkInterfaceSample[] {
  const siRates = new Map(stats.map((s) => [s.iface, s] as const));
  return Object.entries(current.interfaces).map(([name, cur]) => {
    const prev = previous.interfaces[name];
    const si = siRates.get(name);
    return {
      name,
      rxBytesPerSec: perSecond(si?.rx_sec, cur.rxBytes, prev?.rxBytes, seconds),
      txBytesPerSec: perSecond(si?.tx_sec, cur.txBytes, prev?.txBytes, seconds),
      rxPacketsPerSec: 0,
      txPacketsPerSec: 0,
      rxErrorsPerSec: perSecond(undefined, cur.rxErrors, prev?.rxErrors, seconds),
      txErrorsPerSec: perSecond(undefined, cur.txErrors, prev?.txErrors, seconds),
      rxDropsPerSec: perSecond(undefined, cur.rxDrops, prev?.rxDrops, seconds),
      txDropsPerSec: perSecond(undefined, cur.txDrops, prev?.txDrops, seconds),
    };
  });
}

/** Not disks for this purpose: si leaves them out of its disk totals too. */
const NOT_A_DISK = /^(loop|ram|zram|nbd|fd|zd)\d+$/;

/** The one physical disk's name when there is exactly one ("disk0", "vda"), else "all": si sums every disk. */
export function aggregateDiskName(devices: readonly SiBlockDevice[] | undefined): string {
  const disks = new Set(
    (devices ?? [])
      .filter((d) => d.type === 'disk' && !d.removable)
      .map((d) => d.name.replace(/^\/dev\//, ''))
      .filter((name) => name && !NOT_A_DISK.test(name)),
  );
  const [only] = disks;
  return disks.size === 1 && only ? only : 'all';
}

/**
 * si gives disk activity only for all disks together (disksIO: operations; fsStats: bytes), on
 * macOS and Linux; on Windows both are null and the list is empty. si has no busy time for a
 * device (its Linux "wait" figure is queue time, and macOS reports none): busyPercent is 0.
 */
export function blockDevicesFromSi(
  disksIO: SiDisksIO | null | undefined,
  fsStats: SiFsStats | null | undefined,
  current: SiCounters,
  previous: SiCounters,
  seconds: number,
  devices: readonly SiBlockDevice[] | undefined,
): BlockDeviceSample[] {
  if (!disksIO && !fsStats) return [];
  return [
    {
      name: aggregateDiskName(devices),
      readBytesPerSec: current.diskBytes
        ? perSecond(fsStats?.rx_sec, current.diskBytes.read, previous.diskBytes?.read, seconds)
        : 0,
      writeBytesPerSec: current.diskBytes
        ? perSecond(fsStats?.wx_sec, current.diskBytes.write, previous.diskBytes?.write, seconds)
        : 0,
      readIops: current.diskOps
        ? perSecond(disksIO?.rIO_sec, current.diskOps.read, previous.diskOps?.read, seconds)
        : 0,
      writeIops: current.diskOps
        ? perSecond(disksIO?.wIO_sec, current.diskOps.write, previous.diskOps?.write, seconds)
        : 0,
      busyPercent: 0,
    },
  ];
}
