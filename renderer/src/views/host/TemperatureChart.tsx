// One line per sensor in °C, never summed or averaged; "no sensor" is a state, not an error.
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Sample } from '../../../../common/schemas/sample';
import { makeTooltip } from '../../components/ChartTooltip';
import { EmptyState } from '../../components/Panel';
import { SERIES_PALETTE } from '../../lib/colors';
import { formatCelsius } from '../../lib/format';
import { temperatureRows } from './cpu-rows';
import { CHART_GRID } from '../../lib/chart-props';
import { useTimeChart } from '../../hooks/useTimeChart';

const Tip = makeTooltip((v) => formatCelsius(v));

export const TemperatureChart = memo(function TemperatureChart({
  samples,
  syncId,
}: {
  samples: Sample[];
  syncId: string;
}) {
  const { rows, sensors } = useMemo(() => temperatureRows(samples), [samples]);
  const time = useTimeChart(syncId);
  if (sensors.length === 0) {
    return (
      <EmptyState title="No temperature sensor">
        This machine exposes no readable sensor in /sys/class/hwmon or /sys/class/thermal (common in virtual
        machines).
      </EmptyState>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={180}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis domain={[0, 'auto']} unit=" °C" width={56} stroke="var(--axis)" />
        <Tooltip content={Tip} isAnimationActive={false} />
        {sensors.map((sensor, i) => (
          <Line
            key={sensor}
            dataKey={sensor}
            name={sensor}
            type="linear"
            stroke={SERIES_PALETTE[i % SERIES_PALETTE.length]}
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
          />
        ))}
        {time.selection}
      </LineChart>
    </ResponsiveContainer>
  );
});
