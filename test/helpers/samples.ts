// Builds valid samples for tests that need many of them.
import type { CpuModes, Sample } from '../../common/schemas/sample';

export function modes(usage: number): CpuModes {
  return {
    usage,
    user: usage,
    nice: 0,
    system: 0,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
    idle: 100 - usage,
  };
}

export function makeSample(hostId: string, ts: number, usage = 10, cores = 2): Sample {
  return {
    hostId,
    ts,
    intervalMs: 1000,
    host: {
      name: hostId,
      hostname: hostId,
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0',
      uptimeSec: 100,
      cores,
    },
    cpu: {
      total: modes(usage),
      cores: Array.from({ length: cores }, () => modes(usage)),
      load: [0.5, 0.4, 0.3],
      temperatures: [],
    },
    memory: {
      totalBytes: 8 * 2 ** 30,
      usedBytes: 2 * 2 ** 30,
      availableBytes: 6 * 2 ** 30,
      freeBytes: 4 * 2 ** 30,
      cachedBytes: 2 ** 30,
      buffersBytes: 2 ** 20,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: 0,
    },
    network: { interfaces: [] },
    disks: { filesystems: [], devices: [] },
  };
}
