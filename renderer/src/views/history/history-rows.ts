// Turns a SeriesSet into chart rows: an average and a min–max band per series; a gap stays a gap.
import type { SeriesSet } from '../../../../common/schemas/history';

export type HistoryRow = Record<string, number | [number, number] | null>;

export function historyRows(
  set: SeriesSet,
  keep: (label: string) => boolean = () => true,
): { rows: HistoryRow[]; labels: string[] } {
  const labels = set.series.map((s) => s.label).filter(keep);
  const byTime = new Map<number, HistoryRow>();
  const gapTimes: number[] = [];
  for (const series of set.series) {
    if (!keep(series.label)) continue;
    let previous: number | undefined;
    for (const point of series.points) {
      if (point === null) {
        // A row just after the last point with nulls breaks the line there.
        if (previous !== undefined) gapTimes.push(previous + set.stepMs);
        continue;
      }
      const [t, min, avg, max] = point;
      previous = t;
      const row = byTime.get(t) ?? { t };
      row[`${series.label}:avg`] = avg;
      row[`${series.label}:band`] = [min, max];
      byTime.set(t, row);
    }
  }
  for (const t of gapTimes) {
    if (byTime.has(t)) continue;
    const row: HistoryRow = { t };
    for (const label of labels) {
      row[`${label}:avg`] = null;
      row[`${label}:band`] = null;
    }
    byTime.set(t, row);
  }
  return { rows: [...byTime.values()].sort((a, b) => (a.t as number) - (b.t as number)), labels };
}

export function describeStep(stepMs: number): string {
  if (stepMs < 60_000) return `${Math.round(stepMs / 1000)} s`;
  if (stepMs < 3_600_000) return `${Math.round(stepMs / 60_000)} min`;
  if (stepMs < 86_400_000) return `${Math.round(stepMs / 3_600_000)} h`;
  return `${Math.round(stepMs / 86_400_000)} d`;
}
