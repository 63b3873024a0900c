// Memory over time in binary bytes: used, buffers and cache stacked up to the total; swap its own line.
import { memo } from 'react';
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
import { makeTooltip } from '../../../components/ChartTooltip';
import { formatBytes } from '../../../lib/format';
import { byteTicks, type MemoryRow } from './rows';
import { CHART_GRID } from '../../../lib/chart-props';
import { useTimeChart } from '../../../hooks/useTimeChart';

export const MEMORY_SERIES = [
  { key: 'used', name: 'used', color: 'var(--c-s1)' },
  { key: 'buffers', name: 'buffers', color: 'var(--c-s5)' },
  { key: 'cache', name: 'cache', color: 'var(--c-s3)' },
] as const;
const AVAILABLE_COLOR = 'var(--c-s4)';
const SWAP_COLOR = 'var(--c-s2)';

const Tip = makeTooltip((v) => formatBytes(v));

export const MemoryChart = memo(function MemoryChart(props: {
  rows: MemoryRow[];
  totalBytes: number;
  /** Swap drawn as its own line when the host has any. */
  showSwap: boolean;
  showAvailable?: boolean;
  syncId: string;
  height?: number;
}) {
  const { rows, totalBytes, showSwap, showAvailable = false, syncId, height = 160 } = props;
  const time = useTimeChart(syncId);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis
          domain={[0, totalBytes || 'auto']}
          ticks={totalBytes ? byteTicks(totalBytes) : undefined}
          tickFormatter={(v: number) => formatBytes(v)}
          width={72}
          stroke="var(--axis)"
          fontSize={11}
          allowDataOverflow
        />
        <Tooltip content={Tip} isAnimationActive={false} />
        <ReferenceLine y={totalBytes} stroke="var(--axis)" strokeDasharray="4 4" />
        {MEMORY_SERIES.map((s) => (
          <Area
            key={s.key}
            dataKey={s.key}
            name={s.name}
            stackId="memory"
            type="linear"
            stroke={s.color}
            fill={s.color}
            fillOpacity={0.45}
            strokeWidth={1}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        {showAvailable && (
          <Line
            dataKey="available"
            name="available"
            type="linear"
            stroke={AVAILABLE_COLOR}
            strokeDasharray="5 3"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        )}
        {showSwap && (
          <Line
            dataKey="swapUsed"
            name="swap used"
            type="linear"
            stroke={SWAP_COLOR}
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        )}
        {time.selection}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

export function MemoryLegend(props: { showSwap: boolean; showAvailable?: boolean }) {
  return (
    <ul className="legend" aria-label="Memory series">
      {MEMORY_SERIES.map((s) => (
        <li key={s.key}>
          <span className="swatch" style={{ background: s.color }} aria-hidden />
          {s.name}
        </li>
      ))}
      {props.showAvailable && (
        <li>
          <span className="swatch" style={{ background: AVAILABLE_COLOR }} aria-hidden />
          available (line)
        </li>
      )}
      {props.showSwap ? (
        <li>
          <span className="swatch" style={{ background: SWAP_COLOR }} aria-hidden />
          swap used (line)
        </li>
      ) : (
        <li>no swap</li>
      )}
      <li>top line: total</li>
    </ul>
  );
}
