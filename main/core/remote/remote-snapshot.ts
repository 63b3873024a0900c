// Turns one reading of the remote sampler into the LinuxSnapshot the shared parsers expect.
// Facts (host name, OS, sensors' names, disks) arrive only on slow ticks and are remembered.
import { parseDfPortable, parseMounts } from '../collectors/linux/filesystems';
import type { RawTemperature } from '../collectors/linux/host';
import type { LinuxSnapshot } from '../collectors/linux/snapshot';
import type { HostClock } from '../../../common/schemas/sample';
import { parseRemoteClock } from '../collectors/host-clock';
import type { SamplerReading } from './sampler-output';

/** What the slow ticks taught us about a host; kept across readings, reset on reconnect. */
export interface RemoteFacts {
  hostname: string;
  kernel: string;
  osRelease: string;
  wholeDisks: ReadonlySet<string> | undefined;
  /** Sensor file path → "chip label" or thermal zone type. */
  sensorNames: ReadonlyMap<string, string>;
  /** The host's clock and zone, from `date` on slow ticks. */
  clock?: HostClock | undefined;
}

export const emptyFacts = (): RemoteFacts => ({
  hostname: '',
  kernel: '',
  osRelease: '',
  wholeDisks: undefined,
  sensorNames: new Map(),
});

export function updateFacts(facts: RemoteFacts, reading: SamplerReading, receivedAt?: number): RemoteFacts {
  const s = reading.sections;
  if (!s.has('hostname')) return facts;
  const sensorNames = new Map<string, string>();
  for (const line of (s.get('sensors') ?? '').split('\n')) {
    const [path, name] = line.split('\t');
    if (path && name) sensorNames.set(path, name.trim());
  }
  const blocks = (s.get('blocks') ?? '').split('\n').filter(Boolean);
  return {
    hostname: s.get('hostname') ?? '',
    kernel: s.get('kernel') ?? '',
    osRelease: s.get('osrelease') ?? '',
    wholeDisks: blocks.length ? new Set(blocks) : undefined,
    sensorNames,
    clock:
      receivedAt === undefined
        ? facts.clock
        : (parseRemoteClock(s.get('date') ?? '', s.get('timezone') ?? '', receivedAt) ?? facts.clock),
  };
}

/** hwmon sensors when the host has any, thermal zones otherwise (as the local reader does). */
function temperatures(text: string, names: ReadonlyMap<string, string>): RawTemperature[] {
  const all: { path: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const [path, value] = line.split('\t');
    if (path && value !== undefined) all.push({ path, value });
  }
  const hwmon = all.filter((t) => t.path.startsWith('/sys/class/hwmon/'));
  const chosen = hwmon.length ? hwmon : all;
  return chosen.map(({ path, value }) => ({
    sensor: names.get(path) ?? path.split('/').slice(-2).join(' '),
    milliCelsius: value,
  }));
}

export function snapshotFromReading(
  reading: SamplerReading,
  facts: RemoteFacts,
  receivedAt: number,
): LinuxSnapshot {
  const s = reading.sections;
  const dfk = s.get('dfk');
  return {
    takenAt: receivedAt,
    stat: s.get('stat') ?? '',
    loadavg: s.get('loadavg') ?? '',
    uptime: s.get('uptime') ?? '',
    hostname: facts.hostname,
    kernel: facts.kernel,
    osRelease: facts.osRelease,
    temperatures: temperatures(s.get('temps') ?? '', facts.sensorNames),
    meminfo: s.get('meminfo') ?? '',
    vmstat: s.get('vmstat') ?? '',
    netDev: s.get('netdev') ?? '',
    diskstats: s.get('diskstats') ?? '',
    wholeDisks: facts.wholeDisks,
    clock: facts.clock,
    filesystems:
      dfk === undefined
        ? undefined
        : parseDfPortable(dfk, s.get('dfi') ?? '', parseMounts(s.get('mounts') ?? '')),
  };
}

/** The sampler shell's own CPU time (utime + stime + children's, clock ticks) from /proc/$$/stat. */
export function samplerCpuTicks(reading: SamplerReading): number | undefined {
  const text = reading.sections.get('self');
  if (!text) return undefined;
  // The command name is in parentheses and may contain spaces: fields count from after the ")".
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  if ([utime, stime, cutime, cstime].some((v) => v === undefined || !Number.isFinite(v))) return undefined;
  return utime! + stime! + cutime! + cstime!;
}
