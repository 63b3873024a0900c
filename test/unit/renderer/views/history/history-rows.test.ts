// Stored history turned into chart rows: bands, mirrored directions, stacks with a peak, gaps,
// and the busiest series kept when there are too many.
import { describe, expect, it } from 'vitest';
import type { SeriesSet } from '../../../../../common/schemas/history';
import {
  historyData,
  peakMagnitude,
  stackedPeak,
} from '../../../../../renderer/src/views/history/history-rows';

function set(series: Record<string, ([number, number, number, number] | null)[]>): SeriesSet {
  return {
    tier: 'raw',
    stepMs: 1000,
    from: 0,
    to: 10_000,
    series: Object.entries(series).map(([label, points]) => ({ label, points })),
    outages: [],
  };
}

describe('historyData', () => {
  it('draws rx above and tx below zero, coloured per interface, with bands', () => {
    const sets = new Map([
      ['net.rx', set({ eth0: [[1000, 1, 2, 3]], lo: [[1000, 9, 9, 9]] })],
      ['net.tx', set({ eth0: [[1000, 4, 5, 6]], lo: [[1000, 9, 9, 9]] })],
    ]);
    const data = historyData(
      [
        { metric: 'net.rx', name: (l) => `${l} in` },
        { metric: 'net.tx', name: (l) => `${l} out`, down: true },
      ],
      sets,
      { keep: (l) => l !== 'lo' },
    );
    expect(data.series.map((s) => s.name)).toEqual(['eth0 in', 'eth0 out']);
    expect(data.series[0]!.color).toBe(data.series[1]!.color);
    expect(data.rows).toEqual([{ t: 1000, s0: 2, s0b: [1, 3], s1: -5, s1b: [-6, -4] }]);
    expect(peakMagnitude(data.rows)).toBe(6);
  });

  it('stacks averages without bands and keeps the peak as its own line', () => {
    const sets = new Map([
      ['cpu.user', set({ '': [[1000, 0, 30, 90]] })],
      ['cpu.system', set({ '': [[1000, 0, 10, 20]] })],
      ['cpu.usage', set({ '': [[1000, 5, 40, 100]] })],
    ]);
    const data = historyData(
      [
        { metric: 'cpu.user', name: 'user', stack: 'cpu' },
        { metric: 'cpu.system', name: 'system', stack: 'cpu' },
        { metric: 'cpu.usage', name: 'peak', peak: true },
      ],
      sets,
    );
    expect(data.rows).toEqual([{ t: 1000, s0: 30, s1: 10, s2: 100 }]);
    expect(stackedPeak(data.rows, data.series)).toBe(100);
  });

  it('breaks the line where the data stops', () => {
    const sets = new Map([['mem.used', set({ '': [[1000, 1, 1, 1], null, [5000, 2, 2, 2]] })]]);
    const { rows } = historyData([{ metric: 'mem.used' }], sets);
    expect(rows.map((r) => r.t)).toEqual([1000, 2000, 5000]);
    expect(rows[1]).toEqual({ t: 2000, s0: null, s0b: null });
  });

  it('keeps the busiest series of many (64 cores do not draw 64 lines), in label order', () => {
    const cores = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        String(i),
        [[1000, 0, i === 3 || i === 17 ? 90 : i, 100]] as [number, number, number, number][],
      ]),
    );
    const data = historyData(
      [{ metric: 'cpu.core.usage', name: (l) => `cpu${l}` }],
      new Map([['cpu.core.usage', set(cores)]]),
      {
        maxSeries: 4,
      },
    );
    expect(data.series.map((s) => s.name)).toEqual(['cpu3', 'cpu17', 'cpu18', 'cpu19']);
    expect(data.hidden).toBe(16);
    expect(data.total).toBe(20);
  });

  it('uses row keys recharts cannot misread as paths (labels with dots)', () => {
    const data = historyData(
      [{ metric: 'fs.used_percent' }],
      new Map([['fs.used_percent', set({ '/mnt/a.b': [[1000, 1, 1, 1]] })]]),
    );
    expect(Object.keys(data.rows[0]!)).toEqual(['t', 's0', 's0b']);
    expect(data.series[0]!.name).toBe('/mnt/a.b');
  });
});
