// A chart of stored history: per series the average as a line and its min–max band (or stacked
// averages with the peak drawn on top), mirrored below zero for the outward direction, with the
// averaging step said out loud, outages shaded, gaps left empty, and an export of what is shown.
import { memo, useMemo, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SeriesSet } from '../../../../common/schemas/history';
import { useClient } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { useRanges } from '../../hooks/useRange';
import { useTimeChart } from '../../hooks/useTimeChart';
import { useTimeFormat, useTimeRange, windowOf } from '../../hooks/useTimeRange';
import { serverNow } from '../../lib/server-clock';
import type { Threshold } from '../../lib/thresholds';
import {
  describeStep,
  historyData,
  peakMagnitude,
  stackedPeak,
  type ResolvedSeries,
  type SeriesSpec,
} from './history-rows';
import './history.css';

export type { Threshold } from '../../lib/thresholds';

interface Props {
  host: string;
  title: string;
  unit: string;
  series: readonly SeriesSpec[];
  /** Formats a magnitude with its unit (the sign of a mirrored value only says the direction). */
  format: (value: number) => string;
  /** Fixed 0–100 axis for percentages. */
  percent?: boolean;
  /** Two-way: a symmetric axis around zero. */
  mirrored?: boolean;
  /** Which labels of expanded series to draw (e.g. not "lo"). */
  keep?: (label: string) => boolean;
  maxSeries?: number;
  thresholds?: readonly Threshold[];
  /** A horizontal reference, e.g. the core count on a load chart. */
  reference?: { value: number; label: string };
  height?: number;
  wide?: boolean;
  testId?: string;
  /** Charts with the same id share a crosshair; defaults to the host's. */
  syncId?: string;
  /** What an empty range means for this chart (e.g. "no sensor"). */
  emptyText?: string;
}

const stableKeep = () => true;

export const HistoryChart = memo(function HistoryChart(props: Props) {
  const { range } = useTimeRange();
  const metrics = useMemo(() => [...new Set(props.series.map((s) => s.metric))], [props.series]);
  const { sets, loading, error, retry } = useRanges(props.host, metrics, range);
  const keep = props.keep ?? stableKeep;
  const data = useMemo(
    () => (sets ? historyData(props.series, sets, { keep, maxSeries: props.maxSeries }) : undefined),
    [sets, props.series, keep, props.maxSeries],
  );
  const first: SeriesSet | undefined = sets?.get(metrics[0]!);
  const span = first ? first.to - first.from : 0;
  const time = useTimeChart(props.syncId ?? `host-${props.host}`, { span });
  const rows = useMemo(() => data?.rows ?? [], [data]);
  const shown = useMemo(() => data?.series ?? [], [data]);
  const yDomain = useMemo((): [number, number | 'auto'] => {
    if (props.percent) return [0, 100];
    if (props.mirrored) {
      const m = peakMagnitude(rows) * 1.05 || 1;
      return [-m, m];
    }
    const top = Math.max(
      stackedPeak(rows, shown),
      props.reference?.value ?? 0,
      ...(props.thresholds ?? []).map((t) => t.value),
    );
    return [0, top > 0 ? top * 1.05 : 'auto'];
  }, [rows, shown, props.percent, props.mirrored, props.reference, props.thresholds]);
  const Tip = useMemo(() => makeHistoryTooltip(shown, props.format), [shown, props.format]);

  return (
    <Panel
      title={props.title}
      unit={props.unit}
      testId={props.testId}
      wide={props.wide}
      note={
        <>
          {shown.length > 1 && <HistoryLegend series={shown} mirrored={props.mirrored ?? false} />}
          {first && (
            <span className="history-note" data-testid="history-step">
              {first.tier === 'raw' ? 'raw samples' : `${first.tier} tier`}, each point the average of{' '}
              {describeStep(first.stepMs)}
              {shown.some((s) => s.stack)
                ? ', stacked, peak dashed'
                : shown.some((s) => !s.peak)
                  ? ' with its min–max band'
                  : ''}{' '}
              · {time.format.label(first.to)} <ExportButtons host={props.host} metrics={metrics} />
            </span>
          )}
        </>
      }
    >
      {error ? (
        <EmptyState title="History is not available">
          {error}{' '}
          <button type="button" className="link-button" onClick={retry} data-testid="history-retry">
            Try again
          </button>
        </EmptyState>
      ) : !sets && loading ? (
        <div className="skeleton skeleton-chart" aria-busy="true" style={{ height: props.height ?? 200 }} />
      ) : rows.length === 0 ? (
        <EmptyState title="No history in this range">
          {props.emptyText ?? 'Hyperion had no samples of this host for that time.'}
        </EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={props.height ?? 200}>
          <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...time.chart}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis {...time.axis} dataKey="t" domain={[first!.from, first!.to]} />
            <YAxis
              domain={yDomain}
              ticks={
                props.mirrored && typeof yDomain[1] === 'number' ? [-yDomain[1], 0, yDomain[1]] : undefined
              }
              tickFormatter={(v: number) => props.format(Math.abs(v))}
              width={80}
              stroke="var(--axis)"
              allowDataOverflow={props.percent || props.mirrored}
              fontSize={11}
            />
            <Tooltip content={Tip} isAnimationActive={false} />
            {first!.outages.map((o) => (
              <ReferenceArea
                key={o.start}
                x1={Math.max(o.start, first!.from)}
                x2={Math.min(o.end ?? first!.to, first!.to)}
                fill="var(--bad)"
                fillOpacity={0.08}
                ifOverflow="hidden"
                label={{ value: 'unreachable', position: 'insideTop', fill: 'var(--muted)', fontSize: 10 }}
              />
            ))}
            {props.thresholds?.map((t) => (
              <ReferenceLine
                key={t.value}
                y={t.value}
                stroke={t.tone === 'bad' ? 'var(--bad)' : 'var(--warn)'}
                strokeDasharray="4 4"
                label={{ value: t.label, position: 'insideTopRight', fill: 'var(--muted)', fontSize: 10 }}
              />
            ))}
            {props.reference && (
              <ReferenceLine
                y={props.reference.value}
                stroke="var(--warn)"
                strokeDasharray="4 4"
                label={{
                  value: props.reference.label,
                  position: 'insideBottomRight',
                  fill: 'var(--muted)',
                  fontSize: 11,
                }}
              />
            )}
            {props.mirrored && <ReferenceLine y={0} stroke="var(--axis)" />}
            {shown.map((s) =>
              s.stack ? (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.name}
                  stackId={s.stack}
                  type="linear"
                  stroke={s.color}
                  fill={s.color}
                  fillOpacity={0.55}
                  strokeWidth={1}
                  isAnimationActive={false}
                  connectNulls={false}
                  dot={false}
                />
              ) : s.peak ? (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.name}
                  type="linear"
                  stroke={s.color}
                  strokeDasharray="3 3"
                  strokeWidth={1}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ) : (
                [
                  <Area
                    key={`${s.key}b`}
                    dataKey={`${s.key}b`}
                    stroke="none"
                    fill={s.color}
                    fillOpacity={0.18}
                    isAnimationActive={false}
                    connectNulls={false}
                    legendType="none"
                    activeDot={false}
                  />,
                  <Line
                    key={s.key}
                    dataKey={s.key}
                    name={s.name}
                    type="linear"
                    stroke={s.color}
                    // A range holding one or two points (a host watched for a minute) still shows them.
                    dot={rows.length <= 2 ? { r: 3 } : false}
                    strokeWidth={1.5}
                    isAnimationActive={false}
                    connectNulls={false}
                  />,
                ]
              ),
            )}
            {time.selection}
          </ComposedChart>
        </ResponsiveContainer>
      )}
      {data && data.hidden > 0 && (
        <p className="muted small">
          Showing the {data.total - data.hidden} busiest of {data.total} series.
        </p>
      )}
    </Panel>
  );
});

