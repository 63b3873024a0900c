import {
  BlockDeviceSample,
  FilesystemSample,
  MemorySample,
  NetworkInterfaceSample,
} from '../../../../../../common/schemas/metrics';
import { CpuSample, HostFacts, Sample } from '../../../../../../common/schemas/sample';
import {
  osNameFromSi,
  sampleFromSystemInformation,
  type SiSample,
  type SiSampleStep,
} from '../../../../../../main/core/collectors/si/si-sample';
import type { SiReadings } from '../../../../../../main/core/collectors/si/si-readings';
import { fixture } from '../../../../../helpers/fixtures';

const reading = (platform: string, n: 1 | 2): SiReadings =>
  JSON.parse(fixture(`si/${platform}/reading-${n}.json`)) as SiReadings;

/** Replays a recorded pair: the first reading primes the counters, the second gives the sample. */
function replay(platform: string): { first: SiSampleStep; second: SiSampleStep; sample: SiSample } {
  const first = sampleFromSystemInformation(undefined, reading(platform, 1), 'ws-1', 'Workstation');
  const second = sampleFromSystemInformation(first.state, reading(platform, 2), 'ws-1', 'Workstation');
  if (!second.sample) throw new Error('the second reading gave no sample');
  return { first, second, sample: second.sample };
}

/** Every group parses with the contract's schemas, and parsing drops nothing (no stray fields). */
function expectValidAgainstSchemas(sample: SiSample): void {
  expect(Sample.parse(sample)).toEqual(sample);
  expect(HostFacts.parse(sample.host)).toEqual(sample.host);
  expect(CpuSample.parse(sample.cpu)).toEqual(sample.cpu);
  expect(MemorySample.parse(sample.memory)).toEqual(sample.memory);
  for (const i of sample.network.interfaces) expect(NetworkInterfaceSample.parse(i)).toEqual(i);
  for (const f of sample.disks.filesystems) expect(FilesystemSample.parse(f)).toEqual(f);
  for (const d of sample.disks.devices) expect(BlockDeviceSample.parse(d)).toEqual(d);
}

const iface = (sample: SiSample, name: string) => sample.network.interfaces.find((i) => i.name === name);
const mount = (sample: SiSample, path: string) => sample.disks.filesystems.find((f) => f.mount === path);

