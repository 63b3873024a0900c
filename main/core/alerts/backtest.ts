// The backtest: replays a rule over the stored history — the same state machine as live — and says
// how often it would have fired, on which series, and when. History is read at one-minute
// resolution (the store's range query), so a 7-day replay of 50 hosts is a few hundred thousand rows.
import type { SeriesSet } from '../../../common/schemas/history';
import type { BacktestResult, ParsedAlertRule } from '../../../common/schemas/alerts';
import type { RangeRequest } from '../store/history-queries';
import { ruleCoversHost, type EngineHost } from './engine';
import { compileLabelPattern } from './label-pattern';
import { RateWindow } from './rate-window';
import { conditionOf, FIRED, newInstanceState, RESOLVED, step } from './rule-state';
import { HOST_UNREACHABLE } from './series';

const DAY = 86_400_000;
const MAX_CHART_POINTS = 1200;
const MAX_SPANS = 200;
const MAX_SERIES_LISTED = 50;

export interface BacktestDeps {
  query: (request: RangeRequest) => Promise<SeriesSet>;
  hosts: readonly EngineHost[];
  now: number;
  flapWindowMs: number;
}

/** One series of history: bucket times and values (avg and extreme), null in gaps. */
interface History {
  host: EngineHost;
  label: string;
  ts: number[];
  avg: (number | null)[];
  extreme: (number | null)[];
}

const RATIOS: Record<string, [string, string]> = {
  'mem.available_percent': ['mem.available', 'mem.total'],
  'mem.used_percent': ['mem.used', 'mem.total'],
  'swap.used_percent': ['swap.used', 'swap.total'],
};

async function historyOf(
  rule: ParsedAlertRule,
  host: EngineHost,
  range: { from: number; to: number; maxPoints: number },
  deps: BacktestDeps,
): Promise<{ series: History[]; stepMs: number }> {
  const above = rule.comparison === '>' || rule.comparison === '>=';
  const pick = (p: [number, number, number, number]) => (above ? p[3] : p[1]);
  if (rule.metric === HOST_UNREACHABLE) {
    const set = await deps.query({
      host: host.id,
      metric: 'uptime',
      from: range.from,
      to: range.to,
      maxPoints: 2,
    });
    const stepMs = Math.max(60_000, Math.ceil((range.to - range.from) / range.maxPoints / 60_000) * 60_000);
    const ts: number[] = [];
    const values: number[] = [];
    for (let t = range.from - (range.from % stepMs); t < range.to; t += stepMs) {
      ts.push(t);
      const down = set.outages.some((o) => o.start < t + stepMs && (o.end === null || o.end > t));
      values.push(down ? 1 : 0);
    }
    return { series: [{ host, label: '', ts, avg: values, extreme: values }], stepMs };
  }
  const ratio = RATIOS[rule.metric];
  if (ratio) {
    const [a, b] = await Promise.all(
      ratio.map((metric) =>
        deps.query({ host: host.id, metric, from: range.from, to: range.to, maxPoints: range.maxPoints }),
      ),
    );
    const top = a!.series[0];
    const bottom = b!.series[0];
    if (!top || !bottom) return { series: [], stepMs: a!.stepMs };
    const totals = new Map<number, number>();
    for (const p of bottom.points) if (p) totals.set(p[0], p[2]);
    const ts: number[] = [];
    const avg: (number | null)[] = [];
    const extreme: (number | null)[] = [];
    for (const p of top.points) {
      if (!p) continue;
      const total = totals.get(p[0]);
      ts.push(p[0]);
      if (!total) {
        avg.push(null);
        extreme.push(null);
        continue;
      }
      avg.push((p[2] / total) * 100);
      extreme.push((pick(p) / total) * 100);
    }
    return { series: [{ host, label: '', ts, avg, extreme }], stepMs: a!.stepMs };
  }
  const set = await deps.query({
    host: host.id,
    metric: rule.metric,
    from: range.from,
    to: range.to,
    maxPoints: range.maxPoints,
  });
  const labels = compileLabelPattern(rule.labels);
  const series: History[] = [];
  for (const s of set.series) {
    if (!labels(s.label)) continue;
    const ts: number[] = [];
    const avg: (number | null)[] = [];
    const extreme: (number | null)[] = [];
    let last = -1;
    for (const p of s.points) {
      if (p === null) {
        // A gap: one null in place of the missing stretch.
        if (last >= 0) {
          ts.push(last + set.stepMs);
          avg.push(null);
          extreme.push(null);
        }
        continue;
      }
      ts.push(p[0]);
      avg.push(p[2]);
      extreme.push(pick(p));
      last = p[0];
    }
    series.push({ host, label: s.label, ts, avg, extreme });
  }
  return { series, stepMs: set.stepMs };
}

interface Replay {
  fired: number;
  incidents: number;
  firingMs: number;
  spans: { start: number; end: number | null }[];
  values: (number | null)[];
}

