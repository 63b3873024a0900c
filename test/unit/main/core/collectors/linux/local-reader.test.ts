import { LocalLinuxReader } from '../../../../../../main/core/collectors/linux/local-reader';
import { sampleFromSnapshot } from '../../../../../../main/core/collectors/linux/snapshot';
import { fixtureRoot } from '../../../../../helpers/fixtures';

describe('LocalLinuxReader', () => {
  it('prefers hwmon sensors, labelled by chip and label', () => {
    const snapshot = new LocalLinuxReader({ root: fixtureRoot('hwmon') }).read();
    expect(snapshot.temperatures.map((t) => t.sensor)).toEqual([
      'coretemp Package id 0',
      'coretemp Core 0',
      'nvme temp1',
      'nvme temp2',
    ]);
    expect(snapshot.hostname.trim()).toBe('hwmon-host');
  });

  it('uses thermal zones when there is no hwmon', () => {
    const snapshot = new LocalLinuxReader({ root: fixtureRoot('thermal-only') }).read();
    expect(snapshot.temperatures.map((t) => t.sensor)).toEqual(['acpitz', 'x86_pkg_temp']);
  });

  it('reports no sensor as an empty list, not an error', () => {
    expect(new LocalLinuxReader({ root: fixtureRoot('no-sensors') }).read().temperatures).toEqual([]);
  });

  it('reads facts once per refresh period, not every tick', () => {
    let now = 1_000;
    const reader = new LocalLinuxReader({
      root: fixtureRoot('no-sensors'),
      now: () => now,
      factsRefreshMs: 60_000,
    });
    const first = reader.read();
    now += 1_000;
    expect(reader.read().osRelease).toBe(first.osRelease);
  });

  it('reads the real machine', () => {
    const snapshot = new LocalLinuxReader().read();
    expect(snapshot.stat).toMatch(/^cpu /);
    expect(snapshot.loadavg.split(' ')).toHaveLength(5);
  });
});

describe('sampleFromSnapshot', () => {
  it('primes on the first reading and yields a full sample on the second', () => {
    let now = 10_000;
    const reader = new LocalLinuxReader({ root: fixtureRoot('hwmon'), now: () => now });
    const first = sampleFromSnapshot('h1', 'Host one', undefined, reader.read());
    expect(first.sample).toBeUndefined();
    now += 1_000;
    const second = sampleFromSnapshot('h1', 'Host one', first.state, reader.read());
    expect(second.sample).toMatchObject({
      hostId: 'h1',
      intervalMs: 1000,
      host: {
        name: 'Host one',
        hostname: 'hwmon-host',
        kernel: '6.1.0-28-amd64',
        cores: 2,
        uptimeSec: 5123.45,
      },
      cpu: {
        temperatures: [
          { sensor: 'coretemp Package id 0', celsius: 47 },
          { sensor: 'coretemp Core 0', celsius: 45.5 },
          { sensor: 'nvme temp1', celsius: 38.9 },
        ],
      },
    });
    expect(second.sample?.host.os).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('yields nothing for a reading that is not newer than the last', () => {
    const reader = new LocalLinuxReader({ root: fixtureRoot('no-sensors'), now: () => 5 });
    const first = sampleFromSnapshot('h', 'h', undefined, reader.read());
    expect(sampleFromSnapshot('h', 'h', first.state, reader.read()).sample).toBeUndefined();
  });
});
