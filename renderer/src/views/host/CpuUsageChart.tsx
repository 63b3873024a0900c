// Total CPU use stacked by mode (idle is not drawn), on a fixed 0–100 % axis.
import { memo } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Threshold } from '../../lib/thresholds';
import { makeTooltip } from '../../components/ChartTooltip';
import { CPU_MODE_COLORS } from '../../lib/colors';
import { formatPercent } from '../../lib/format';
import type { CpuRow } from './cpu-rows';
import { CHART_GRID } from '../../lib/chart-props';
import { useTimeChart } from '../../hooks/useTimeChart';

const MODES = [
  ['user', 'user'],
  ['nice', 'nice'],
  ['system', 'system'],
  ['irq', 'irq'],
  ['softirq', 'softirq'],
  ['iowait', 'iowait'],
  ['steal', 'steal'],
] as const;

const Tip = makeTooltip((v) => formatPercent(v));

export const CpuUsageChart = memo(function CpuUsageChart({
  rows,
  syncId,
  height = 220,
  thresholds,
}: {
  rows: CpuRow[];
  syncId: string;
  height?: number;
  /** Alert thresholds on CPU in use, drawn as dashed lines with their words. */
  thresholds?: readonly Threshold[] | undefined;
}) {
  const time = useTimeChart(syncId);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis
          domain={[0, 100]}
          ticks={[0, 25, 50, 75, 100]}
          unit=" %"
          width={48}
          stroke="var(--axis)"
          allowDataOverflow
        />
        <Tooltip content={Tip} isAnimationActive={false} />
        {MODES.map(([key, name]) => (
          <Area
            key={key}
            dataKey={key}
            name={name}
            stackId="cpu"
            type="linear"
            stroke={CPU_MODE_COLORS[key]}
            fill={CPU_MODE_COLORS[key]}
            fillOpacity={0.55}
            strokeWidth={1}
            isAnimationActive={false}
            dot={false}
          />
        ))}
        {thresholds?.map((t) => (
          <ReferenceLine
            key={t.value}
            y={t.value}
            stroke={t.tone === 'bad' ? 'var(--bad)' : 'var(--warn)'}
            strokeDasharray="4 4"
            ifOverflow="hidden"
            label={{
              value: `alert: ${t.label}`,
              position: 'insideTopRight',
              fill: 'var(--muted)',
              fontSize: 10,
            }}
          />
        ))}
        {time.selection}
      </AreaChart>
    </ResponsiveContainer>
  );
});

export function CpuModeLegend() {
  return (
    <ul className="legend" aria-label="CPU modes">
      {MODES.map(([key, name]) => (
        <li key={key}>
          <span className="swatch" style={{ background: CPU_MODE_COLORS[key] }} aria-hidden />
          {name}
        </li>
      ))}
    </ul>
  );
}
