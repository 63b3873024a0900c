// Load average 1/5/15 min next to CPU use, with the core count drawn as the saturation line.
import { memo } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { makeTooltip } from '../../components/ChartTooltip';
import { LOAD_COLORS } from '../../lib/colors';
import { formatLoad } from '../../lib/format';
import type { CpuRow } from './cpu-rows';
import { CHART_GRID } from '../../lib/chart-props';
import { useTimeChart } from '../../hooks/useTimeChart';

const SERIES = [
  ['load1', '1 min'],
  ['load5', '5 min'],
  ['load15', '15 min'],
] as const;

const Tip = makeTooltip((v) => formatLoad(v));

export const LoadChart = memo(function LoadChart({
  rows,
  cores,
  syncId,
}: {
  rows: CpuRow[];
  cores: number;
  syncId: string;
}) {
  const time = useTimeChart(syncId);
  const peak = rows.reduce((m, r) => Math.max(m, r.load1, r.load5, r.load15), 0);
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis
          domain={[0, Math.max(cores, Math.ceil(peak * 1.1))]}
          width={40}
          stroke="var(--axis)"
          allowDecimals
        />
        <Tooltip content={Tip} isAnimationActive={false} />
        <ReferenceLine
          y={cores}
          stroke="var(--warn)"
          strokeDasharray="4 4"
          label={{ value: `${cores} cores`, position: 'insideTopRight', fill: 'var(--muted)', fontSize: 11 }}
        />
        {SERIES.map(([key, name], i) => (
          <Line
            key={key}
            dataKey={key}
            name={name}
            type="linear"
            stroke={LOAD_COLORS[i]}
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        {time.selection}
      </LineChart>
    </ResponsiveContainer>
  );
});

export function LoadLegend() {
  return (
    <ul className="legend" aria-label="Load average periods">
      {SERIES.map(([key, name], i) => (
        <li key={key}>
          <span className="swatch" style={{ background: LOAD_COLORS[i] }} aria-hidden />
          {name}
        </li>
      ))}
    </ul>
  );
}
