import { MemorySample } from '../../../../../../common/schemas/metrics';
import { CpuSample, HostFacts } from '../../../../../../common/schemas/sample';
import {
  SystemInformationReader,
  type SystemInformation,
} from '../../../../../../main/core/collectors/si/si-reader';
import { sampleFromSystemInformation } from '../../../../../../main/core/collectors/si/si-sample';
import type { SiReadings } from '../../../../../../main/core/collectors/si/si-readings';
import { fixture } from '../../../../../helpers/fixtures';

/** A stand-in for systeminformation that answers with a recorded Windows reading. */
function fakeSi(recorded: SiReadings) {
  const calls: string[] = [];
  const answer =
    <T>(name: string, value: T) =>
    (...args: unknown[]) => {
      calls.push(args.length ? `${name}(${args.map((a) => JSON.stringify(a)).join(',')})` : name);
      return Promise.resolve(value);
    };
  const si = {
    time: () => ({ current: 1, uptime: recorded.time.uptime, timezone: 'UTC', timezoneName: 'UTC' }),
    currentLoad: answer('currentLoad', recorded.currentLoad),
    mem: answer('mem', recorded.mem),
    networkStats: answer('networkStats', recorded.networkStats),
    fsSize: answer('fsSize', recorded.fsSize),
    disksIO: answer('disksIO', recorded.disksIO),
    fsStats: answer('fsStats', recorded.fsStats),
    blockDevices: answer('blockDevices', [
      { name: 'C:', type: 'disk', removable: false, serial: 'ABCD-1234' },
    ]),
    cpuTemperature: answer('cpuTemperature', recorded.cpuTemperature),
    osInfo: answer('osInfo', {
      ...recorded.osInfo,
      serial: 'machine-guid-1234',
      fqdn: 'desktop.corp',
      uefi: true,
    }),
    powerShellStart: () => calls.push('powerShellStart'),
    powerShellRelease: () => calls.push('powerShellRelease'),
  };
  return { si: si as unknown as SystemInformation, calls };
}

const windows = JSON.parse(fixture('si/win32/reading-2.json')) as SiReadings;

describe('SystemInformationReader', () => {
  it('loads systeminformation only when first asked for a reading', async () => {
    const { si } = fakeSi(windows);
    const load = vi.fn(() => si);
    const reader = new SystemInformationReader({ loadSystemInformation: load, platform: 'darwin' });
    expect(load).not.toHaveBeenCalled();
    await reader.read();
    await reader.read();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('asks for every interface, and stamps the reading with its own clock and load average', async () => {
    const { si, calls } = fakeSi(windows);
    const reader = new SystemInformationReader({
      loadSystemInformation: () => si,
      now: () => 5000,
      loadavg: () => [0.5, 0.25, 0.125],
      platform: 'darwin',
    });
    const r = await reader.read();
    expect(calls).toContain('networkStats("*")');
    expect(r.time).toEqual({ current: 5000, uptime: windows.time.uptime });
    expect(r.loadavg).toEqual([0.5, 0.25, 0.125]);
    expect(r.disksIO).toBeNull();
    expect(r.fsStats).toBeNull();
  });

  it('keeps only what a sample shows of the OS facts (no serial numbers)', async () => {
    const { si } = fakeSi(windows);
    const r = await new SystemInformationReader({
      loadSystemInformation: () => si,
      platform: 'darwin',
    }).read();
    expect(r.osInfo).toEqual(windows.osInfo);
    expect(JSON.stringify(r)).not.toMatch(/machine-guid|ABCD-1234|desktop\.corp/);
  });

  it('reads the OS facts and disks again only after factsRefreshMs', async () => {
    const { si, calls } = fakeSi(windows);
    let now = 0;
    const reader = new SystemInformationReader({
      loadSystemInformation: () => si,
      now: () => now,
      factsRefreshMs: 60_000,
      platform: 'darwin',
    });
    await reader.read();
    now = 59_999;
    await reader.read();
    expect(calls.filter((c) => c === 'osInfo')).toHaveLength(1);
    now = 60_000;
    await reader.read();
    expect(calls.filter((c) => c === 'osInfo')).toHaveLength(2);
    expect(calls.filter((c) => c === 'currentLoad')).toHaveLength(3);
  });

  it('keeps one PowerShell for si on Windows and releases it on close', async () => {
    const { si, calls } = fakeSi(windows);
    const reader = new SystemInformationReader({ loadSystemInformation: () => si, platform: 'win32' });
    await reader.read();
    await reader.read();
    reader.close();
    reader.close();
    expect(calls.filter((c) => c.startsWith('powerShell'))).toEqual(['powerShellStart', 'powerShellRelease']);
  });

  it('starts no PowerShell elsewhere', async () => {
    const { si, calls } = fakeSi(windows);
    const reader = new SystemInformationReader({ loadSystemInformation: () => si, platform: 'darwin' });
    await reader.read();
    reader.close();
    expect(calls.some((c) => c.startsWith('powerShell'))).toBe(false);
  });

  // The real library on this machine: catches a systeminformation upgrade that changes its shapes.
  it('produces a valid sample from the real systeminformation on this machine', async () => {
    const reader = new SystemInformationReader();
    try {
      const first = await reader.read();
      await new Promise((resolve) => setTimeout(resolve, 600));
      const second = await reader.read();
      const primed = sampleFromSystemInformation(undefined, first, 'local', 'This computer');
      const { sample } = sampleFromSystemInformation(primed.state, second, 'local', 'This computer');
      expect(sample).toBeDefined();
      expect(HostFacts.parse(sample?.host)).toEqual(sample?.host);
      expect(CpuSample.parse(sample?.cpu)).toEqual(sample?.cpu);
      expect(MemorySample.parse(sample?.memory)).toEqual(sample?.memory);
      expect(sample?.network.interfaces.length).toBeGreaterThan(0);
      expect(sample?.disks.filesystems.length).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });
});
