// Reads history: picks the tier from the span, averages into at most maxPoints buckets with their
// min and max (so a one-second spike survives a 30-day view), and marks gaps instead of bridging them.
import type { RangePoint, SeriesSet, Tier } from '../../../common/schemas/history';
import type { Db } from './database';
import { HOUR, MINUTE, type Retention } from './history-writer';

export interface RangeRequest {
  host: string;
  metric: string;
  labels?: string[];
  from: number;
  to: number;
  maxPoints: number;
}

const RESOLUTION: Record<Tier, number> = { raw: 1000, '1m': MINUTE, '1h': HOUR };

interface Bucket {
  b: number;
  mn: number;
  mx: number;
  sm: number;
  n: number;
}

/**
 * The tier whose resolution suits the step the chart can show (span / maxPoints), and that still
 * holds `from`. Chosen by step, not by span alone: a 30-day chart of 600 points wants 72-minute
 * buckets, which the hour tier gives from a few hundred rows instead of forty thousand.
 */
export function chooseTier(
  from: number,
  to: number,
  now: number,
  retention: Retention,
  maxPoints = 600,
): Tier {
  const wantedStep = (to - from) / maxPoints;
  if (wantedStep < MINUTE && from >= now - retention.rawMs) return 'raw';
  if (wantedStep < HOUR && from >= now - retention.minuteMs) return '1m';
  return '1h';
}

export function stepFor(tier: Tier, from: number, to: number, maxPoints: number): number {
  const resolution = RESOLUTION[tier];
  const wanted = Math.ceil((to - from) / maxPoints);
  return Math.max(resolution, Math.ceil(wanted / resolution) * resolution);
}

export class HistoryQueries {
  private readonly findSeries;
  private readonly outages;
  private readonly byTier;
  private readonly staged;
  private readonly hostNumber;

  constructor(private readonly db: Db) {
    this.findSeries = db.prepare(
      'SELECT id, label FROM series WHERE host_id = ? AND metric = ? ORDER BY label',
    );
    this.outages = db.prepare(
      'SELECT start, end, reason FROM outages WHERE host_id = ? AND start < ? AND (end IS NULL OR end > ?) ORDER BY start',
    );
    const rollup = (table: string) =>
      db.prepare(
        `SELECT CAST(ts - @from AS INTEGER) / CAST(@step AS INTEGER) AS b, MIN(min) AS mn, MAX(max) AS mx,
           SUM(sum) AS sm, SUM(count) AS n, MAX(ts) AS last
         FROM ${table} WHERE series_id = @id AND ts >= @start AND ts < @to GROUP BY b ORDER BY b`,
      );
    this.byTier = {
      raw: db.prepare(
        `SELECT CAST(ts - @from AS INTEGER) / CAST(@step AS INTEGER) AS b, MIN(value) AS mn, MAX(value) AS mx,
           SUM(value) AS sm, COUNT(*) AS n, MAX(ts) AS last
         FROM samples_raw WHERE series_id = @id AND ts >= @start AND ts < @to GROUP BY b ORDER BY b`,
      ),
      '1m': rollup('samples_1m'),
      '1h': rollup('samples_1h'),
    };
    this.hostNumber = db.prepare('SELECT id FROM history_hosts WHERE host_id = ?');
    // Rows not moved into samples_raw yet, of every series of a chart in one pass over the host's
    // few staged seconds. One already in samples_raw for the same instant is a duplicate the move
    // will drop (the first stays): it is not counted twice meanwhile.
    this.staged = db.prepare(
      `SELECT series_id AS id, CAST(ts - @from AS INTEGER) / CAST(@step AS INTEGER) AS b,
         MIN(value) AS mn, MAX(value) AS mx, SUM(value) AS sm, COUNT(*) AS n
       FROM samples_staging s
       WHERE host = @hostNo AND ts >= @from AND ts < @to
         AND series_id IN (SELECT value FROM json_each(@ids))
         AND NOT EXISTS (SELECT 1 FROM samples_raw r WHERE r.series_id = s.series_id AND r.ts = s.ts)
       GROUP BY series_id, b`,
    );
  }

  /** Buckets of staged rows by series (rows of no tier yet, so they merge anywhere exactly). */
  private stagedBuckets(
    hostNo: number | undefined,
    ids: number[],
    from: number,
    to: number,
    step: number,
  ): Map<number, Bucket[]> {
    const out = new Map<number, Bucket[]>();
    if (hostNo === undefined || ids.length === 0) return out;
    const rows = this.staged.all({ hostNo, ids: JSON.stringify(ids), from, to, step }) as (Bucket & {
      id: number;
    })[];
    for (const { id, ...bucket } of rows) {
      const list = out.get(id);
      if (list) list.push(bucket);
      else out.set(id, [bucket]);
    }
    return out;
  }