describe('sampleFromSystemInformation — MacBook Pro (macOS 14.5, M1 Pro, 10 CPUs)', () => {
  const { first, sample, second } = replay('darwin');

  it('gives no sample for the first reading: si has only counters since boot then', () => {
    expect(first.sample).toBeUndefined();
    expect(first.state.takenAt).toBe(1718000000000);
  });

  it('is valid against the sample schemas', () => {
    expectValidAgainstSchemas(sample);
  });

  it('describes the host', () => {
    expect(sample).toMatchObject({ hostId: 'ws-1', ts: 1718000002000, intervalMs: 2000 });
    expect(sample.host).toEqual({
      name: 'Workstation',
      hostname: 'Annas-MacBook-Pro.local',
      os: 'macOS 14.5 (Sonoma)',
      kernel: '23.5.0',
      uptimeSec: 345602.12,
      cores: 10,
    });
  });

  it('reports CPU modes per core and in total, and the real load average', () => {
    const { total, cores, load, temperatures } = sample.cpu;
    expect(total.usage).toBeCloseTo(13.4, 10);
    expect(total.user).toBeCloseTo(9.4, 10);
    expect(total.system).toBeCloseTo(4, 10);
    expect(total.idle).toBeCloseTo(86.6, 10);
    expect(total).toMatchObject({ nice: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 });
    expect(cores).toHaveLength(10);
    expect(cores[0]).toEqual({
      usage: 43,
      user: 31,
      nice: 0,
      system: 12,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
      idle: 57,
    });
    expect(cores[8]).toMatchObject({ usage: 0, idle: 100 });
    expect(load).toEqual([2.41, 2.73, 2.95]);
    // Apple silicon without a sensor module: no reading is a state, not an error.
    expect(temperatures).toEqual([]);
  });

  it('counts macOS file-backed pages as cache and used as total − available', () => {
    expect(sample.memory).toEqual({
      totalBytes: 17179869184,
      usedBytes: 9126805504,
      availableBytes: 8053063680,
      freeBytes: 412090368,
      cachedBytes: 7640973312,
      buffersBytes: 0,
      swapTotalBytes: 2147483648,
      swapUsedBytes: 1035206656,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: 0,
    });
  });

  it("takes byte rates from si's *_sec and drop rates from counter deltas", () => {
    expect(sample.network.interfaces.map((i) => i.name)).toEqual(['lo0', 'en0', 'awdl0', 'utun3']);
    expect(iface(sample, 'en0')).toEqual({
      name: 'en0',
      rxBytesPerSec: 1250000,
      txBytesPerSec: 150000,
      rxPacketsPerSec: 0,
      txPacketsPerSec: 0,
      rxErrorsPerSec: 0,
      txErrorsPerSec: 0,
      rxDropsPerSec: 1,
      txDropsPerSec: 1,
    });
    expect(iface(sample, 'lo0')).toMatchObject({ rxBytesPerSec: 20480, txBytesPerSec: 20480 });
    expect(iface(sample, 'awdl0')).toMatchObject({ rxBytesPerSec: 0, txBytesPerSec: 0 });
    expect(iface(sample, 'utun3')).toMatchObject({ rxBytesPerSec: 5000, txBytesPerSec: 3000 });
  });

  it('lists APFS volumes with df-style percentages', () => {
    expect(sample.disks.filesystems).toHaveLength(6);
    expect(mount(sample, '/')).toEqual({
      mount: '/',
      device: '/dev/disk3s1s1',
      fsType: 'APFS',
      sizeBytes: 494384795648,
      usedBytes: 10176933888,
      freeBytes: 289998663680,
      usedPercent: 4,
      inodesTotal: 0,
      inodesUsed: 0,
    });
    expect(mount(sample, '/System/Volumes/Data')).toMatchObject({ usedBytes: 185790758912, usedPercent: 40 });
    expect(mount(sample, '/System/Volumes/xarts')).toMatchObject({ sizeBytes: 524288000, usedPercent: 2 });
  });

  it('reports disk activity for all disks together, named after the one physical disk', () => {
    expect(sample.disks.devices).toEqual([
      {
        name: 'disk0',
        readBytesPerSec: 1500000,
        writeBytesPerSec: 4096000,
        readIops: 150,
        writeIops: 500,
        busyPercent: 0,
      },
    ]);
  });

  it('lists what si cannot measure on a Mac', () => {
    expect(second.unavailable).not.toContain('cpu.load');
    expect(second.unavailable).not.toContain('disks.devices');
    expect(second.unavailable).toEqual(
      expect.arrayContaining(['cpu.iowait', 'network.packetsPerSec', 'disks.inodes', 'disks.busyPercent']),
    );
  });
});

describe('sampleFromSystemInformation — Windows 11 desktop (Ryzen 7 5800X, 16 CPUs)', () => {
  const { sample, second } = replay('win32');

  it('is valid against the sample schemas', () => {
    expectValidAgainstSchemas(sample);
  });

  it('describes the host', () => {
    expect(sample.intervalMs).toBe(1000);
    expect(sample.host).toEqual({
      name: 'Workstation',
      hostname: 'DESKTOP-7H2K4QF',
      os: 'Microsoft Windows 11 Pro 10.0.22631 (23H2)',
      kernel: '10.0.22631',
      uptimeSec: 93785.218,
      cores: 16,
    });
  });

  it('reports CPU modes including interrupt time, and zeros for the load average it lacks', () => {
    const { total, cores, load } = sample.cpu;
    expect(total.usage).toBeCloseTo(16.375, 10);
    expect(total.user).toBeCloseTo(12.75, 10);
    expect(total.system).toBeCloseTo(3.25, 10);
    expect(total.irq).toBeCloseTo(0.375, 10);
    expect(total.idle).toBeCloseTo(83.625, 10);
    expect(cores).toHaveLength(16);
    expect(cores[4]).toMatchObject({ usage: 57, user: 45, system: 10, irq: 2, idle: 43, iowait: 0 });
    expect(load).toEqual([0, 0, 0]);
    expect(second.unavailable).toContain('cpu.load');
  });

  it('reads the ACPI thermal zone as the CPU sensor, without float noise', () => {
    expect(sample.cpu.temperatures).toEqual([{ sensor: 'CPU', celsius: 28.95 }]);
  });

  it('reports memory without a page cache figure (Windows gives none to si)', () => {
    expect(sample.memory).toEqual({
      totalBytes: 34276315136,
      usedBytes: 14434004992,
      availableBytes: 19842310144,
      freeBytes: 19842310144,
      cachedBytes: 0,
      buffersBytes: 0,
      swapTotalBytes: 5100273664,
      swapUsedBytes: 318767104,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: 0,
    });
  });

  it('reports adapters by name, with zero rates for one si has no counters for', () => {
    expect(iface(sample, 'Ethernet')).toMatchObject({
      rxBytesPerSec: 3145728,
      txBytesPerSec: 262144,
      rxDropsPerSec: 3,
      txDropsPerSec: 0,
    });
    expect(iface(sample, 'vEthernet (WSL (Hyper-V firewall))')).toMatchObject({
      rxBytesPerSec: 1536,
      txBytesPerSec: 2048,
    });
    expect(iface(sample, 'Loopback Pseudo-Interface 1')).toMatchObject({
      rxBytesPerSec: 0,
      txBytesPerSec: 0,
    });
  });

  it('lists drive letters, and no disk activity (si has none on Windows)', () => {
    expect(sample.disks.filesystems).toEqual([
      {
        mount: 'C:',
        device: 'C:',
        fsType: 'NTFS',
        sizeBytes: 999482732544,
        usedBytes: 412873912320,
        freeBytes: 586608820224,
        usedPercent: 42,
        inodesTotal: 0,
        inodesUsed: 0,
      },
      {
        mount: 'D:',
        device: 'D:',
        fsType: 'NTFS',
        sizeBytes: 2000381014016,
        usedBytes: 1264014897152,
        freeBytes: 736366116864,
        usedPercent: 64,
        inodesTotal: 0,
        inodesUsed: 0,
      },
    ]);
    expect(sample.disks.devices).toEqual([]);
    expect(second.unavailable).toContain('disks.devices');
  });
});

