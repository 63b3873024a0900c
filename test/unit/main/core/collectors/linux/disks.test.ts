import { BlockDeviceSample } from '../../../../../../common/schemas/metrics';
import {
  diskRates,
  isPartitionName,
  parseDiskstats,
} from '../../../../../../main/core/collectors/linux/disks';
import { fixture } from '../../../../../helpers/fixtures';

const readings = JSON.parse(fixture('proc/readings-debian12-vm.json')) as Record<
  'activity' | 'loops',
  { firstAt: number; laterAt: number }
>;
const msBetween = (r: { firstAt: number; laterAt: number }): number => r.laterAt - r.firstAt;

const sysBlock = (path: string): Set<string> => new Set(fixture(path).trim().split('\n'));

const rates = (before: string, after: string, elapsedMs: number, wholeDisks?: Set<string>) =>
  diskRates(parseDiskstats(fixture(before)), parseDiskstats(fixture(after)), elapsedMs, { wholeDisks });

const idle = { readBytesPerSec: 0, writeBytesPerSec: 0, readIops: 0, writeIops: 0, busyPercent: 0 };

describe('parseDiskstats', () => {
  it('reads every device of a captured Debian 12 VM (20-field layout)', () => {
    const devices = parseDiskstats(fixture('proc/diskstats-debian12-vm.txt'));
    expect(devices.map((d) => d.name)).toEqual([
      'loop0',
      'loop1',
      'loop2',
      'loop3',
      'loop4',
      'loop5',
      'loop6',
      'loop7',
      'vda',
      'zram0',
    ]);
    expect(devices[8]).toEqual({
      name: 'vda',
      reads: 48362,
      sectorsRead: 4209594,
      writes: 45471,
      sectorsWritten: 3325448,
      ioTicksMs: 10304,
    });
  });

  it('reads the 14-field (before 4.18), 18-field (4.18) and 20-field (5.5) layouts alike', () => {
    const expected = [
      {
        name: 'sda',
        reads: 5000,
        sectorsRead: 800000,
        writes: 3000,
        sectorsWritten: 1600000,
        ioTicksMs: 12000,
      },
      {
        name: 'sda1',
        reads: 4900,
        sectorsRead: 799000,
        writes: 3000,
        sectorsWritten: 1600000,
        ioTicksMs: 11900,
      },
      {
        name: 'dm-0',
        reads: 4800,
        sectorsRead: 798000,
        writes: 3040,
        sectorsWritten: 1600000,
        ioTicksMs: 11800,
      },
    ];
    expect(parseDiskstats(fixture('proc/diskstats-kernel4.9-14fields.txt'))).toEqual(expected);
    expect(parseDiskstats(fixture('proc/diskstats-kernel4.19-18fields.txt'))).toEqual(expected);
    expect(parseDiskstats(fixture('proc/diskstats-kernel5.10-20fields.txt'))).toEqual(expected);
  });

  it('reads the 4-statistic partition lines of kernels before 2.6.25 and skips garbage', () => {
    expect(parseDiskstats('   8    1 sda1 4900 799000 3000 1600000\n8 2 sda2 x\n\n')).toEqual([
      { name: 'sda1', reads: 4900, sectorsRead: 799000, writes: 3000, sectorsWritten: 1600000, ioTicksMs: 0 },
    ]);
  });
});

describe('isPartitionName', () => {
  it.each(['sda1', 'vda2', 'xvda1', 'hdc3', 'nvme0n1p1', 'mmcblk0p1', 'md0p1', 'loop0p1', 'nbd0p2'])(
    '%s is a partition',
    (name) => expect(isPartitionName(name)).toBe(true),
  );

  it.each([
    'sda',
    'vda',
    'dm-0',
    'md0',
    'md127',
    'nvme0n1',
    'loop0',
    'sr0',
    'zram0',
    'mmcblk0',
    'mmcblk0boot0',
  ])('%s is a whole device', (name) => expect(isPartitionName(name)).toBe(false));
});

