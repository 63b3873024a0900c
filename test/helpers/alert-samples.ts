// Samples shaped for alert tests: set CPU, memory, swap, filesystems and interfaces by hand.
import type { Sample } from '../../common/schemas/sample';
import { makeSample } from './samples';

export interface AlertSampleOptions {
  cpu?: number;
  /** Memory available, as a percentage of 8 GiB. */
  memAvailablePercent?: number;
  swapUsedBytes?: number;
  /** Mount → used %. */
  filesystems?: Record<string, number>;
  /** Interface names. */
  interfaces?: string[];
}

const GIB = 2 ** 30;

export function alertSample(hostId: string, ts: number, o: AlertSampleOptions = {}): Sample {
  const sample = makeSample(hostId, ts, o.cpu ?? 10);
  const total = 8 * GIB;
  const available = ((o.memAvailablePercent ?? 60) / 100) * total;
  sample.memory = {
    ...sample.memory,
    totalBytes: total,
    availableBytes: available,
    usedBytes: total - available,
    swapTotalBytes: 4 * GIB,
    swapUsedBytes: o.swapUsedBytes ?? 0,
  };
  sample.disks.filesystems = Object.entries(o.filesystems ?? { '/': 40 }).map(([mount, usedPercent]) => ({
    mount,
    device: `/dev/${mount === '/' ? 'root' : mount.replace(/\W/g, '')}`,
    fsType: 'ext4',
    sizeBytes: 100 * GIB,
    usedBytes: usedPercent * GIB,
    freeBytes: (100 - usedPercent) * GIB,
    usedPercent,
    inodesTotal: 1000,
    inodesUsed: 10,
  }));
  sample.network.interfaces = (o.interfaces ?? ['eth0']).map((name) => ({
    name,
    rxBytesPerSec: 1000,
    txBytesPerSec: 1000,
    rxPacketsPerSec: 10,
    txPacketsPerSec: 10,
    rxErrorsPerSec: 0,
    txErrorsPerSec: 0,
    rxDropsPerSec: 0,
    txDropsPerSec: 0,
  }));
  return sample;
}