describe('sampleFromSystemInformation — recorded on this Linux VM (Debian 12, 2 CPUs)', () => {
  const r1 = reading('linux', 1);
  const r2 = reading('linux', 2);
  const { sample } = replay('linux');

  it('is valid against the sample schemas', () => {
    expectValidAgainstSchemas(sample);
  });

  it("agrees with si's own figures", () => {
    expect(sample.intervalMs).toBe(r2.time.current - r1.time.current);
    expect(sample.host.os).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(sample.host.cores).toBe(2);
    expect(sample.cpu.total.user).toBeCloseTo(r2.currentLoad.currentLoadUser, 10);
    expect(sample.cpu.total.usage).toBeCloseTo(r2.currentLoad.currentLoad, 10);
    expect(sample.cpu.load).toEqual(r2.loadavg);
    expect(sample.memory.usedBytes).toBe(r2.mem.total - r2.mem.available);
    // Linux-style cache: Cached + SReclaimable, as `free` shows it.
    expect(sample.memory.cachedBytes).toBe(r2.mem.cached + (r2.mem.reclaimable ?? 0));
    const eth0 = r2.networkStats.find((s) => s.iface === 'eth0');
    expect(iface(sample, 'eth0')?.rxBytesPerSec).toBe(eth0?.rx_sec);
    expect(mount(sample, '/')).toMatchObject({ device: '/dev/vda', fsType: 'ext4', usedPercent: 23 });
  });

  it('names the aggregate device after the one real disk (zram is not one)', () => {
    expect(sample.disks.devices).toEqual([
      {
        name: 'vda',
        readBytesPerSec: r2.fsStats?.rx_sec,
        writeBytesPerSec: r2.fsStats?.wx_sec,
        readIops: r2.disksIO?.rIO_sec,
        writeIops: r2.disksIO?.wIO_sec,
        busyPercent: 0,
      },
    ]);
  });
});