function HistoryLegend({ series, mirrored }: { series: readonly ResolvedSeries[]; mirrored: boolean }) {
  return (
    <ul className="legend" aria-label="Series">
      {series.map((s) => (
        <li key={s.key}>
          <span
            className={`swatch${s.peak ? ' swatch-dashed' : ''}`}
            style={{ background: s.peak ? undefined : s.color, borderColor: s.color }}
            aria-hidden
          />
          {s.name}
          {mirrored && (s.down ? ' ↓' : ' ↑')}
        </li>
      ))}
    </ul>
  );
}

interface TipPayload {
  dataKey?: unknown;
  value?: unknown;
  payload?: Record<string, unknown>;
}

function makeHistoryTooltip(series: readonly ResolvedSeries[], format: (v: number) => string) {
  return function HistoryTooltip(props: {
    active?: boolean;
    label?: unknown;
    payload?: readonly TipPayload[];
  }) {
    const time = useTimeFormat();
    const { active, label, payload } = props;
    if (!active || !payload?.length) return null;
    const t = Number(label);
    const row = payload[0]?.payload ?? {};
    return (
      <div className="chart-tooltip" role="status">
        <div className="chart-tooltip-time">
          {time.dateTime(t)} <span className="muted">{time.label(t)}</span>
        </div>
        {[...series].reverse().map((s) => {
          const v = row[s.key];
          if (typeof v !== 'number') return null;
          const band = row[`${s.key}b`];
          return (
            <div key={s.key} className="chart-tooltip-row">
              <span className="swatch" style={{ background: s.color }} aria-hidden />
              <span>
                {s.name}
                {s.peak ? '' : ' avg'}
              </span>
              <span className="chart-tooltip-value">
                {format(Math.abs(v))}
                {Array.isArray(band) && (
                  <span className="muted">
                    {' '}
                    ({format(Math.abs(s.down ? band[1] : band[0]))}–
                    {format(Math.abs(s.down ? band[0] : band[1]))})
                  </span>
                )}
              </span>
            </div>
          );
        })}
      </div>
    );
  };
}

function ExportButtons({ host, metrics }: { host: string; metrics: readonly string[] }) {
  const client = useClient();
  const { range } = useTimeRange();
  const { zone } = useTimeFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const download = async (metric: string, format: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    try {
      const { from, to } = windowOf(range, serverNow(), zone);
      const file = await client.call('metrics.export', {
        host,
        metric,
        from: Math.floor(from),
        to: Math.ceil(to),
        format,
      });
      const url = URL.createObjectURL(new Blob([file.body], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const buttons = (metric: string) => (
    <>
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => void download(metric, 'csv')}
        data-testid={`export-csv-${metric}`}
        title={`Download ${metric} over this range as CSV`}
      >
        CSV
      </button>
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => void download(metric, 'json')}
        title={`Download ${metric} over this range as JSON`}
      >
        JSON
      </button>
    </>
  );
  return (
    <span className="export">
      {metrics.length === 1 ? (
        buttons(metrics[0]!)
      ) : (
        <details className="export-menu">
          <summary>Export</summary>
          <ul>
            {metrics.map((m) => (
              <li key={m}>
                <code>{m}</code> {buttons(m)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {error && <span className="field-error">{error}</span>}
    </span>
  );
}
