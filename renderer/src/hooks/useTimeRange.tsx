// One app-wide time range that every chart follows (UI.md 12–15): live, live paused on a span
// (a zoom or pan of a live chart), a preset ending now (5m … 30d, today, yesterday) or exact from/to;
// plus the zone times are shown in and whether charts share a crosshair.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { HostClock } from '../../../common/schemas/sample';
import { serverNow } from '../lib/server-clock';
import {
  resolveZone,
  startOfDay,
  timeFormat,
  type TimeFormat,
  type Zone,
  type ZoneChoice,
} from '../lib/time-zone';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** How much recent time a live view holds in memory; a paused span inside it needs no query. */
export const LIVE_SPAN_MS = 5 * MIN;

export const PRESETS = {
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  today: DAY,
  yesterday: DAY,
} as const;
export type Preset = keyof typeof PRESETS;

export const PRESET_LIST: readonly { id: Preset; label: string; title: string }[] = [
  { id: '5m', label: '5m', title: 'The last 5 minutes, from the store' },
  { id: '15m', label: '15m', title: 'The last 15 minutes' },
  { id: '1h', label: '1h', title: 'The last hour' },
  { id: '6h', label: '6h', title: 'The last 6 hours' },
  { id: '24h', label: '24h', title: 'The last 24 hours' },
  { id: '7d', label: '7d', title: 'The last 7 days' },
  { id: '30d', label: '30d', title: 'The last 30 days' },
  { id: 'today', label: 'Today', title: 'Since midnight, in the zone times are shown in' },
  { id: 'yesterday', label: 'Yesterday', title: 'Yesterday, midnight to midnight, in that zone' },
];

export type TimeRange =
  | { kind: 'live' }
  /** Live, stopped on a span (a zoom or pan of a live chart, or Pause): the charts hold still. */
  | { kind: 'paused'; from: number; to: number }
  | { kind: 'preset'; preset: Preset }
  | { kind: 'absolute'; from: number; to: number };

/** The concrete window of a range at `now` (the core's clock); days begin at midnight in `zone`. */
export function windowOf(range: TimeRange, now: number, zone?: Zone): { from: number; to: number } {
  if (range.kind === 'absolute' || range.kind === 'paused') return { from: range.from, to: range.to };
  if (range.kind === 'live') return { from: now - LIVE_SPAN_MS, to: now };
  if (range.preset === 'today' || range.preset === 'yesterday') {
    const today = zone ? startOfDay(zone, now) : Math.floor(now / DAY) * DAY;
    if (range.preset === 'today') return { from: today, to: now };
    const yesterday = zone ? startOfDay(zone, today - HOUR) : today - DAY;
    return { from: yesterday, to: today };
  }
  return { from: now - PRESETS[range.preset], to: now };
}

/** A range follows "now" (and refreshes) unless it is exact or paused. */
export const followsNow = (range: TimeRange): boolean =>
  range.kind === 'live' || (range.kind === 'preset' && range.preset !== 'yesterday');

/** A span chosen on a chart: live charts pause on it (held in memory), history charts zoom into it. */
export function zoomedRange(current: TimeRange, from: number, to: number, now: number): TimeRange {
  const liveish = current.kind === 'live' || current.kind === 'paused';
  return liveish && from >= now - LIVE_SPAN_MS - MIN
    ? { kind: 'paused', from, to }
    : { kind: 'absolute', from, to };
}

/** Moves the window by half its span, back (−1) or forward (+1), never past now; pauses live. */
export function pannedRange(current: TimeRange, direction: -1 | 1, now: number, zone?: Zone): TimeRange {
  const { from, to } = windowOf(current, now, zone);
  const span = to - from;
  let nextTo = Math.min(now, to + (direction * span) / 2);
  if (nextTo - span < 0) nextTo = span;
  return zoomedRange(current, Math.round(nextTo - span), Math.round(nextTo), now);
}