  /**
   * Buckets of one series from `tier`, then — for the recent stretch not rolled up yet — from the
   * finer tiers, so a 24-hour chart reaches to now without a seam, then the staged ones. Buckets
   * met twice merge exactly (min, max, sum, count).
   */
  private buckets(
    id: number,
    tier: Tier,
    from: number,
    to: number,
    step: number,
    staged: readonly Bucket[] = [],
  ): Bucket[] {
    const order: Tier[] = tier === '1h' ? ['1h', '1m', 'raw'] : tier === '1m' ? ['1m', 'raw'] : ['raw'];
    const merged = new Map<number, Bucket>();
    let start = from;
    const merge = (row: Bucket): void => {
      const seen = merged.get(row.b);
      merged.set(
        row.b,
        seen
          ? {
              b: row.b,
              mn: Math.min(seen.mn, row.mn),
              mx: Math.max(seen.mx, row.mx),
              sm: seen.sm + row.sm,
              n: seen.n + row.n,
            }
          : { b: row.b, mn: row.mn, mx: row.mx, sm: row.sm, n: row.n },
      );
    };
    for (const t of order) {
      if (start >= to) break;
      const rows = this.byTier[t].all({ id, from, start, to, step }) as (Bucket & { last: number })[];
      for (const row of rows) merge(row);
      // The next tier starts where this one's newest row ends (its rows cover whole periods).
      const last = rows.at(-1)?.last;
      if (last !== undefined) start = last + RESOLUTION[t];
    }
    for (const row of staged) merge(row);
    return [...merged.values()].sort((a, b) => a.b - b.b);
  }

  range(request: RangeRequest, now: number, retention: Retention): SeriesSet {
    const tier = chooseTier(request.from, request.to, now, retention, request.maxPoints);
    const step = stepFor(tier, request.from, request.to, request.maxPoints);
    // Bucket edges align to the step, so consecutive queries (a live chart) reuse the same buckets.
    const from = request.from - (request.from % step);
    const wanted = request.labels ? new Set(request.labels) : undefined;
    const rows = this.findSeries.all(request.host, request.metric) as { id: number; label: string }[];
    const hostNo = (this.hostNumber.get(request.host) as { id: number } | undefined)?.id;
    const outages = (
      this.outages.all(request.host, request.to, from) as {
        start: number;
        end: number | null;
        reason: string;
      }[]
    ).map((o) => ({ start: o.start, end: o.end, reason: o.reason }));
    const chosen = rows.filter((r) => !wanted || wanted.has(r.label));
    const staged = this.stagedBuckets(
      hostNo,
      chosen.map((r) => r.id),
      from,
      request.to,
      step,
    );
    const series = chosen.map((r) => {
      const buckets = this.buckets(r.id, tier, from, request.to, step, staged.get(r.id));
      return {
        label: r.label,
        points: withGaps(
          buckets.map((x) => [from + x.b * step, x.mn, x.sm / x.n, x.mx]),
          step,
          tier,
          outages,
        ),
      };
    });
    return { tier, stepMs: step, from, to: request.to, series, outages };
  }
}

/**
 * Inserts a null where data stops: around outages, and where consecutive buckets are much further
 * apart than the data's own rhythm (Hyperion was not running, or a background host was slow).
 */
export function withGaps(
  points: [number, number, number, number][],
  step: number,
  tier: Tier,
  outages: readonly { start: number; end: number | null }[],
): RangePoint[] {
  if (points.length < 2) return points;
  const deltas = points
    .slice(1)
    .map((p, i) => p[0] - points[i]![0])
    .sort((a, b) => a - b);
  const typical = deltas[Math.floor(deltas.length / 2)]!;
  const limit = Math.max(3 * step, 3 * typical, tier === 'raw' ? 30_000 : 0);
  const out: RangePoint[] = [points[0]!];
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]![0];
    const cur = points[i]![0];
    const crossesOutage = outages.some(
      (o) => o.start > prev && o.start < cur && (o.end === null || o.end > o.start),
    );
    if (cur - prev > limit || crossesOutage) out.push(null);
    out.push(points[i]!);
  }
  return out;
}
