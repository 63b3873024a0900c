// A metric's history: the average as a line per series and its min–max band, with the averaging
// step said out loud, gaps left empty, and an export of exactly what is shown.
import { memo, useMemo, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useClient } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { useDragZoom } from '../../hooks/useDragZoom';
import { useRange } from '../../hooks/useRange';
import { useTimeRange, windowOf } from '../../hooks/useTimeRange';
import { SERIES_PALETTE } from '../../lib/colors';
import { formatZone } from '../../lib/format';
import { describeStep, historyRows } from './history-rows';

interface Props {
  host: string;
  metric: string;
  title: string;
  unit: string;
  format: (value: number) => string;
  /** Fixed 0–100 axis for percentages. */
  percent?: boolean;
  /** Which labels to draw (e.g. not "lo"). */
  keep?: (label: string) => boolean;
  /** How a label reads in the legend and tooltip. */
  labelName?: (label: string) => string;
  testId?: string;
}

const MAX_SERIES = 8;

function timeFormatter(span: number) {
  return (t: number) => {
    const d = new Date(t);
    const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    return span > 36 * 3_600_000 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
  };
}

export const HistoryChart = memo(function HistoryChart(props: Props) {
  const { range } = useTimeRange();
  const zoom = useDragZoom();
  const { data, loading, error } = useRange(props.host, props.metric, range);
  const keep = props.keep;
  const { rows, labels } = useMemo(
    () => (data ? historyRows(data, keep) : { rows: [], labels: [] }),
    [data, keep],
  );
  const shown = labels.slice(0, MAX_SERIES);
  const name = props.labelName ?? ((l: string) => l || props.title);
  const span = data ? data.to - data.from : 0;

  return (
    <Panel
      title={props.title}
      unit={props.unit}
      testId={props.testId}
      note={
        data && (
          <span className="history-note" data-testid="history-step">
            {data.tier === 'raw' ? 'raw samples' : `${data.tier} tier`}, each point the average of{' '}
            {describeStep(data.stepMs)} with its min–max band · {formatZone()}{' '}
            <ExportButton host={props.host} metric={props.metric} />
          </span>
        )
      }
    >
      {error ? (
        <EmptyState title="History is not available">{error}</EmptyState>
      ) : !data && loading ? (
        <div className="skeleton skeleton-chart" aria-busy="true" />
      ) : rows.length === 0 ? (
        <EmptyState title="No history in this range">
          Hyperion had no samples of this host for that time.
        </EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart
            data={rows}
            syncId={`history-${props.host}`}
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            {...zoom.handlers}
          >
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[data!.from, data!.to]}
              tickFormatter={timeFormatter(span)}
              stroke="var(--axis)"
              minTickGap={48}
            />
            <YAxis
              domain={props.percent ? [0, 100] : [0, 'auto']}
              tickFormatter={props.format}
              width={80}
              stroke="var(--axis)"
              allowDataOverflow={props.percent}
            />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(t) => `${new Date(Number(t)).toLocaleString()} (${formatZone()})`}
              formatter={(value, key) => {
                const v = Array.isArray(value)
                  ? `${props.format(Number(value[0]))} – ${props.format(Number(value[1]))}`
                  : props.format(Number(value));
                const [label, kind] = String(key).split(':');
                return [v, `${name(label ?? '')} ${kind === 'band' ? 'min–max' : 'avg'}`];
              }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--panel-border)' }}
            />
            {shown.map((label, i) => (
              <Area
                key={`${label}:band`}
                dataKey={`${label}:band`}
                stroke="none"
                fill={SERIES_PALETTE[i % SERIES_PALETTE.length]}
                fillOpacity={0.18}
                isAnimationActive={false}
                connectNulls={false}
                legendType="none"
              />
            ))}
            {shown.map((label, i) => (
              <Line
                key={`${label}:avg`}
                dataKey={`${label}:avg`}
                name={name(label)}
                stroke={SERIES_PALETTE[i % SERIES_PALETTE.length]}
                // A range holding one or two points (a host watched for a minute) still shows them.
                dot={rows.length <= 2 ? { r: 3 } : false}
                strokeWidth={1.5}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
            {zoom.selection && (
              <ReferenceArea
                x1={zoom.selection.from}
                x2={zoom.selection.to}
                fill="var(--accent)"
                fillOpacity={0.15}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      )}
      {labels.length > MAX_SERIES && (
        <p className="muted small">
          Showing {MAX_SERIES} of {labels.length} series.
        </p>
      )}
    </Panel>
  );
});

function ExportButton({ host, metric }: { host: string; metric: string }) {
  const client = useClient();
  const { range } = useTimeRange();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const download = async (format: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    try {
      const { from, to } = windowOf(range, Date.now());
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
  return (
    <span className="export">
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => void download('csv')}
        data-testid={`export-csv-${metric}`}
      >
        CSV
      </button>
      <button type="button" className="link-button" disabled={busy} onClick={() => void download('json')}>
        JSON
      </button>
      {error && <span className="field-error">{error}</span>}
    </span>
  );
}
