// A two-way metric over time, mirrored around zero on one shared scale: in/read above, out/write below.
import { memo, useMemo } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { makeTooltip } from './ChartTooltip';
import { CHART_GRID } from '../lib/chart-props';
import { useTimeChart } from '../hooks/useTimeChart';

/** A domain symmetric around zero that holds every value of `keys`, so both directions share a scale. */
export function mirroredDomain(
  rows: readonly Record<string, number>[],
  keys: readonly string[],
): [number, number] {
  let peak = 0;
  for (const row of rows) for (const key of keys) peak = Math.max(peak, Math.abs(row[key] ?? 0));
  const max = peak > 0 ? peak * 1.05 : 1;
  return [-max, max];
}

export interface MirroredSeries {
  /** Row key; values below zero are the outward direction (out, transmit, write). */
  key: string;
  name: string;
  color: string;
  /** Drawn below zero. */
  down?: boolean;
}

/** The usual pair: one direction above zero, the other below, in the two standard colours. */
export function twoWay(upKey: string, upName: string, downKey: string, downName: string): MirroredSeries[] {
  return [
    { key: upKey, name: upName, color: 'var(--c-s1)' },
    { key: downKey, name: downName, color: 'var(--c-s2)', down: true },
  ];
}

interface Props {
  rows: readonly object[];
  series: readonly MirroredSeries[];
  /** Formats a magnitude with its unit; the sign only says the direction. */
  format: (value: number) => string;
  syncId?: string;
  height?: number;
  /** Lines rather than filled areas (for sparse counts such as errors). */
  lines?: boolean;
  /** Y-axis width in pixels, room for the longest tick with its unit. */
  axisWidth?: number;
}

export const MirroredChart = memo(function MirroredChart(props: Props) {
  const { rows, series, format, syncId, height = 160, lines = false, axisWidth = 76 } = props;
  const time = useTimeChart(syncId);
  const keys = useMemo(() => series.map((s) => s.key), [series]);
  const domain = useMemo(() => mirroredDomain(rows as Record<string, number>[], keys), [rows, keys]);
  const Tip = useMemo(() => makeTooltip((v) => format(v)), [format]);
  const half = domain[1];
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis
          domain={domain}
          ticks={[-half, 0, half]}
          tickFormatter={(v: number) => format(v)}
          width={axisWidth}
          stroke="var(--axis)"
          allowDataOverflow
          fontSize={11}
        />
        <Tooltip content={Tip} isAnimationActive={false} />
        <ReferenceLine y={0} stroke="var(--axis)" />
        {series.map((s) =>
          lines ? (
            <Line
              key={s.key}
              dataKey={s.key}
              name={`${s.name} ${s.down ? '↓' : '↑'}`}
              type="linear"
              stroke={s.color}
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
            />
          ) : (
            <Area
              key={s.key}
              dataKey={s.key}
              name={`${s.name} ${s.down ? '↓' : '↑'}`}
              type="linear"
              stroke={s.color}
              fill={s.color}
              fillOpacity={0.35}
              strokeWidth={1}
              dot={false}
              isAnimationActive={false}
            />
          ),
        )}
        {time.selection}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

/** The legend of a mirrored chart: which series is drawn above zero and which below. */
export function MirroredLegend({ series }: { series: readonly MirroredSeries[] }) {
  return (
    <ul className="legend" aria-label="Series, above and below zero">
      {series.map((s) => (
        <li key={s.key}>
          <span className="swatch" style={{ background: s.color }} aria-hidden />
          {s.name} {s.down ? '↓ below 0' : '↑ above 0'}
        </li>
      ))}
    </ul>
  );
}
