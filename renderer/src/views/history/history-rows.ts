// Turns the store's SeriesSets into chart rows: per series an average and a min–max band, mirrored
// below zero for the outward direction, stacked where asked; a gap stays a gap. Pure.
import type { SeriesSet } from '../../../../common/schemas/history';
import { SERIES_PALETTE } from '../../lib/colors';

export type HistoryRow = Record<string, number | [number, number] | null>;

/** One line (or band, or stacked area) of a history chart, as the chart asks for it. */
export interface SeriesSpec {
  metric: string;
  /** One label of the metric; undefined expands to every label the store has (cores, mounts…). */
  label?: string;
  /** How the series reads in the legend and tooltip. */
  name?: string | ((label: string) => string);
  color?: string;
  /** Drawn below zero (out, transmit, write). */
  down?: boolean;
  /** Series with the same stack id are stacked (averages only: no band). */
  stack?: string;
  /** Only the max is drawn, as a thin dashed line: the peak a stacked chart of averages would hide. */
  peak?: boolean;
}

/** A series once labels are known: its row keys are `${key}` (avg) and `${key}b` (band). */
export interface ResolvedSeries {
  key: string;
  metric: string;
  label: string;
  name: string;
  color: string;
  down: boolean;
  stack: string | undefined;
  peak: boolean;
}

export interface HistoryData {
  rows: HistoryRow[];
  series: ResolvedSeries[];
  /** Series left out to keep the chart readable (the quietest ones). */
  hidden: number;
  /** Labels found for expanded specs before limiting. */
  total: number;
}

const pointsOf = (set: SeriesSet | undefined, label: string) =>
  set?.series.find((s) => s.label === label)?.points ?? [];

function averageOf(set: SeriesSet | undefined, label: string): number {
  let sum = 0;
  let n = 0;
  for (const p of pointsOf(set, label)) {
    if (p) {
      sum += p[2];
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Expands and limits the specs against what the store returned. An expanded spec keeps at most
 * `maxSeries` labels, the busiest first (by average), so 64 cores do not draw 64 lines.
 */
export function resolveSeries(
  specs: readonly SeriesSpec[],
  sets: ReadonlyMap<string, SeriesSet>,
  options: { keep?: (label: string) => boolean; maxSeries?: number } = {},
): { series: ResolvedSeries[]; hidden: number; total: number } {
  const keep = options.keep ?? (() => true);
  const max = options.maxSeries ?? 8;
  const out: ResolvedSeries[] = [];
  let hidden = 0;
  let total = 0;
  for (const spec of specs) {
    const set = sets.get(spec.metric);
    let labels: string[];
    if (spec.label !== undefined) {
      labels = set?.series.some((s) => s.label === spec.label) ? [spec.label] : [];
    } else {
      const all = (set?.series.map((s) => s.label) ?? []).filter(keep);
      total += all.length;
      labels = [...all].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      if (labels.length > max) {
        const busiest = new Set(
          [...labels].sort((a, b) => averageOf(set, b) - averageOf(set, a)).slice(0, max),
        );
        hidden += labels.length - max;
        labels = labels.filter((l) => busiest.has(l));
      }
    }
    labels.forEach((label, labelIndex) => {
      const i = out.length;
      const name = typeof spec.name === 'function' ? spec.name(label) : (spec.name ?? (label || spec.metric));
      // An expanded spec colours by label, so eth0 in (above) and eth0 out (below) match.
      const colorIndex = spec.label === undefined ? labelIndex : i;
      out.push({
        key: `s${i}`,
        metric: spec.metric,
        label,
        name,
        color: spec.color ?? SERIES_PALETTE[colorIndex % SERIES_PALETTE.length]!,
        down: spec.down ?? false,
        stack: spec.stack,
        peak: spec.peak ?? false,
      });
    });
  }
  return { series: out, hidden, total };
}

/** Chart rows for resolved series: one row per bucket start, nulls where the data stops. */
export function seriesRows(
  series: readonly ResolvedSeries[],
  sets: ReadonlyMap<string, SeriesSet>,
): HistoryRow[] {
  const byTime = new Map<number, HistoryRow>();
  const gapTimes: number[] = [];
  for (const s of series) {
    const set = sets.get(s.metric);
    if (!set) continue;
    const sign = s.down ? -1 : 1;
    let previous: number | undefined;
    for (const point of pointsOf(set, s.label)) {
      if (point === null) {
        // A row just after the last point, with nulls, breaks the line there.
        if (previous !== undefined) gapTimes.push(previous + set.stepMs);
        previous = undefined;
        continue;
      }
      const [t, min, avg, max] = point;
      previous = t;
      let row = byTime.get(t);
      if (!row) {
        row = { t };
        byTime.set(t, row);
      }
      if (s.peak) {
        row[s.key] = sign * max;
      } else {
        row[s.key] = sign * avg;
        if (!s.stack) row[`${s.key}b`] = s.down ? [-max, -min] : [min, max];
      }
    }
  }
  for (const t of gapTimes) {
    if (byTime.has(t)) continue;
    const row: HistoryRow = { t };
    for (const s of series) {
      row[s.key] = null;
      if (!s.stack && !s.peak) row[`${s.key}b`] = null;
    }
    byTime.set(t, row);
  }
  return [...byTime.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

export function historyData(
  specs: readonly SeriesSpec[],
  sets: ReadonlyMap<string, SeriesSet>,
  options: { keep?: (label: string) => boolean; maxSeries?: number } = {},
): HistoryData {
  const { series, hidden, total } = resolveSeries(specs, sets, options);
  return { rows: seriesRows(series, sets), series, hidden, total };
}

/** The largest magnitude drawn (band included): mirrored charts share one scale around zero. */
export function peakMagnitude(rows: readonly HistoryRow[]): number {
  let peak = 0;
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (k === 't' || v === null) continue;
      if (Array.isArray(v)) peak = Math.max(peak, Math.abs(v[0]), Math.abs(v[1]));
      else peak = Math.max(peak, Math.abs(v));
    }
  }
  return peak;
}

/** The highest stacked total (stacked areas add up). */
export function stackedPeak(rows: readonly HistoryRow[], series: readonly ResolvedSeries[]): number {
  let peak = 0;
  for (const row of rows) {
    const stacks = new Map<string, number>();
    for (const s of series) {
      const v = row[s.key];
      if (typeof v !== 'number') continue;
      if (s.stack) stacks.set(s.stack, (stacks.get(s.stack) ?? 0) + v);
      else peak = Math.max(peak, v);
      const band = row[`${s.key}b`];
      if (Array.isArray(band)) peak = Math.max(peak, band[1]);
    }
    for (const v of stacks.values()) peak = Math.max(peak, v);
  }
  return peak;
}

export function describeStep(stepMs: number): string {
  if (stepMs < 60_000) return `${Math.round(stepMs / 1000)} s`;
  if (stepMs < 3_600_000) return `${Math.round(stepMs / 60_000)} min`;
  if (stepMs < 86_400_000) return `${Math.round(stepMs / 3_600_000)} h`;
  return `${Math.round(stepMs / 86_400_000)} d`;
}
