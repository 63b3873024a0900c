// Formats a range of history as CSV or JSON for export, one row per point and series.
import type { SeriesSet } from '../../../common/schemas/history';

export function exportFilename(
  host: string,
  metric: string,
  from: number,
  to: number,
  format: 'csv' | 'json',
): string {
  const day = (t: number) =>
    new Date(t)
      .toISOString()
      .replace(/[:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
  return `hyperion-${host}-${metric}-${day(from)}-${day(to)}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** RFC 4180: quote fields that hold a comma, quote or line break; double the quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(host: string, metric: string, set: SeriesSet): { body: string; rows: number } {
  const lines = ['time_iso,time_ms,host,metric,label,min,avg,max,step_ms,tier'];
  for (const series of set.series) {
    for (const point of series.points) {
      if (!point) continue;
      const [t, min, avg, max] = point;
      lines.push(
        [
          new Date(t).toISOString(),
          String(t),
          csvField(host),
          csvField(metric),
          csvField(series.label),
          min,
          avg,
          max,
          set.stepMs,
          set.tier,
        ].join(','),
      );
    }
  }
  return { body: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

export function toJson(host: string, metric: string, set: SeriesSet): { body: string; rows: number } {
  let rows = 0;
  const series = set.series.map((s) => ({
    label: s.label,
    points: s.points.flatMap((p) => {
      if (!p) return [];
      rows++;
      return [{ t: p[0], min: p[1], avg: p[2], max: p[3] }];
    }),
  }));
  return {
    body: JSON.stringify(
      {
        host,
        metric,
        tier: set.tier,
        stepMs: set.stepMs,
        from: set.from,
        to: set.to,
        series,
        outages: set.outages,
      },
      null,
      2,
    ),
    rows,
  };
}
