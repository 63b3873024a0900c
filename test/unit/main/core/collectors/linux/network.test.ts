import { NetworkInterfaceSample } from '../../../../../../common/schemas/metrics';
import {
  counterDelta,
  networkRates,
  parseNetDev,
} from '../../../../../../main/core/collectors/linux/network';
import { fixture } from '../../../../../helpers/fixtures';

const readings = JSON.parse(fixture('proc/readings-debian12-vm.json')) as {
  activity: { firstAt: number; laterAt: number };
};
const CAPTURE_MS = readings.activity.laterAt - readings.activity.firstAt;

const zeroRates = {
  rxBytesPerSec: 0,
  txBytesPerSec: 0,
  rxPacketsPerSec: 0,
  txPacketsPerSec: 0,
  rxErrorsPerSec: 0,
  txErrorsPerSec: 0,
  rxDropsPerSec: 0,
  txDropsPerSec: 0,
};

describe('parseNetDev', () => {
  it('reads every interface of a captured Debian 12 VM', () => {
    const interfaces = parseNetDev(fixture('proc/net-dev-debian12-vm.txt'));
    expect(interfaces.map((i) => i.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(interfaces[3]).toEqual({
      name: 'eth0',
      rxBytes: 509382377,
      rxPackets: 15361,
      rxErrors: 0,
      rxDrops: 0,
      txBytes: 1307300,
      txPackets: 10212,
      txErrors: 0,
      txDrops: 0,
    });
  });

  it('reads a container’s view (a fresh network namespace has only lo)', () => {
    expect(parseNetDev(fixture('proc/net-dev-netns-lo-only.txt'))).toEqual([
      {
        name: 'lo',
        rxBytes: 0,
        rxPackets: 0,
        rxErrors: 0,
        rxDrops: 0,
        txBytes: 0,
        txPackets: 0,
        txErrors: 0,
        txDrops: 0,
      },
    ]);
  });

  it('reads 44 interfaces: veth, bridges, docker0, wg0, a VLAN, in file order', () => {
    const interfaces = parseNetDev(fixture('proc/net-dev-44-interfaces.txt'));
    expect(interfaces).toHaveLength(44);
    expect(interfaces.slice(0, 14).map((i) => i.name)).toEqual([
      'lo',
      'eth0',
      'eth1',
      'eno1',
      'enp3s0',
      'wlan0',
      'bond0',
      'eth0.100',
      'docker0',
      'br-3f2a9c1d7e4b',
      'virbr0',
      'virbr0-nic',
      'wg0',
      'tun0',
    ]);
    expect(interfaces.filter((i) => i.name.startsWith('veth'))).toHaveLength(30);
    expect(interfaces.find((i) => i.name === 'wg0')).toMatchObject({ rxBytes: 13012345, txDrops: 5 });
  });

  it('reads the old layout where a wide byte count runs into the colon ("eth1:1237012345")', () => {
    const eth1 = parseNetDev(fixture('proc/net-dev-44-interfaces.txt')).find((i) => i.name === 'eth1');
    expect(eth1).toMatchObject({ rxBytes: 1237012345, rxPackets: 3007, txBytes: 1554321, txPackets: 2403 });
  });

  it('keeps a colon inside a name and skips lines that are not counters', () => {
    const text = 'Inter-|   Receive\n odd:name: 1 2 3 4 0 0 0 0 5 6 7 8 0 0 0 0\n broken: 1 2\n';
    expect(parseNetDev(text)).toEqual([
      {
        name: 'odd:name',
        rxBytes: 1,
        rxPackets: 2,
        rxErrors: 3,
        rxDrops: 4,
        txBytes: 5,
        txPackets: 6,
        txErrors: 7,
        txDrops: 8,
      },
    ]);
  });
});

describe('counterDelta', () => {
  it('is the growth of a counter that grew', () => {
    expect(counterDelta(100, 350)).toBe(250);
  });

  it('reads a small decrease of a 32-bit counter as a wrap', () => {
    expect(counterDelta(2 ** 32 - 100, 50)).toBe(150);
  });

  it('reads an implausible wrap or a 64-bit counter going back as a reset', () => {
    expect(counterDelta(5_000_000, 1000)).toBeUndefined();
    expect(counterDelta(10_000_000_000, 500)).toBeUndefined();
  });
});

describe('networkRates', () => {
  it('turns two captured readings 1 s apart into rates: only loopback traffic moved', () => {
    const rates = networkRates(
      parseNetDev(fixture('proc/net-dev-debian12-vm.txt')),
      parseNetDev(fixture('proc/net-dev-debian12-vm-later.txt')),
      CAPTURE_MS,
    );
    expect(rates.map((r) => r.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    const lo = rates[0]!;
    expect(lo.rxBytesPerSec).toBeCloseTo((967 * 1000) / CAPTURE_MS, 6);
    expect(lo.rxPacketsPerSec).toBeCloseTo((4 * 1000) / CAPTURE_MS, 6);
    // Loopback receives exactly what it sends.
    expect(lo.txBytesPerSec).toBe(lo.rxBytesPerSec);
    expect(rates[3]).toEqual({ name: 'eth0', ...zeroRates });
  });

  it('gives per-second rates for all 44 interfaces', () => {
    const rates = networkRates(
      parseNetDev(fixture('proc/net-dev-44-interfaces.txt')),
      parseNetDev(fixture('proc/net-dev-44-interfaces-later.txt')),
      2000,
    );
    expect(rates).toHaveLength(44);
    for (const rate of rates) expect(NetworkInterfaceSample.safeParse(rate).success).toBe(true);
    expect(rates.find((r) => r.name === 'wg0')).toEqual({
      name: 'wg0',
      rxBytesPerSec: 6500,
      txBytesPerSec: 3250,
      rxPacketsPerSec: 65,
      txPacketsPerSec: 32.5,
      rxErrorsPerSec: 0.5,
      txErrorsPerSec: 0,
      rxDropsPerSec: 0,
      txDropsPerSec: 0,
    });
    expect(rates[0]).toMatchObject({ name: 'lo', rxBytesPerSec: 500, rxDropsPerSec: 1, txDropsPerSec: 0.5 });
    expect(rates[2]).toMatchObject({ name: 'eth1', rxBytesPerSec: 1500 });
    expect(rates.at(-1)).toMatchObject({ name: 'veth0a1b2c3', rxBytesPerSec: 22000 });
  });

  describe('across a 32-bit wrap, resets, and interfaces coming and going', () => {
    const rates = networkRates(
      parseNetDev(fixture('proc/net-dev-wrap-reset.txt')),
      parseNetDev(fixture('proc/net-dev-wrap-reset-later.txt')),
      1000,
    );
    const byName = new Map(rates.map((r) => [r.name, r]));

    it('lists interfaces of both readings in the current order; new ones wait, vanished ones go', () => {
      expect(rates.map((r) => r.name)).toEqual(['lo', 'eth0', 'eth1', 'wlan0', 'eth2']);
    });

    it('counts through a 32-bit wrap of the byte counter', () => {
      expect(byName.get('eth0')).toMatchObject({
        rxBytesPerSec: 1000 + 2 ** 32 - 4294967000,
        rxPacketsPerSec: 10,
        txBytesPerSec: 1000,
        txPacketsPerSec: 4,
      });
    });

    it('counts through a wrap of the packet counters', () => {
      expect(byName.get('eth2')).toMatchObject({
        rxBytesPerSec: 64000,
        rxPacketsPerSec: 26,
        txBytesPerSec: 32000,
        txPacketsPerSec: 31,
      });
    });

    it('reports zeros, never negative or huge, for a re-created interface and a 64-bit reset', () => {
      expect(byName.get('wlan0')).toEqual({ name: 'wlan0', ...zeroRates });
      expect(byName.get('eth1')).toEqual({ name: 'eth1', ...zeroRates });
    });
  });

  it('reports zeros when no time has passed', () => {
    const text = fixture('proc/net-dev-44-interfaces.txt');
    const later = fixture('proc/net-dev-44-interfaces-later.txt');
    expect(networkRates(parseNetDev(text), parseNetDev(later), 0)[1]).toEqual({
      name: 'eth0',
      ...zeroRates,
    });
  });

  it('reports nothing on the first reading', () => {
    expect(networkRates([], parseNetDev(fixture('proc/net-dev-debian12-vm.txt')), 1000)).toEqual([]);
  });
});
