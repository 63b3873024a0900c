// Turns the raw text of a Linux host's files into a Sample. Pure: local and remote paths share it.
import type { FilesystemSample } from '../../../../common/schemas/metrics';
import type { HostClock, Sample } from '../../../../common/schemas/sample';
import { cpuUsageBetween, parseLoadavg, parseProcStat, type ProcStat } from './cpu';
import { diskRates, parseDiskstats, type DiskCounters } from './disks';
import { parseOsRelease, parseTemperatures, parseUptime, type RawTemperature } from './host';
import { memorySample, parseMeminfo, parseVmstatSwap, type SwapCounters } from './memory';
import { networkRates, parseNetDev, type NetDevCounters } from './network';

/** The files of one reading, as text, whichever way they were fetched. */
export interface LinuxSnapshot {
  takenAt: number;
  stat: string;
  loadavg: string;
  uptime: string;
  hostname: string;
  kernel: string;
  osRelease: string;
  temperatures: RawTemperature[];
  meminfo: string;
  vmstat: string;
  netDev: string;
  diskstats: string;
  /** Whole disks (the names in /sys/block), when known; partitions are told apart by name otherwise. */
  wholeDisks: ReadonlySet<string> | undefined;
  /** Filesystems measured with this reading; undefined when not measured this time (the last stand). */
  filesystems: FilesystemSample[] | undefined;
  /** The host's clock and zone, when known. */
  clock?: HostClock | undefined;
}

/** What one reading leaves for the next: counters are turned into rates across two readings. */
export interface LinuxCounterState {
  takenAt: number;
  stat: ProcStat;
  swap: SwapCounters;
  net: NetDevCounters[];
  disks: DiskCounters[];
  filesystems: FilesystemSample[];
}

export interface SampleStep {
  /** Undefined for the first reading, or when the counters were reset since the last one. */
  sample: Sample | undefined;
  state: LinuxCounterState;
}

export function sampleFromSnapshot(
  hostId: string,
  displayName: string,
  previous: LinuxCounterState | undefined,
  snapshot: LinuxSnapshot,
): SampleStep {
  const stat = parseProcStat(snapshot.stat);
  const swap = parseVmstatSwap(snapshot.vmstat);
  const net = parseNetDev(snapshot.netDev);
  const disks = parseDiskstats(snapshot.diskstats);
  const state: LinuxCounterState = {
    takenAt: snapshot.takenAt,
    stat,
    swap,
    net,
    disks,
    filesystems: snapshot.filesystems ?? previous?.filesystems ?? [],
  };
  if (!previous || snapshot.takenAt <= previous.takenAt) return { sample: undefined, state };
  const usage = cpuUsageBetween(previous.stat, stat);
  // Counters that went backwards mean a reboot: this interval has no honest rates.
  if (!usage) return { sample: undefined, state };
  const elapsedMs = snapshot.takenAt - previous.takenAt;
  const { load } = parseLoadavg(snapshot.loadavg);
  const sample: Sample = {
    hostId,
    ts: snapshot.takenAt,
    intervalMs: elapsedMs,
    host: {
      name: displayName,
      hostname: snapshot.hostname.trim(),
      os: parseOsRelease(snapshot.osRelease),
      kernel: snapshot.kernel.trim(),
      uptimeSec: parseUptime(snapshot.uptime),
      cores: Math.max(1, stat.cores.length),
      ...(snapshot.clock && { clock: snapshot.clock }),
    },
    cpu: {
      total: usage.total,
      cores: usage.cores,
      load,
      temperatures: parseTemperatures(snapshot.temperatures),
    },
    memory: memorySample(parseMeminfo(snapshot.meminfo), previous.swap, swap, elapsedMs),
    network: { interfaces: networkRates(previous.net, net, elapsedMs) },
    disks: {
      filesystems: state.filesystems,
      devices: diskRates(previous.disks, disks, elapsedMs, { wholeDisks: snapshot.wholeDisks }),
    },
  };
  return { sample, state };
}
