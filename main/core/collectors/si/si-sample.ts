// Turns one systeminformation reading of a macOS or Windows workstation into a sample. Pure: the I/O
// is in si-reader.ts, so recorded readings test it on any machine.
import type { HostFacts, Sample } from '../../../../common/schemas/sample';
import { cpuFromSi } from './si-cpu';
import { blockDevicesFromSi, countersFromSi, interfacesFromSi, type SiCounters } from './si-rates';
import type { SiOsInfo, SiReadings } from './si-readings';
import { filesystemsFromSi, memoryFromSi } from './si-storage';

/** The same sample shape as the Linux collectors produce. */
export type SiSample = Sample;

/** What one reading leaves for the next. */
export interface SiCounterState {
  takenAt: number;
  counters: SiCounters;
}

/**
 * Fields that hold 0 because systeminformation cannot measure them on this machine, so the UI can
 * show "not available" rather than a flat zero line.
 */
export type SiUnavailableField =
  | 'cpu.load'
  | 'cpu.iowait'
  | 'cpu.softirq'
  | 'memory.swapInBytesPerSec'
  | 'memory.swapOutBytesPerSec'
  | 'network.packetsPerSec'
  | 'disks.inodes'
  | 'disks.busyPercent'
  | 'disks.devices';

export interface SiSampleStep {
  /** Undefined for the first reading (si's first rates cover the time since boot) or a clock step back. */
  sample: SiSample | undefined;
  state: SiCounterState;
  unavailable: SiUnavailableField[];
}

const isWindows = (os: SiOsInfo): boolean => /^win/i.test(os.platform);

/** "macOS 14.5 (Sonoma)", "Microsoft Windows 11 Pro 10.0.22631 (23H2)", "Debian GNU/Linux 12 (bookworm)". */
export function osNameFromSi(os: SiOsInfo): string {
  const name = [os.distro, os.release]
    .map((s) => (s ?? '').trim())
    .filter((s) => s && s !== 'unknown')
    .join(' ');
  const codename = (os.codename ?? '').trim();
  const base = name || os.platform;
  // si's macOS codename for old releases repeats the product name ("macOS"): not worth saying twice.
  return codename && !base.includes(codename) ? `${base} (${codename})` : base;
}

export function hostFactsFromSi(readings: SiReadings, displayName: string): HostFacts {
  const uptime = readings.time.uptime;
  return {
    name: displayName,
    hostname: readings.osInfo.hostname,
    os: osNameFromSi(readings.osInfo),
    kernel: readings.osInfo.kernel,
    uptimeSec: Number.isFinite(uptime) && uptime > 0 ? uptime : 0,
    cores: Math.max(1, readings.currentLoad.cpus?.length ?? 0),
  };
}

export function unavailableFields(readings: SiReadings): SiUnavailableField[] {
  const fields: SiUnavailableField[] = [
    'cpu.iowait',
    'cpu.softirq',
    'memory.swapInBytesPerSec',
    'memory.swapOutBytesPerSec',
    'network.packetsPerSec',
    'disks.inodes',
    'disks.busyPercent',
  ];
  if (isWindows(readings.osInfo)) fields.unshift('cpu.load');
  if (!readings.disksIO && !readings.fsStats) fields.push('disks.devices');
  return fields;
}

export function sampleFromSystemInformation(
  previous: SiCounterState | undefined,
  readings: SiReadings,
  hostId: string,
  displayName: string,
): SiSampleStep {
  const takenAt = readings.time.current;
  const counters = countersFromSi(readings.networkStats, readings.disksIO, readings.fsStats);
  const state: SiCounterState = { takenAt, counters };
  const unavailable = unavailableFields(readings);
  if (!previous || takenAt <= previous.takenAt) return { sample: undefined, state, unavailable };
  const intervalMs = takenAt - previous.takenAt;
  const seconds = intervalMs / 1000;
  const sample: SiSample = {
    hostId,
    ts: takenAt,
    intervalMs,
    host: hostFactsFromSi(readings, displayName),
    cpu: cpuFromSi(readings.currentLoad, readings.loadavg, readings.cpuTemperature),
    memory: memoryFromSi(readings.mem),
    network: {
      interfaces: interfacesFromSi(readings.networkStats, counters, previous.counters, seconds),
    },
    disks: {
      filesystems: filesystemsFromSi(readings.fsSize),
      devices: blockDevicesFromSi(
        readings.disksIO,
        readings.fsStats,
        counters,
        previous.counters,
        seconds,
        readings.blockDevices,
      ),
    },
  };
  return { sample, state, unavailable };
}
