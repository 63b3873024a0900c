// Reads the local machine's /proc and /sys files into a LinuxSnapshot. Synchronous on purpose:
// these are kernel-generated files that never touch a disk, and a sync read costs microseconds
// where a promise round trip through the thread pool costs far more. The files read every tick
// stay open (one pread each); facts that rarely change are read whole now and then.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawTemperature } from './host';
import { KernelFile, ReadBuffer } from './kernel-file';
import type { LocalFilesystems } from './local-filesystems';
import type { LinuxSnapshot } from './snapshot';

interface SensorFile {
  sensor: string;
  file: KernelFile;
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
  private readonly buffer = new ReadBuffer();
  private readonly tickFiles;

  constructor(options: LocalReaderOptions = {}) {
    this.root = options.root ?? '/';
    this.factsRefreshMs = options.factsRefreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.filesystems = options.filesystems;
    const open = (path: string): KernelFile => new KernelFile(join(this.root, path), this.buffer);
    this.tickFiles = {
      stat: open('proc/stat'),
      loadavg: open('proc/loadavg'),
      uptime: open('proc/uptime'),
      meminfo: open('proc/meminfo'),
      vmstat: open('proc/vmstat'),
      netDev: open('proc/net/dev'),
      diskstats: open('proc/diskstats'),
    };
  }

  /** Closes the files kept open between readings (they are opened again by the next read). */
  close(): void {
    for (const file of Object.values(this.tickFiles)) file.close();
    for (const sensor of this.facts?.sensors ?? []) sensor.file.close();
  }

  read(): LinuxSnapshot {
    const takenAt = this.now();
    const facts = this.currentFacts(takenAt);
    return {
      takenAt,
      stat: this.tickFiles.stat.read(),
      loadavg: this.tickFiles.loadavg.read(),
      uptime: this.tickFiles.uptime.read(),
      hostname: facts.hostname,
      kernel: facts.kernel,
      osRelease: facts.osRelease,
      temperatures: this.temperatures(facts.sensors),
      meminfo: this.tickFiles.meminfo.read(),
      vmstat: this.tickFiles.vmstat.readOptional() ?? '',
      netDev: this.tickFiles.netDev.readOptional() ?? '',
      diskstats: this.tickFiles.diskstats.readOptional() ?? '',
      wholeDisks: facts.wholeDisks.size > 0 ? facts.wholeDisks : undefined,
      filesystems: this.filesystems?.take(),
    };
  }

  private temperatures(sensors: readonly SensorFile[]): RawTemperature[] {
    const out: RawTemperature[] = [];
    for (const { sensor, file } of sensors) {
      const milliCelsius = file.readOptional();
      if (milliCelsius !== undefined) out.push({ sensor, milliCelsius });
    }
    return out;
  }

  private currentFacts(now: number): LocalFacts {
    if (!this.facts || now - this.facts.at >= this.factsRefreshMs) {
      // Sensors are found again (one may have been plugged in or out): the old files close.
      for (const sensor of this.facts?.sensors ?? []) sensor.file.close();
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
        sensors.push({
          sensor: `${chip} ${label || `temp${match[1]}`}`,
          file: this.kernelFile(join(base, entry)),
        });
      }
    }
    if (sensors.length > 0) return sensors;
    for (const dir of this.list('sys/class/thermal')) {
      if (!dir.startsWith('thermal_zone')) continue;
      const base = join('sys/class/thermal', dir);
      const type = this.optionalFile(join(base, 'type'))?.trim() || dir;
      sensors.push({ sensor: type, file: this.kernelFile(join(base, 'temp')) });
    }
    return sensors;
  }

  private kernelFile(path: string): KernelFile {
    return new KernelFile(join(this.root, path), this.buffer);
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