function replay(rule: ParsedAlertRule, h: History, stepMs: number, to: number, flapWindowMs: number): Replay {
  const cond = conditionOf(rule);
  // A condition shorter than a bucket could hide inside one: judge those by the bucket's extreme.
  const useExtreme = cond.forMs < stepMs;
  const state = newInstanceState();
  const rate = rule.transform === 'rate' ? new RateWindow(rule.rateWindowSec * 1000) : null;
  const out: Replay = { fired: 0, incidents: 0, firingMs: 0, spans: [], values: [] };
  let lastResolved = -Infinity;
  for (let i = 0; i < h.ts.length; i++) {
    const ts = h.ts[i]!;
    let value = (useExtreme ? h.extreme[i] : h.avg[i]) ?? null;
    if (value === null) {
      rate?.reset();
      out.values.push(null);
      continue;
    }
    if (rate) {
      value = rate.push(ts, value);
      if (Number.isNaN(value)) {
        out.values.push(null);
        continue;
      }
    }
    out.values.push(value);
    const t = step(state, cond, value, ts);
    if (t === FIRED) {
      out.fired++;
      if (ts - lastResolved > flapWindowMs) out.incidents++;
      out.spans.push({ start: ts, end: null });
    } else if (t === RESOLVED) {
      const span = out.spans[out.spans.length - 1];
      if (span) span.end = ts;
      lastResolved = ts;
    }
  }
  for (const span of out.spans) out.firingMs += (span.end ?? to) - span.start;
  return out;
}

function downsample(ts: number[], values: (number | null)[], above: boolean): [number, number | null][] {
  if (ts.length <= MAX_CHART_POINTS) return ts.map((t, i) => [t, values[i] ?? null]);
  const k = Math.ceil(ts.length / MAX_CHART_POINTS);
  const out: [number, number | null][] = [];
  for (let i = 0; i < ts.length; i += k) {
    let best: number | null = null;
    for (let j = i; j < Math.min(ts.length, i + k); j++) {
      const v = values[j] ?? null;
      if (v === null) continue;
      if (best === null || (above ? v > best : v < best)) best = v;
    }
    out.push([ts[i]!, best]);
  }
  return out;
}

export async function backtestRule(
  rule: ParsedAlertRule,
  days: number,
  focus: { host: string; label: string } | undefined,
  deps: BacktestDeps,
): Promise<BacktestResult> {
  const to = deps.now;
  const from = to - days * DAY;
  // One point per minute: the minute tier, plus the recent minutes not rolled up yet.
  const range = { from, to, maxPoints: days * 1440 };
  const ruleLike = { ...rule, id: 'backtest', builtin: null, createdAt: 0, updatedAt: 0 };
  const hosts = deps.hosts.filter(
    (h) => ruleCoversHost(ruleLike, h) && (rule.metric !== HOST_UNREACHABLE || h.remote),
  );
  const above = rule.comparison === '>' || rule.comparison === '>=';
  let stepMs = 60_000;
  const results: { h: History; r: Replay }[] = [];
  for (const host of hosts) {
    const { series, stepMs: s } = await historyOf(rule, host, range, deps);
    stepMs = s;
    for (const h of series) results.push({ h, r: replay(rule, h, s, to, deps.flapWindowMs) });
  }
  const ranked = [...results].sort((a, b) => b.r.fired - a.r.fired || b.r.firingMs - a.r.firingMs);
  const focused =
    (focus && results.find((x) => x.h.host.id === focus.host && x.h.label === focus.label)) ?? ranked[0];
  const fired = results.reduce((n, x) => n + x.r.fired, 0);
  const incidents = results.reduce((n, x) => n + x.r.incidents, 0);
  const stepWords =
    stepMs >= 3_600_000 ? `${stepMs / 3_600_000}-hour` : `${Math.round(stepMs / 60_000)}-minute`;
  return {
    from,
    to,
    stepMs,
    hosts: hosts.length,
    seriesChecked: results.length,
    fired,
    incidents,
    series: ranked
      .filter((x) => x.r.fired > 0)
      .slice(0, MAX_SERIES_LISTED)
      .map((x) => ({
        host: x.h.host.id,
        hostName: x.h.host.name,
        label: x.h.label,
        fired: x.r.fired,
        firingMs: x.r.firingMs,
        spans: x.r.spans.slice(-MAX_SPANS),
      })),
    chart: focused
      ? {
          host: focused.h.host.id,
          hostName: focused.h.host.name,
          label: focused.h.label,
          points: downsample(focused.h.ts, focused.r.values, above),
          spans: focused.r.spans.slice(-MAX_SPANS),
        }
      : null,
    note:
      rule.metric === HOST_UNREACHABLE
        ? `Replayed on the outages Hyperion recorded, in ${stepWords} steps.`
        : `Replayed on ${stepWords} ${cond(rule, stepMs)} of the stored history; live evaluation sees every sample, so short spikes may differ.`,
  };
}

function cond(rule: ParsedAlertRule, stepMs: number): string {
  return rule.forSec * 1000 < stepMs ? (rule.comparison.startsWith('>') ? 'maxima' : 'minima') : 'averages';
}