/** Twice the span around the same middle, never past now; pauses live. */
export function zoomedOutRange(current: TimeRange, now: number, zone?: Zone): TimeRange {
  const { from, to } = windowOf(current, now, zone);
  const span = Math.min((to - from) * 2, 3 * 365 * DAY);
  const middle = (from + to) / 2;
  const nextTo = Math.min(now, middle + span / 2);
  return zoomedRange(current, Math.round(nextTo - span), Math.round(nextTo), now);
}

/** Live stopped on its current window. */
export const pausedRange = (now: number): TimeRange => ({
  kind: 'paused',
  from: now - LIVE_SPAN_MS,
  to: now,
});

/** How a range reads in a sentence: "live", "the last 24 h", "12-01 14:00 – 15:00 UTC+1". */
export function describeRange(range: TimeRange, format: TimeFormat, now: number): string {
  if (range.kind === 'live') return 'live, the last 5 minutes';
  if (range.kind === 'preset') {
    const item = PRESET_LIST.find((p) => p.id === range.preset);
    return item ? item.title.replace(/, from the store$/, '').toLowerCase() : range.preset;
  }
  const { from, to } = windowOf(range, now);
  const sameDay = format.dateTime(from).slice(0, 10) === format.dateTime(to).slice(0, 10);
  const toText = sameDay ? format.clock(to) : format.dateTime(to);
  return `${range.kind === 'paused' ? 'paused on ' : ''}${format.dateTime(from)} – ${toText} ${format.label(to)}`;
}

interface TimeContext {
  range: TimeRange;
  setRange: (range: TimeRange) => void;
  zoneChoice: ZoneChoice;
  setZoneChoice: (zone: ZoneChoice) => void;
  /** One crosshair across every chart of a view (on by default). */
  crosshair: boolean;
  setCrosshair: (on: boolean) => void;
}

const Context = createContext<TimeContext>({
  range: { kind: 'live' },
  setRange: () => {},
  zoneChoice: 'local',
  setZoneChoice: () => {},
  crosshair: true,
  setCrosshair: () => {},
});

const ZONE_KEY = 'hyperion.zone';
const CROSSHAIR_KEY = 'hyperion.crosshair';

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // private mode or storage full: the choice holds for this page only
  }
}

export function TimeRangeProvider({ children, initial }: { children: ReactNode; initial?: TimeRange }) {
  const [range, setRange] = useState<TimeRange>(initial ?? { kind: 'live' });
  const [zoneChoice, setZone] = useState<ZoneChoice>(() => {
    const z = stored(ZONE_KEY);
    return z === 'host' || z === 'utc' ? z : 'local';
  });
  const [crosshair, setCross] = useState(() => stored(CROSSHAIR_KEY) !== 'off');
  const value = useMemo<TimeContext>(
    () => ({
      range,
      setRange,
      zoneChoice,
      setZoneChoice: (z) => {
        store(ZONE_KEY, z);
        setZone(z);
      },
      crosshair,
      setCrosshair: (on) => {
        store(CROSSHAIR_KEY, on ? 'on' : 'off');
        setCross(on);
      },
    }),
    [range, zoneChoice, crosshair],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useTimeRange = (): TimeContext => useContext(Context);

/** The clock of the host on screen, for "host" time (undefined outside a host view). */
const HostClockContext = createContext<HostClock | undefined>(undefined);
export const HostClockProvider = HostClockContext.Provider;
export const useHostClock = (): HostClock | undefined => useContext(HostClockContext);

/** Formatters for the zone the user chose, honouring the current host's clock in host time. */
export function useTimeFormat(): TimeFormat {
  const { zoneChoice } = useTimeRange();
  const clock = useContext(HostClockContext);
  const utc = clock?.utcOffsetMin;
  const tz = clock?.timeZone;
  // The offset is re-measured every slow tick: only a change of a second or more re-renders charts.
  const skew = clock ? Math.round(clock.offsetMs / 1000) * 1000 : undefined;
  return useMemo(
    () =>
      timeFormat(
        resolveZone(
          zoneChoice,
          utc === undefined || skew === undefined
            ? undefined
            : { utcOffsetMin: utc, timeZone: tz ?? null, offsetMs: skew },
        ),
      ),
    [zoneChoice, utc, tz, skew],
  );
}

export { serverNow };
