// Reads the local macOS or Windows machine through systeminformation. Linux reads /proc and /sys
// directly (collectors/linux), which costs microseconds where si's child processes cost ~100 ms.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import type * as systeminformation from 'systeminformation';
import type { SiBlockDevice, SiOsInfo, SiReadings } from './si-readings';

/** The part of systeminformation the reader calls. */
export type SystemInformation = Pick<
  typeof systeminformation,
  | 'time'
  | 'currentLoad'
  | 'mem'
  | 'networkStats'
  | 'fsSize'
  | 'disksIO'
  | 'fsStats'
  | 'blockDevices'
  | 'cpuTemperature'
  | 'osInfo'
  | 'powerShellStart'
  | 'powerShellRelease'
>;

export interface SiReaderOptions {
  /** Loads systeminformation on first use; tests pass a stand-in. */
  loadSystemInformation?: () => SystemInformation;
  /** How often facts that rarely change (OS, hostname, disks) are read again (ms). */
  factsRefreshMs?: number;
  now?: () => number;
  loadavg?: () => number[];
  platform?: NodeJS.Platform;
}

// Required on first use rather than imported: si loads some thirty modules that Linux never needs.
const requireSystemInformation = (): SystemInformation =>
  createRequire(__filename)('systeminformation') as SystemInformation;

export class SystemInformationReader {
  private readonly load: () => SystemInformation;
  private readonly factsRefreshMs: number;
  private readonly now: () => number;
  private readonly loadavg: () => number[];
  private readonly platform: NodeJS.Platform;
  private si: SystemInformation | undefined;
  private facts: { at: number; osInfo: SiOsInfo; blockDevices: SiBlockDevice[] } | undefined;
  private powerShellKept = false;

  constructor(options: SiReaderOptions = {}) {
    this.load = options.loadSystemInformation ?? requireSystemInformation;
    this.factsRefreshMs = options.factsRefreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.loadavg = options.loadavg ?? loadavg;
    this.platform = options.platform ?? process.platform;
  }

  /** One reading. The first one primes si's own counters; rates start with the second. */
  async read(): Promise<SiReadings> {
    const si = this.module();
    const takenAt = this.now();
    const [facts, currentLoad, mem, networkStats, fsSize, disksIO, fsStats, cpuTemperature] =
      await Promise.all([
        this.currentFacts(si, takenAt),
        si.currentLoad(),
        si.mem(),
        si.networkStats('*'),
        si.fsSize(),
        si.disksIO(),
        si.fsStats(),
        si.cpuTemperature(),
      ]);
    const [l1 = 0, l5 = 0, l15 = 0] = this.loadavg();
    return {
      time: { current: takenAt, uptime: Number(si.time().uptime) || 0 },
      loadavg: [l1, l5, l15],
      currentLoad,
      mem,
      networkStats,
      fsSize,
      // si's typings say these are never null; on Windows they are.
      disksIO: disksIO ?? null,
      fsStats: fsStats ?? null,
      blockDevices: facts.blockDevices,
      cpuTemperature,
      osInfo: facts.osInfo,
    };
  }

  /** Releases the PowerShell process si keeps on Windows between readings. */
  close(): void {
    if (this.powerShellKept) this.si?.powerShellRelease();
    this.powerShellKept = false;
  }

  private module(): SystemInformation {
    if (!this.si) {
      this.si = this.load();
      // Without this, every Windows reading starts several PowerShell processes.
      if (this.platform === 'win32') {
        this.si.powerShellStart();
        this.powerShellKept = true;
      }
    }
    return this.si;
  }

  private async currentFacts(si: SystemInformation, now: number) {
    if (!this.facts || now - this.facts.at >= this.factsRefreshMs) {
      const [os, devices] = await Promise.all([si.osInfo(), si.blockDevices()]);
      this.facts = {
        at: now,
        // Only what a sample shows: no serial numbers or machine ids kept in memory or recordings.
        osInfo: {
          platform: os.platform,
          distro: os.distro,
          release: os.release,
          codename: os.codename,
          kernel: os.kernel,
          arch: os.arch,
          hostname: os.hostname,
          build: os.build,
        },
        blockDevices: (devices ?? []).map((d) => ({ name: d.name, type: d.type, removable: d.removable })),
      };
    }
    return this.facts;
  }
}
