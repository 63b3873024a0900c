// One app-wide time range that every chart follows: live, a preset ending now, or exact from/to.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type TimeRange =
  { kind: 'live' } | { kind: 'preset'; preset: Preset } | { kind: 'absolute'; from: number; to: number };

export const PRESETS = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
} as const;
export type Preset = keyof typeof PRESETS;

/** The concrete window of a range at `now` (live shows the last 5 minutes). */
export function windowOf(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'absolute') return { from: range.from, to: range.to };
  const span = range.kind === 'live' ? 5 * 60_000 : PRESETS[range.preset];
  return { from: now - span, to: now };
}

interface TimeRangeContext {
  range: TimeRange;
  setRange: (range: TimeRange) => void;
}

const Context = createContext<TimeRangeContext>({ range: { kind: 'live' }, setRange: () => {} });

export function TimeRangeProvider({ children }: { children: ReactNode }) {
  const [range, setRange] = useState<TimeRange>({ kind: 'live' });
  const value = useMemo(() => ({ range, setRange }), [range]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useTimeRange = (): TimeRangeContext => useContext(Context);
