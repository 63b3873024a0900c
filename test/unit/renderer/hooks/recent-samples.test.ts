import { describe, expect, it } from 'vitest';
import {
  appendRecent,
  applySamples,
  figuresOf,
  type RecentFigures,
  type RecentSamples,
} from '../../../../renderer/src/hooks/useRecentSamples';
import { makeSample } from '../../../helpers/samples';

const point = (ts: number, cpu: number): { ts: number; figures: RecentFigures } => ({
  ts,
  figures: { cpu, memory: 50, network: 0 },
});

describe('appendRecent', () => {
  it('keeps only the window before the newest point', () => {
    let series = appendRecent(undefined, [point(1000, 1), point(2000, 2)], 3000, 100);
    series = appendRecent(series, [point(3000, 3), point(4000, 4), point(5000, 5)], 3000, 100);
    expect(series.ts).toEqual([3000, 4000, 5000]);
    expect(series.cpu).toEqual([3, 4, 5]);
    expect(series.memory).toEqual([50, 50, 50]);
  });

  it('stays bounded however long it runs', () => {
    let series = appendRecent(undefined, [], 120_000, 184);
    for (let t = 1; t <= 10_000; t++) series = appendRecent(series, [point(t * 1000, t % 100)], 120_000, 184);
    expect(series.ts.length).toBe(120);
    // Points closer together than once a second are bounded by count.
    for (let t = 1; t <= 1000; t++) series = appendRecent(series, [point(10_000_000 + t, 1)], 120_000, 184);
    expect(series.ts.length).toBe(184);
  });

  it('merges a snapshot that overlaps what it holds, by time', () => {
    const held = appendRecent(undefined, [point(1000, 1), point(3000, 3)], 60_000, 100);
    const merged = appendRecent(held, [point(2000, 2), point(3000, 30), point(4000, 4)], 60_000, 100);
    expect(merged.ts).toEqual([1000, 2000, 3000, 4000]);
    expect(merged.cpu).toEqual([1, 2, 30, 4]);
  });

  it('returns the same series when nothing arrives', () => {
    const held = appendRecent(undefined, [point(1000, 1)], 60_000, 100);
    expect(appendRecent(held, [], 60_000, 100)).toBe(held);
  });
});

describe('figuresOf', () => {
  it('takes CPU, memory used % and non-loopback network in + out', () => {
    const sample = makeSample('h', 1000, 42);
    sample.network.interfaces = [
      { name: 'lo', rxBytesPerSec: 1e6, txBytesPerSec: 1e6 },
      { name: 'eth0', rxBytesPerSec: 300, txBytesPerSec: 200 },
    ] as typeof sample.network.interfaces;
    expect(figuresOf(sample)).toEqual({ cpu: 42, memory: 25, network: 500 });
  });
});

describe('applySamples', () => {
  const empty: RecentSamples = { latest: new Map(), recent: new Map() };

  it('keeps the newest sample per host, drops hosts no longer watched, and leaves quiet hosts alone', () => {
    const ids = new Set(['a', 'b']);
    let state = applySamples(
      empty,
      [makeSample('a', 1000), makeSample('b', 1000), makeSample('a', 2000)],
      ids,
      60_000,
      100,
    );
    expect(state.latest.get('a')!.ts).toBe(2000);
    expect(state.recent.get('a')!.ts).toEqual([1000, 2000]);
    const quiet = state.recent.get('b');
    state = applySamples(state, [makeSample('a', 3000), makeSample('x', 3000)], ids, 60_000, 100);
    expect(state.recent.get('b')).toBe(quiet);
    expect(state.latest.has('x')).toBe(false);
    state = applySamples(state, [], new Set(['a']), 60_000, 100);
    expect([...state.latest.keys()]).toEqual(['a']);
  });
});
