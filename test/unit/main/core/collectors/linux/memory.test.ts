import { MemorySample } from '../../../../../../common/schemas/metrics';
import {
  memorySample,
  parseMeminfo,
  parseVmstatSwap,
} from '../../../../../../main/core/collectors/linux/memory';
import { fixture } from '../../../../../helpers/fixtures';

/** `free -b` (or `free -b -w`) output as {row: {column: bytes}}. */
function parseFree(text: string): Record<string, Record<string, number>> {
  const [header = '', ...rows] = text.trim().split('\n');
  const columns = header.trim().split(/\s+/);
  const table: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const [label = '', ...values] = row.trim().split(/\s+/);
    table[label.replace(':', '')] = Object.fromEntries(values.map((v, i) => [columns[i], Number(v)]));
  }
  return table;
}

const KIB = 1024;

describe('parseMeminfo', () => {
  it('reads a captured Debian 12 VM in bytes', () => {
    expect(parseMeminfo(fixture('proc/meminfo-debian12-vm.txt'))).toEqual({
      memTotal: 24683656 * KIB,
      memFree: 23339072 * KIB,
      memAvailable: 23771512 * KIB,
      buffers: 4140 * KIB,
      cached: 599568 * KIB,
      sReclaimable: 131208 * KIB,
      shmem: 26628 * KIB,
      swapTotal: 0,
      swapFree: 0,
    });
  });

  it('estimates MemAvailable as free + buffers + cached on kernels before 3.14', () => {
    const meminfo = parseMeminfo(fixture('proc/meminfo-kernel3.2-no-memavailable.txt'));
    expect(meminfo.memAvailable).toBe((150784 + 180224 + 1236528) * KIB);
  });

  it('refuses text without MemTotal', () => {
    expect(() => parseMeminfo('MemFree: 12 kB\n')).toThrow(/MemTotal/);
  });
});

describe('memorySample', () => {
  it('agrees with `free -b` and `free -b -w` read at the same instant, field for field', () => {
    const sample = memorySample(
      parseMeminfo(fixture('proc/meminfo-debian12-vm-with-free.txt')),
      undefined,
      { pswpin: 0, pswpout: 0 },
      1000,
    );
    const free = parseFree(fixture('proc/free-b-debian12-vm.txt'));
    const wide = parseFree(fixture('proc/free-bw-debian12-vm.txt'));
    expect(sample.totalBytes).toBe(free.Mem?.total);
    expect(sample.usedBytes).toBe(free.Mem?.used);
    expect(sample.freeBytes).toBe(free.Mem?.free);
    expect(sample.availableBytes).toBe(free.Mem?.available);
    expect(sample.buffersBytes + sample.cachedBytes).toBe(free.Mem?.['buff/cache']);
    expect(sample.buffersBytes).toBe(wide.Mem?.buffers);
    expect(sample.cachedBytes).toBe(wide.Mem?.cache);
    expect(sample.swapTotalBytes).toBe(free.Swap?.total);
    expect(sample.swapUsedBytes).toBe(free.Swap?.used);
    // The figures themselves, so that a broken fixture cannot make both sides agree on nonsense.
    expect(sample).toMatchObject({ totalBytes: 25276063744, usedBytes: 605696000, cachedBytes: 733110272 });
  });

  it('reports a host without swap as zero swap and zero swap traffic', () => {
    const sample = memorySample(
      parseMeminfo(fixture('proc/meminfo-debian12-vm-later.txt')),
      parseVmstatSwap(fixture('proc/vmstat-debian12-vm.txt')),
      parseVmstatSwap(fixture('proc/vmstat-debian12-vm-later.txt')),
      1006,
    );
    expect(sample).toMatchObject({
      swapTotalBytes: 0,
      swapUsedBytes: 0,
      swapInBytesPerSec: 0,
      swapOutBytesPerSec: 0,
    });
    expect(sample.usedBytes).toBe((24683656 - 23770376) * KIB);
  });

  it('computes used as total − estimated available on an old kernel, as free did then', () => {
    const sample = memorySample(
      parseMeminfo(fixture('proc/meminfo-kernel3.2-no-memavailable.txt')),
      undefined,
      { pswpin: 0, pswpout: 0 },
      1000,
    );
    expect(sample).toMatchObject({
      totalBytes: 2060072 * KIB,
      availableBytes: 1567536 * KIB,
      usedBytes: 492536 * KIB,
      cachedBytes: (1236528 + 131544) * KIB,
      swapUsedBytes: (1046524 - 1019900) * KIB,
    });
  });

  it('falls back to MemFree when MemAvailable exceeds MemTotal (LXC shows the host’s), as procps does', () => {
    const meminfo = parseMeminfo(
      'MemTotal: 1048576 kB\nMemFree: 524288 kB\nMemAvailable: 9000000 kB\nBuffers: 0 kB\nCached: 1024 kB\n',
    );
    const sample = memorySample(meminfo, undefined, { pswpin: 0, pswpout: 0 }, 1000);
    expect(sample.availableBytes).toBe(524288 * KIB);
    expect(sample.usedBytes).toBe(524288 * KIB);
  });

  describe('on a host that is swapping', () => {
    const meminfo = parseMeminfo(fixture('proc/meminfo-swap-in-use.txt'));
    const before = parseVmstatSwap(fixture('proc/vmstat-swapping.txt'));
    const after = parseVmstatSwap(fixture('proc/vmstat-swapping-later.txt'));

    it('reads the swap counters', () => {
      expect(before).toEqual({ pswpin: 120000, pswpout: 340000 });
      expect(after).toEqual({ pswpin: 120250, pswpout: 340500 });
    });

    it('reports swap use and traffic in bytes per second', () => {
      expect(memorySample(meminfo, before, after, 2000)).toEqual({
        totalBytes: 8231436288,
        usedBytes: 6764138496,
        availableBytes: 1467297792,
        freeBytes: 191840256,
        cachedBytes: 1472864256,
        buffersBytes: 62705664,
        swapTotalBytes: 2147479552,
        swapUsedBytes: 964890624,
        // 250 and 500 pages of 4 KiB in 2 s
        swapInBytesPerSec: 512000,
        swapOutBytesPerSec: 1024000,
      });
      expect(MemorySample.safeParse(memorySample(meminfo, before, after, 2000)).success).toBe(true);
    });

    it('uses the host’s page size (64 KiB on some arm64 kernels)', () => {
      expect(memorySample(meminfo, before, after, 2000, 65536).swapInBytesPerSec).toBe(8192000);
    });

    it('reports no swap traffic on the first reading, after a reboot, or over no time', () => {
      expect(memorySample(meminfo, undefined, after, 2000).swapInBytesPerSec).toBe(0);
      expect(memorySample(meminfo, after, before, 2000)).toMatchObject({
        swapInBytesPerSec: 0,
        swapOutBytesPerSec: 0,
      });
      expect(memorySample(meminfo, before, after, 0).swapOutBytesPerSec).toBe(0);
    });
  });
});

describe('parseVmstatSwap', () => {
  it('reads zero swap traffic on the captured VM without swap', () => {
    expect(parseVmstatSwap(fixture('proc/vmstat-debian12-vm.txt'))).toEqual({ pswpin: 0, pswpout: 0 });
  });

  it('reads zero when the counters are absent', () => {
    expect(parseVmstatSwap('nr_free_pages 12\n')).toEqual({ pswpin: 0, pswpout: 0 });
  });
});