describe('sampleFromSystemInformation — edge cases', () => {
  const mac1 = reading('darwin', 1);
  const mac2 = reading('darwin', 2);
  const primed = sampleFromSystemInformation(undefined, mac1, 'ws-1', 'Mac').state;

  it('falls back to counter deltas over its own interval when si has no rate yet', () => {
    const r: SiReadings = {
      ...mac2,
      networkStats: mac2.networkStats.map((s) => ({ ...s, rx_sec: null, tx_sec: null })),
      disksIO: mac2.disksIO && { ...mac2.disksIO, rIO_sec: null, wIO_sec: null },
      fsStats: mac2.fsStats && { ...mac2.fsStats, rx_sec: null, wx_sec: null },
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    // en0 received 2,500,000 bytes and sent 300,000 over 2 s.
    expect(sample && iface(sample, 'en0')).toMatchObject({ rxBytesPerSec: 1250000, txBytesPerSec: 150000 });
    expect(sample?.disks.devices[0]).toMatchObject({
      readBytesPerSec: 1500000,
      writeBytesPerSec: 4096000,
      readIops: 150,
      writeIops: 500,
    });
  });

  it("prefers si's rate, measured over its own interval, to our delta", () => {
    const r: SiReadings = {
      ...mac2,
      networkStats: mac2.networkStats.map((s) => (s.iface === 'en0' ? { ...s, rx_sec: 1247505 } : s)),
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample && iface(sample, 'en0')?.rxBytesPerSec).toBe(1247505);
  });

  it('reports 0, never a negative rate, when a counter went backwards', () => {
    const r: SiReadings = {
      ...mac2,
      networkStats: mac2.networkStats.map((s) =>
        s.iface === 'en0' ? { ...s, rx_bytes: 10, rx_sec: -5, rx_dropped: 0, tx_dropped: 0 } : s,
      ),
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample && iface(sample, 'en0')).toMatchObject({
      rxBytesPerSec: 0,
      rxDropsPerSec: 0,
      txDropsPerSec: 0,
    });
  });

  it('gives a new interface zero rates until si has measured it', () => {
    const r: SiReadings = {
      ...mac2,
      networkStats: [
        ...mac2.networkStats,
        {
          iface: 'bridge100',
          rx_bytes: 9000,
          tx_bytes: 9000,
          rx_errors: 0,
          tx_errors: 0,
          rx_dropped: 0,
          tx_dropped: 0,
          rx_sec: null,
          tx_sec: null,
        },
      ],
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample && iface(sample, 'bridge100')).toMatchObject({ rxBytesPerSec: 0, txBytesPerSec: 0 });
  });

  it('gives no sample when the clock stepped back', () => {
    const r: SiReadings = { ...mac2, time: { ...mac2.time, current: mac1.time.current - 1 } };
    const step = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(step.sample).toBeUndefined();
    expect(step.state.takenAt).toBe(mac1.time.current - 1);
  });

  it('reports an idle CPU when si had no elapsed ticks to divide by', () => {
    const zero = { load: 0, loadUser: 0, loadSystem: 0, loadNice: 0, loadIdle: 0, loadIrq: 0 };
    const r: SiReadings = {
      ...mac2,
      currentLoad: {
        currentLoad: 0,
        currentLoadUser: 0,
        currentLoadSystem: 0,
        currentLoadNice: 0,
        currentLoadIdle: 0,
        currentLoadIrq: 0,
        cpus: [zero, zero],
      },
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample?.cpu.total).toMatchObject({ usage: 0, idle: 100 });
    expect(sample?.cpu.cores).toHaveLength(2);
    expect(sample?.host.cores).toBe(2);
  });

  it('reads every sensor si offers and drops its "no value" readings', () => {
    const r: SiReadings = {
      ...mac2,
      cpuTemperature: { main: 61.5, cores: [58.25, -1, 0, 250], max: 64, socket: [60.125], chipset: 45 },
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample?.cpu.temperatures).toEqual([
      { sensor: 'CPU', celsius: 61.5 },
      { sensor: 'CPU core 0', celsius: 58.25 },
      { sensor: 'CPU socket 0', celsius: 60.13 },
      { sensor: 'Chipset', celsius: 45 },
    ]);
  });

  it('clamps out-of-range percentages from si so the sample stays valid', () => {
    const r: SiReadings = {
      ...mac2,
      currentLoad: {
        ...mac2.currentLoad,
        currentLoad: 100.0000000001,
        currentLoadIdle: -0.0000001,
      },
    };
    const { sample } = sampleFromSystemInformation(primed, r, 'ws-1', 'Mac');
    expect(sample?.cpu.total).toMatchObject({ usage: 100, idle: 0 });
    expect(() => CpuSample.parse(sample?.cpu)).not.toThrow();
  });
});

describe('osNameFromSi', () => {
  const os = {
    platform: 'darwin',
    distro: 'macOS',
    release: '14.5',
    codename: 'Sonoma',
    kernel: '23.5.0',
    hostname: 'm',
  };

  it('puts the codename in brackets, once', () => {
    expect(osNameFromSi(os)).toBe('macOS 14.5 (Sonoma)');
    expect(osNameFromSi({ ...os, release: '11.7', codename: 'macOS' })).toBe('macOS 11.7');
    expect(osNameFromSi({ ...os, codename: '' })).toBe('macOS 14.5');
  });

  it('falls back to the platform when si knows nothing else', () => {
    expect(osNameFromSi({ ...os, distro: 'unknown', release: 'unknown', codename: '' })).toBe('darwin');
  });
});
