// The backtest replays a rule over what the store's range query returns: the same state machine
// as live, at the history's resolution, with derived ratios, outages and flap folding.
import type { SeriesSet } from '../../../../../common/schemas/history';
import { AlertRuleInput, type ParsedAlertRule } from '../../../../../common/schemas/alerts';
import { backtestRule, type BacktestDeps } from '../../../../../main/core/alerts/backtest';
import type { EngineHost } from '../../../../../main/core/alerts/engine';
import type { RangeRequest } from '../../../../../main/core/store/history-queries';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 10);
const hosts: EngineHost[] = [
  { id: 'local', name: 'This computer', tags: [], remote: false },
  { id: 'web-1', name: 'web-1', tags: ['web'], remote: true },
];

const rule = (over: Partial<AlertRuleInput>): ParsedAlertRule =>
  AlertRuleInput.parse({
    name: 'r',
    metric: 'cpu.usage',
    comparison: '>=',
    threshold: 90,
    forSec: 0,
    severity: 'warning',
    ...over,
  });

/** A store answering with one-minute buckets of given values (avg; min and max a little around it). */
function store(
  series: Record<string, Record<string, Record<string, (number | null)[]>>>,
  outages: SeriesSet['outages'] = [],
) {
  const asked: RangeRequest[] = [];
  const query = async (r: RangeRequest): Promise<SeriesSet> => {
    asked.push(r);
    const from = r.from - (r.from % MIN);
    const bySeries = series[r.host]?.[r.metric] ?? {};
    return {
      tier: '1m',
      stepMs: MIN,
      from,
      to: r.to,
      outages,
      series: Object.entries(bySeries).map(([label, values]) => ({
        label,
        points: values.map((v, i) =>
          v === null ? null : ([from + i * MIN, v - 1, v, v + 2] as [number, number, number, number]),
        ),
      })),
    };
  };
  return { query, asked };
}

const deps = (query: BacktestDeps['query']): BacktestDeps => ({
  query,
  hosts,
  now: NOW,
  flapWindowMs: 10 * MIN,
});

describe('backtest', () => {
  it('counts firings over 7 days of minutes, ranks the series, and draws the one that fired most', async () => {
    const { query, asked } = store({
      'web-1': { 'cpu.usage': { '': [50, 95, 95, 50, 50, 96, 50, 50, 97, 97, 50] } },
      local: { 'cpu.usage': { '': [10, 10, 91, 10] } },
    });
    const r = await backtestRule(rule({ forSec: 60, clearThreshold: 80 }), 7, undefined, deps(query));
    expect(asked.every((a) => a.maxPoints === 7 * 1440 && a.to - a.from === 7 * 1440 * MIN)).toBe(true);
    // for 60 s on minute averages: 95,95 fires (2 buckets); 96 alone does not; 97,97 fires.
    expect(r.fired).toBe(2);
    expect(r.incidents).toBe(1); // the second firing is within the flap window of the first
    expect(r.series.map((s) => [s.host, s.fired])).toEqual([['web-1', 2]]);
    expect(r.chart?.host).toBe('web-1');
    expect(r.chart?.spans).toHaveLength(2);
    expect(r.chart!.spans[0]!.end! - r.chart!.spans[0]!.start).toBe(MIN); // fired at the 2nd bucket, resolved at the 3rd
    expect(r.note).toMatch(/1-minute averages/);
  });

  it('judges a rule shorter than a bucket by the bucket’s extreme, and says so', async () => {
    const { query } = store({ local: { 'cpu.usage': { '': [50, 89, 50] } } });
    const r = await backtestRule(rule({ forSec: 0 }), 7, undefined, deps(query));
    expect(r.fired).toBe(1); // the max of the 89 bucket is 91
    expect(r.note).toMatch(/maxima/);
  });

  it('follows label patterns and a chosen series', async () => {
    const { query } = store({
      'web-1': { 'fs.used_percent': { '/': [95, 95], '/boot': [99, 99], '/var': [91, 50] } },
    });
    const r = await backtestRule(
      rule({ metric: 'fs.used_percent', labels: '!/boot' }),
      7,
      { host: 'web-1', label: '/var' },
      deps(query),
    );
    expect(r.seriesChecked).toBe(2);
    expect(r.series.map((s) => s.label).sort()).toEqual(['/', '/var']);
    expect(r.chart?.label).toBe('/var');
  });

  it('computes derived ratios from their parts', async () => {
    const GIB = 2 ** 30;
    const { query } = store({
      'web-1': {
        'mem.available': { '': [2 * GIB, 0.3 * GIB, 0.3 * GIB, 3 * GIB] },
        'mem.total': { '': [8 * GIB, 8 * GIB, 8 * GIB, 8 * GIB] },
      },
    });
    const r = await backtestRule(
      rule({
        metric: 'mem.available_percent',
        comparison: '<=',
        threshold: 5,
        clearThreshold: 10,
        forSec: 60,
      }),
      7,
      undefined,
      deps(query),
    );
    expect(r.fired).toBe(1);
    expect(r.chart!.points.slice(0, 2).map(([, v]) => Math.round(v!))).toEqual([25, 4]);
  });

  it('replays host reachability from the recorded outages, for remote hosts only', async () => {
    const { query } = store({}, [
      { start: NOW - 3 * 86_400_000, end: NOW - 3 * 86_400_000 + 10 * MIN, reason: 'timeout' },
    ]);
    const r = await backtestRule(
      rule({ metric: 'host.unreachable', threshold: 1, forSec: 120 }),
      7,
      undefined,
      deps(query),
    );
    expect(r.hosts).toBe(1);
    expect(r.fired).toBe(1);
    expect(r.series[0]).toMatchObject({ host: 'web-1' });
    expect(r.note).toMatch(/outages/);
  });

  it('says when there is nothing to replay', async () => {
    const { query } = store({});
    const r = await backtestRule(rule({ scope: { kind: 'tag', tag: 'web' } }), 1, undefined, deps(query));
    expect(r).toMatchObject({ hosts: 1, seriesChecked: 0, fired: 0, chart: null });
  });
});
