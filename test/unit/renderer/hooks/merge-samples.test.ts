import { mergeSamples } from '../../../../renderer/src/hooks/useLiveSamples';
import { makeSample } from '../../../helpers/samples';

const at = (...ts: number[]) => ts.map((t) => makeSample('h', t));

describe('mergeSamples', () => {
  it('appends newer samples', () => {
    expect(mergeSamples(at(1000, 2000), at(3000), 60_000).map((s) => s.ts)).toEqual([1000, 2000, 3000]);
  });

  it('fills a gap from a resubscription snapshot without duplicates, in time order', () => {
    const merged = mergeSamples(at(1000, 2000, 5000), at(2000, 3000, 4000, 5000, 6000), 60_000);
    expect(merged.map((s) => s.ts)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('drops samples older than the window', () => {
    expect(mergeSamples(at(1000, 2000, 3000), at(4000), 2500).map((s) => s.ts)).toEqual([2000, 3000, 4000]);
  });

  it('returns the same array when nothing arrives (no re-render)', () => {
    const current = at(1000);
    expect(mergeSamples(current, [], 60_000)).toBe(current);
  });
});
