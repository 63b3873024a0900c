// The backtest: the rule replayed on the stored history — "on the last 7 days it would have fired
// N times" — with the series it fired on, and a chart of one of them: the value, the threshold and
// clear threshold, the firing spans shaded and each moment it fired marked.
import { useCallback, useEffect, useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { alertMetricInfo, type AlertRuleInput, type BacktestResult } from '../../../../common/schemas/alerts';
import { useClient } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { formatZone } from '../../lib/format';
import { formatAlertValue, formatDuration, formatTime } from './alert-format';

interface Focus {
  host: string;
  label: string;
}

function dayTick(t: number): string {
  const d = new Date(t);
  return `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:00`;
}

export function BacktestPanel({ rule }: { rule: AlertRuleInput }) {
  const client = useClient();
  const [result, setResult] = useState<BacktestResult>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const [ranWith, setRanWith] = useState<string>();
  const key = JSON.stringify(rule);

  const run = useCallback(
    async (focus?: Focus) => {
      setRunning(true);
      setError(undefined);
      try {
        const r = await client.call('alerts.rules.backtest', { rule, days: 7, ...(focus ? { focus } : {}) });
        setResult(r);
        setRanWith(JSON.stringify(rule));
      } catch (err) {
        setError((err as Error).message);
      } finally {
        setRunning(false);
      }
    },
    // The rule object changes identity on every render of the editor; its content is what counts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, key],
  );
  // Run once when opened; later edits offer to run again rather than querying on every key.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => void run(), []);

  const metric = rule.metric;
  const transform = rule.transform ?? 'value';
  const fmt = (v: number) => formatAlertValue(metric, v, transform);
  const percent = alertMetricInfo(metric)?.unit === 'percent' && transform === 'value';
  const threshold = typeof rule.threshold === 'number' ? rule.threshold : undefined;
  const clear = typeof rule.clearThreshold === 'number' ? rule.clearThreshold : undefined;
  const chart = result?.chart;
  const data = chart?.points.map(([t, v]) => ({ t, v })) ?? [];
  // A short history (a fresh install) has a few isolated points: draw them as dots, or nothing shows.
  const sparse = data.filter((d) => d.v !== null).length <= 60;

  return (
    <section className="backtest" data-testid="backtest-result" aria-busy={running}>
      <header className="panel-header">
        <h2>Backtest</h2>
        {ranWith !== undefined && ranWith !== key && (
          <button type="button" onClick={() => void run()} disabled={running}>
            Run again with these settings
          </button>
        )}
      </header>
      {running && !result && (
        <p role="status" className="muted">
          Replaying the last 7 days of stored history…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="backtest-summary" data-testid="backtest-summary">
            On the stored history of the last 7 days this rule would have fired{' '}
            <strong>{result.fired}</strong> {result.fired === 1 ? 'time' : 'times'}
            {result.fired > 0 &&
              result.incidents !== result.fired &&
              ` (${result.incidents} incidents once flapping is folded in)`}
            , on {result.series.length} of {result.seriesChecked} series across {result.hosts} host
            {result.hosts === 1 ? '' : 's'}.
          </p>
          <p className="muted small">{result.note}</p>
          {chart ? (
            <figure className="backtest-chart" data-testid="backtest-chart">
              <figcaption className="small">
                {chart.hostName}
                {chart.label && ` · ${chart.label}`} ({alertMetricInfo(metric)?.title}
                {transform === 'rate' ? ' rate' : ''}, {formatZone()}) — shaded: firing; ▼ each time it fired
              </figcaption>
              <ResponsiveContainer width="100%" height={220}>
                <ComposedChart data={data} margin={{ top: 12, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="var(--grid)" vertical={false} />
                  <XAxis
                    dataKey="t"
                    type="number"
                    scale="time"
                    domain={[result.from, result.to]}
                    tickFormatter={dayTick}
                    stroke="var(--axis)"
                    minTickGap={64}
                  />
                  <YAxis
                    domain={percent ? [0, 100] : [0, 'auto']}
                    tickFormatter={fmt}
                    width={80}
                    stroke="var(--axis)"
                    allowDataOverflow={percent}
                  />
                  <Tooltip
                    isAnimationActive={false}
                    labelFormatter={(t) => `${new Date(Number(t)).toLocaleString()} (${formatZone()})`}
                    formatter={(v) => [fmt(Number(v)), 'value']}
                    contentStyle={{ background: 'var(--panel)', border: '1px solid var(--panel-border)' }}
                  />
                  {chart.spans.map((s) => (
                    <ReferenceArea
                      key={`span-${s.start}`}
                      x1={s.start}
                      x2={s.end ?? result.to}
                      fill="var(--bad)"
                      fillOpacity={0.15}
                      ifOverflow="extendDomain"
                    />
                  ))}
                  {threshold !== undefined && (
                    <ReferenceLine
                      y={threshold}
                      stroke="var(--bad)"
                      strokeDasharray="6 3"
                      label={{
                        value: `fires ${fmt(threshold)}`,
                        fill: 'var(--bad)',
                        fontSize: 11,
                        position: 'insideTopRight',
                      }}
                    />
                  )}
                  {clear !== undefined && clear !== threshold && (
                    <ReferenceLine
                      y={clear}
                      stroke="var(--warn)"
                      strokeDasharray="2 3"
                      label={{
                        value: `clears ${fmt(clear)}`,
                        fill: 'var(--warn)',
                        fontSize: 11,
                        position: 'insideBottomRight',
                      }}
                    />
                  )}
                  <Line
                    dataKey="v"
                    stroke="var(--c-s1)"
                    dot={sparse ? { r: 2 } : false}
                    strokeWidth={1.2}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                  {chart.spans.map((s) => (
                    <ReferenceDot
                      key={`fired-${s.start}`}
                      x={s.start}
                      y={threshold ?? 0}
                      r={5}
                      fill="var(--bad)"
                      stroke="var(--panel)"
                      shape={(p: { cx?: number; cy?: number }) => (
                        <path
                          d={`M${(p.cx ?? 0) - 6},${(p.cy ?? 0) - 10} h12 l-6,9 z`}
                          fill="var(--bad)"
                          className="backtest-mark"
                        />
                      )}
                    />
                  ))}
                </ComposedChart>
              </ResponsiveContainer>
            </figure>
          ) : (
            <EmptyState title="No stored history to replay">
              The hosts in scope have no samples of this metric in the last 7 days.
            </EmptyState>
          )}
          {result.series.length > 0 && (
            <table className="compact-table" data-testid="backtest-series">
              <thead>
                <tr>
                  <th>Host</th>
                  <th className="num">Fired</th>
                  <th className="num">Firing in all</th>
                  <th>Last time</th>
                </tr>
              </thead>
              <tbody>
                {result.series.map((s) => (
                  <tr
                    key={`${s.host}|${s.label}`}
                    className={chart?.host === s.host && chart.label === s.label ? 'selected' : undefined}
                  >
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => void run({ host: s.host, label: s.label })}
                      >
                        {s.hostName}
                        {s.label && ` · ${s.label}`}
                      </button>
                    </td>
                    <td className="num">{s.fired}</td>
                    <td className="num">{formatDuration(s.firingMs)}</td>
                    <td>{s.spans.length > 0 ? formatTime(s.spans[s.spans.length - 1]!.start) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