describe('diskRates', () => {
  it('sees the 50 MiB written by dd between two captured readings, as iostat would', () => {
    const elapsed = msBetween(readings.activity);
    const devices = rates('proc/diskstats-debian12-vm.txt', 'proc/diskstats-debian12-vm-later.txt', elapsed);
    // loop0–7 never did any I/O; zram0 is a real (if idle) device.
    expect(devices.map((d) => d.name)).toEqual(['vda', 'zram0']);
    const vda = devices[0]!;
    expect(vda.writeBytesPerSec).toBeCloseTo((50 * 1024 * 1024 * 1000) / elapsed, 6);
    expect(vda.writeIops).toBeCloseTo((100 * 1000) / elapsed, 6);
    expect(vda.readBytesPerSec).toBeCloseTo(((4215786 - 4209594) * 512 * 1000) / elapsed, 6);
    expect(vda.readIops).toBeCloseTo((36 * 1000) / elapsed, 6);
    expect(vda.busyPercent).toBeCloseTo((40 / elapsed) * 100, 6);
    expect(devices[1]).toEqual({ name: 'zram0', ...idle });
  });

  it('gives the same answer from the names in /sys/block', () => {
    const elapsed = msBetween(readings.activity);
    expect(
      rates(
        'proc/diskstats-debian12-vm.txt',
        'proc/diskstats-debian12-vm-later.txt',
        elapsed,
        sysBlock('proc/sys-block-debian12-vm.txt'),
      ),
    ).toEqual(rates('proc/diskstats-debian12-vm.txt', 'proc/diskstats-debian12-vm-later.txt', elapsed));
  });

  it('keeps a busy loop device and used-but-idle ones, drops loops that never did I/O (captured)', () => {
    const elapsed = msBetween(readings.loops);
    const devices = rates(
      'proc/diskstats-loops-debian12-vm.txt',
      'proc/diskstats-loops-debian12-vm-later.txt',
      elapsed,
    );
    expect(devices.map((d) => d.name)).toEqual(['loop0', 'loop1', 'loop2', 'vda', 'zram0']);
    // dd wrote 8 MiB with O_DIRECT to a file on loop0.
    expect(devices[0]!.writeBytesPerSec).toBeCloseTo(((16430 - 46) * 512 * 1000) / elapsed, 6);
    expect((16430 - 46) * 512).toBe(8 * 1024 * 1024);
    expect(devices[1]).toEqual({ name: 'loop1', ...idle });
  });

  describe('on a machine with every kind of block device', () => {
    const devices = rates('proc/diskstats-mixed.txt', 'proc/diskstats-mixed-later.txt', 1000);
    const byName = new Map(devices.map((d) => [d.name, d]));

    it('lists whole devices only: no partitions, no RAM disks, no unused loops', () => {
      expect(devices.map((d) => d.name)).toEqual([
        'loop1',
        'loop2',
        'nvme0n1',
        'sda',
        'sr0',
        'dm-0',
        'md0',
        'mmcblk0',
        'zram0',
      ]);
    });

    it('agrees with the list in /sys/block', () => {
      expect(
        rates(
          'proc/diskstats-mixed.txt',
          'proc/diskstats-mixed-later.txt',
          1000,
          sysBlock('proc/sys-block-mixed.txt'),
        ),
      ).toEqual(devices);
    });

    it('computes bytes from 512-byte sectors, IOPS and %util', () => {
      expect(byName.get('nvme0n1')).toEqual({
        name: 'nvme0n1',
        readBytesPerSec: 16000 * 512,
        writeBytesPerSec: 256000 * 512,
        readIops: 200,
        writeIops: 1000,
        busyPercent: 45,
      });
      expect(byName.get('loop1')).toMatchObject({
        readBytesPerSec: 6400 * 512,
        readIops: 50,
        busyPercent: 3,
      });
      expect(byName.get('mmcblk0')).toMatchObject({
        writeBytesPerSec: 8 * 512,
        writeIops: 1,
        busyPercent: 0.5,
      });
      // md does not account busy time.
      expect(byName.get('md0')).toMatchObject({ readIops: 100, writeIops: 50, busyPercent: 0 });
      expect(byName.get('zram0')).toMatchObject({ writeIops: 40, busyPercent: 0.1 });
    });

    it('produces valid samples', () => {
      for (const device of devices) expect(BlockDeviceSample.safeParse(device).success).toBe(true);
    });

    it('caps %util at 100 when busy time outruns the interval (timer granularity)', () => {
      expect(byName.get('sda')?.busyPercent).toBe(100);
    });
  });

  it('trusts /sys/block over names: a Xen PV disk named like a partition is a whole disk', () => {
    const before = parseDiskstats(' 202 1 xvda1 100 0 800 10 50 0 400 5 0 20 15\n');
    const after = parseDiskstats(' 202 1 xvda1 110 0 880 11 55 0 440 6 0 30 17\n');
    expect(diskRates(before, after, 1000)).toEqual([]);
    expect(diskRates(before, after, 1000, { wholeDisks: new Set(['xvda1']) })).toEqual([
      {
        name: 'xvda1',
        readBytesPerSec: 80 * 512,
        writeBytesPerSec: 40 * 512,
        readIops: 10,
        writeIops: 5,
        busyPercent: 1,
      },
    ]);
  });

  it('matches /sys/block names that spell "/" as "!" (cciss!c0d0)', () => {
    const text = ' 104 0 cciss/c0d0 1 0 8 0 1 0 8 0 0 1 1\n 104 1 cciss/c0d0p1 1 0 8 0 1 0 8 0 0 1 1\n';
    const devices = diskRates(parseDiskstats(text), parseDiskstats(text), 1000, {
      wholeDisks: new Set(['cciss!c0d0']),
    });
    expect(devices.map((d) => d.name)).toEqual(['cciss/c0d0']);
  });

  describe('across a wrap, a reset, and devices coming and going', () => {
    const devices = rates('proc/diskstats-wrap-reset.txt', 'proc/diskstats-wrap-reset-later.txt', 1000);

    it('lists devices of both readings only', () => {
      expect(devices.map((d) => d.name)).toEqual(['sda', 'sdb']);
    });

    it('counts busy time through the wrap of the 32-bit millisecond counter', () => {
      expect(devices[0]).toEqual({
        name: 'sda',
        readBytesPerSec: 800 * 512,
        writeBytesPerSec: 1600 * 512,
        readIops: 10,
        writeIops: 20,
        busyPercent: 99.6,
      });
    });

    it('reports zeros for a device whose counters were reset', () => {
      expect(devices[1]).toEqual({ name: 'sdb', ...idle });
    });
  });
});
