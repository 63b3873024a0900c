// Turns the raw text of a Linux host's files into a Sample. Pure: local and remote paths share it.
import type { Sample } from '../../../../common/schemas/sample';
import { cpuUsageBetween, parseLoadavg, parseProcStat, type ProcStat } from './cpu';
import { parseOsRelease, parseTemperatures, parseUptime, type RawTemperature } from './host';

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
}

/** What one reading leaves for the next: counters are turned into rates across two readings. */
export interface LinuxCounterState {
  takenAt: number;
  stat: ProcStat;
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
  const state: LinuxCounterState = { takenAt: snapshot.takenAt, stat };
  if (!previous || snapshot.takenAt <= previous.takenAt) return { sample: undefined, state };
  const usage = cpuUsageBetween(previous.stat, stat);
  if (!usage) return { sample: undefined, state };
  const { load } = parseLoadavg(snapshot.loadavg);
  const sample: Sample = {
    hostId,
    ts: snapshot.takenAt,
    intervalMs: snapshot.takenAt - previous.takenAt,
    host: {
      name: displayName,
      hostname: snapshot.hostname.trim(),
      os: parseOsRelease(snapshot.osRelease),
      kernel: snapshot.kernel.trim(),
      uptimeSec: parseUptime(snapshot.uptime),
      cores: Math.max(1, stat.cores.length),
    },
    cpu: {
      total: usage.total,
      cores: usage.cores,
      load,
      temperatures: parseTemperatures(snapshot.temperatures),
    },
  };
  return { sample, state };
}
