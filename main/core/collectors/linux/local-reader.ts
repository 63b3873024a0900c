// Reads the local machine's /proc and /sys files into a LinuxSnapshot. Synchronous on purpose:
// these are kernel-generated files that never touch a disk, and a sync read costs microseconds
// where a promise round trip through the thread pool costs far more.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawTemperature } from './host';
import type { LocalFilesystems } from './local-filesystems';
import type { LinuxSnapshot } from './snapshot';

interface SensorFile {
  sensor: string;
  path: string;
}

export interface LocalReaderOptions {
  /** Root of the filesystem to read (tests point it at a fixture tree). */
  root?: string;
  /** How often facts that rarely change (OS, kernel, sensors) are read again (ms). */
  factsRefreshMs?: number;
  now?: () => number;
  /** Background filesystem measurements; without it, samples carry no filesystems. */
  filesystems?: LocalFilesystems;
}

interface LocalFacts {
  at: number;
  hostname: string;
  kernel: string;
  osRelease: string;
  sensors: SensorFile[];
  wholeDisks: Set<string>;
}

export class LocalLinuxReader {
  private readonly root: string;
  private readonly factsRefreshMs: number;
  private readonly now: () => number;
  private readonly filesystems: LocalFilesystems | undefined;
  private facts: LocalFacts | undefined;

  constructor(options: LocalReaderOptions = {}) {
    this.root = options.root ?? '/';
    this.factsRefreshMs = options.factsRefreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.filesystems = options.filesystems;
  }

  read(): LinuxSnapshot {
    const takenAt = this.now();
    const facts = this.currentFacts(takenAt);
    return {
      takenAt,
      stat: this.file('proc/stat'),
      loadavg: this.file('proc/loadavg'),
      uptime: this.file('proc/uptime'),
      hostname: facts.hostname,
      kernel: facts.kernel,
      osRelease: facts.osRelease,
      temperatures: facts.sensors.flatMap((s): RawTemperature[] => {
        const value = this.optionalFile(s.path);
        return value === undefined ? [] : [{ sensor: s.sensor, milliCelsius: value }];
      }),
      meminfo: this.file('proc/meminfo'),
      vmstat: this.optionalFile('proc/vmstat') ?? '',
      netDev: this.optionalFile('proc/net/dev') ?? '',
      diskstats: this.optionalFile('proc/diskstats') ?? '',
      wholeDisks: facts.wholeDisks.size > 0 ? facts.wholeDisks : undefined,
      filesystems: this.filesystems?.take(),
    };
  }

  private currentFacts(now: number): LocalFacts {
    if (!this.facts || now - this.facts.at >= this.factsRefreshMs) {
      this.facts = {
        at: now,
        hostname: this.optionalFile('proc/sys/kernel/hostname') ?? 'localhost',
        kernel: this.optionalFile('proc/sys/kernel/osrelease') ?? '',
        osRelease: this.optionalFile('etc/os-release') ?? this.optionalFile('usr/lib/os-release') ?? '',
        sensors: this.discoverSensors(),
        wholeDisks: new Set(this.list('sys/block')),
      };
    }
    return this.facts;
  }

  /** hwmon sensors when the machine has any; ACPI thermal zones otherwise. */
  private discoverSensors(): SensorFile[] {
    const sensors: SensorFile[] = [];
    for (const dir of this.list('sys/class/hwmon')) {
      const base = join('sys/class/hwmon', dir);
      const chip = this.optionalFile(join(base, 'name'))?.trim() || dir;
      for (const entry of this.list(base)) {
        const match = /^temp(\d+)_input$/.exec(entry);
        if (!match) continue;
        const label = this.optionalFile(join(base, `temp${match[1]}_label`))?.trim();
        sensors.push({ sensor: `${chip} ${label || `temp${match[1]}`}`, path: join(base, entry) });
      }
    }
    if (sensors.length > 0) return sensors;
    for (const dir of this.list('sys/class/thermal')) {
      if (!dir.startsWith('thermal_zone')) continue;
      const base = join('sys/class/thermal', dir);
      const type = this.optionalFile(join(base, 'type'))?.trim() || dir;
      sensors.push({ sensor: type, path: join(base, 'temp') });
    }
    return sensors;
  }

  private file(path: string): string {
    return readFileSync(join(this.root, path), 'latin1');
  }

  private optionalFile(path: string): string | undefined {
    try {
      return this.file(path);
    } catch {
      return undefined;
    }
  }

  private list(path: string): string[] {
    try {
      return readdirSync(join(this.root, path)).sort();
    } catch {
      return [];
    }
  }
}
