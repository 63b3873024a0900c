// The host tabs' row builders: mirrored directions, bits from bytes, loopback hidden, disk thresholds.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../../../../common/schemas/sample';
import type { NetworkInterfaceSample } from '../../../../../../common/schemas/metrics';
import { mirroredDomain } from '../../../../../../renderer/src/components/MirroredChart';
import {
  deviceRows,
  byteTicks,
  formatBitRate,
  formatPerSec,
  interfaceNames,
  interfaceRows,
  isActive,
  memoryRows,
  mirror,
  networkTotalRows,
  noErrors,
  spaceState,
  toBits,
} from '../../../../../../renderer/src/views/host/tabs/rows';
import { makeSample } from '../../../../../helpers/samples';

function iface(name: string, over: Partial<NetworkInterfaceSample> = {}): NetworkInterfaceSample {
  return {
    name,
    rxBytesPerSec: 0,
    txBytesPerSec: 0,
    rxPacketsPerSec: 0,
    txPacketsPerSec: 0,
    rxErrorsPerSec: 0,
    txErrorsPerSec: 0,
    rxDropsPerSec: 0,
    txDropsPerSec: 0,
    ...over,
  };
}

function withNetwork(ts: number, interfaces: NetworkInterfaceSample[]): Sample {
  return { ...makeSample('h', ts), network: { interfaces } };
}

describe('mirror', () => {
  it('puts in above zero and out below', () => {
    expect(mirror(3, 5)).toEqual({ in: 3, out: -5 });
  });
  it('keeps a zero out as 0, not -0', () => {
    expect(Object.is(mirror(0, 0).out, 0)).toBe(true);
  });
});

describe('mirroredDomain', () => {
  it('is symmetric around the largest magnitude, so in and out share one scale', () => {
    const [lo, hi] = mirroredDomain(
      [
        { in: 10, out: -40 },
        { in: 20, out: -5 },
      ],
      ['in', 'out'],
    );
    expect(hi).toBeGreaterThanOrEqual(40);
    expect(lo).toBe(-hi);
  });
  it('still has a range when everything is zero', () => {
    expect(mirroredDomain([{ in: 0, out: 0 }], ['in', 'out'])).toEqual([-1, 1]);
  });
});

describe('network rows', () => {
  it('converts bytes to decimal bits and mirrors transmit', () => {
    expect(toBits(125)).toBe(1000);
    const rows = interfaceRows(
      [withNetwork(1, [iface('eth0', { rxBytesPerSec: 125_000, txBytesPerSec: 1_000, txPacketsPerSec: 7 })])],
      'eth0',
    );
    expect(rows[0]).toMatchObject({ ts: 1, bitsIn: 1_000_000, bitsOut: -8_000, packetsOut: -7 });
    expect(formatBitRate(rows[0]!.bitsIn)).toBe('1.00 Mbit/s');
    expect(formatBitRate(rows[0]!.bitsOut)).toBe('8.00 kbit/s');
  });

  it('sums all interfaces but loopback into the total, out negative', () => {
    const rows = networkTotalRows([
      withNetwork(1, [
        iface('lo', { rxBytesPerSec: 1e6, txBytesPerSec: 1e6 }),
        iface('eth0', { rxBytesPerSec: 100, txBytesPerSec: 50 }),
        iface('wlan0', { rxBytesPerSec: 10, txBytesPerSec: 5 }),
      ]),
    ]);
    expect(rows).toEqual([{ ts: 1, in: 880, out: -440 }]);
  });

  it('hides loopback unless asked for', () => {
    const samples = [withNetwork(1, [iface('lo'), iface('eth0')])];
    expect(interfaceNames(samples, false)).toEqual(['eth0']);
    expect(interfaceNames(samples, true)).toEqual(['lo', 'eth0']);
    expect(interfaceNames([], true)).toEqual([]);
  });

  it('says "no errors" only when every error and drop is zero, in both directions', () => {
    const clean = interfaceRows([withNetwork(1, [iface('eth0')]), withNetwork(2, [iface('eth0')])], 'eth0');
    expect(noErrors(clean)).toBe(true);
    const dropped = interfaceRows(
      [withNetwork(1, [iface('eth0')]), withNetwork(2, [iface('eth0', { txDropsPerSec: 0.5 })])],
      'eth0',
    );
    expect(dropped[1]!.dropsOut).toBe(-0.5);
    expect(noErrors(dropped)).toBe(false);
  });

  it('leaves out samples where the interface was missing', () => {
    const rows = interfaceRows([withNetwork(1, []), withNetwork(2, [iface('eth0')])], 'eth0');
    expect(rows.map((r) => r.ts)).toEqual([2]);
  });
});

describe('disk rows', () => {
  it('mirrors write bytes and write IOPS, keeps busy as a percentage', () => {
    const sample = makeSample('h', 5);
    sample.disks.devices = [
      {
        name: 'sda',
        readBytesPerSec: 4096,
        writeBytesPerSec: 8192,
        readIops: 3,
        writeIops: 9,
        busyPercent: 42,
      },
    ];
    expect(deviceRows([sample], 'sda')).toEqual([
      { ts: 5, read: 4096, write: -8192, readIops: 3, writeIops: -9, busy: 42 },
    ]);
  });

  it('gives each space level a tone, an icon and a word: ok below 80 %, warning from 80, critical from 90', () => {
    expect(spaceState(79.9)).toMatchObject({ tone: 'ok', label: 'ok' });
    expect(spaceState(80)).toMatchObject({ tone: 'warn', label: 'warning' });
    expect(spaceState(89.9).tone).toBe('warn');
    expect(spaceState(90)).toMatchObject({ tone: 'bad', label: 'critical' });
    for (const p of [10, 85, 95]) expect(spaceState(p).icon).not.toBe('');
  });
});

describe('memory rows', () => {
  it('keeps used, cache and buffers apart and swap rates mirrored', () => {
    const sample = makeSample('h', 1);
    sample.memory.swapInBytesPerSec = 10;
    sample.memory.swapOutBytesPerSec = 20;
    expect(memoryRows([sample])[0]).toMatchObject({
      used: 2 * 2 ** 30,
      cache: 2 ** 30,
      buffers: 2 ** 20,
      available: 6 * 2 ** 30,
      swapIn: 10,
      swapOut: -20,
    });
  });
});

describe('formatPerSec', () => {
  it('keeps at most three significant digits and its unit, whatever the sign', () => {
    expect(formatPerSec(-1234, 'IOPS')).toBe('1.2 k IOPS');
    expect(formatPerSec(0, 'pkt/s')).toBe('0 pkt/s');
    expect(formatPerSec(5.5, '/s')).toBe('5.50 /s');
    expect(formatPerSec(123_456, 'pkt/s')).toBe('123 k pkt/s');
  });
});

describe('isActive', () => {
  it('is false only when every value of the keys is zero in the window', () => {
    expect(isActive([{ a: 0, b: 0 }], ['a', 'b'])).toBe(false);
    expect(
      isActive(
        [
          { a: 0, b: 0 },
          { a: 0, b: -3 },
        ],
        ['a', 'b'],
      ),
    ).toBe(true);
  });
});

describe('byteTicks', () => {
  it('steps in round binary units and ends on the total', () => {
    const gib = 2 ** 30;
    expect(byteTicks(23.5 * gib)).toEqual([0, 8 * gib, 16 * gib, 23.5 * gib]);
    expect(byteTicks(8 * gib)).toEqual([0, 2 * gib, 4 * gib, 6 * gib, 8 * gib]);
    expect(byteTicks(0)).toEqual([0]);
  });
});
