import {
  dfUsedPercent,
  filesystemsFromSi,
  memoryFromSi,
} from '../../../../../../main/core/collectors/si/si-storage';

describe('dfUsedPercent', () => {
  it('rounds up as df does, but leaves exact percentages alone', () => {
    expect(dfUsedPercent(25, 75)).toBe(25);
    expect(dfUsedPercent(1, 299)).toBe(1);
    expect(dfUsedPercent(251, 749)).toBe(26);
    expect(dfUsedPercent(10176933888, 289998663680)).toBe(4);
  });

  it('is 0 for an empty filesystem and 100 for a full one', () => {
    expect(dfUsedPercent(0, 0)).toBe(0);
    expect(dfUsedPercent(0, 100)).toBe(0);
    expect(dfUsedPercent(100, 0)).toBe(100);
  });
});

describe('filesystemsFromSi', () => {
  const base = { type: 'ext4', use: 0, rw: true };

  it('skips sizeless entries and duplicate mount points', () => {
    const list = filesystemsFromSi([
      { ...base, fs: '/dev/sda1', mount: '/', size: 1000, used: 400, available: 600 },
      { ...base, fs: '/dev/sda1', mount: '/', size: 1000, used: 400, available: 600 },
      { ...base, fs: 'E:', mount: 'E:', size: 0, used: 0, available: 0 },
    ]);
    expect(list.map((f) => f.mount)).toEqual(['/']);
    expect(list[0]).toMatchObject({ usedPercent: 40, inodesTotal: 0, inodesUsed: 0 });
  });

  it('never reports more used or free space than the size', () => {
    const [fs] = filesystemsFromSi([{ ...base, fs: 'x', mount: '/x', size: 100, used: 150, available: -3 }]);
    expect(fs).toMatchObject({ usedBytes: 100, freeBytes: 0, usedPercent: 100 });
  });
});

describe('memoryFromSi', () => {
  const linux = {
    total: 8000,
    free: 1000,
    used: 7000,
    active: 3000,
    available: 5000,
    buffers: 200,
    cached: 2500,
    slab: 400,
    buffcache: 3100,
    reclaimable: 300,
    swaptotal: 1000,
    swapused: 100,
  };

  it('counts Cached + SReclaimable as cache where si read /proc/meminfo', () => {
    expect(memoryFromSi(linux)).toMatchObject({ usedBytes: 3000, cachedBytes: 2800, buffersBytes: 200 });
  });

  it('keeps available within total and treats missing figures as 0', () => {
    const m = memoryFromSi({ ...linux, available: 9999, cached: Number.NaN, buffcache: 0, buffers: -1 });
    expect(m).toMatchObject({ availableBytes: 8000, usedBytes: 0, cachedBytes: 0, buffersBytes: 0 });
  });
});
