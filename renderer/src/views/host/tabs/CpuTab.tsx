// The CPU in detail: headline figures, use by mode, load beside it, every core, temperatures.
import { useMemo } from 'react';
import { useThresholds } from '../../../hooks/useActiveAlerts';
import { formatPercent } from '../../../lib/format';
import type { MetricTabProps } from '../host-tab-registry';
import { Panel } from '../../../components/Panel';
import { CoreGrid } from '../CoreGrid';
import { cpuRows } from '../cpu-rows';
import { CpuModeLegend, CpuUsageChart } from '../CpuUsageChart';
import { LoadChart, LoadLegend } from '../LoadChart';
import { TemperatureChart } from '../TemperatureChart';
import { CpuTiles } from './Tiles';

export function CpuTab({ hostId, samples, syncId, host }: MetricTabProps) {
  const cpuThresholds = useThresholds(hostId, host?.tags, 'cpu.usage', formatPercent);
  const rows = useMemo(() => cpuRows(samples), [samples]);
  const latest = samples[samples.length - 1]!;
  return (
    <>
      <CpuTiles sample={latest} />
      <div className="panel-grid">
        <Panel title="CPU use by mode" unit="% of all CPUs" note={<CpuModeLegend />} testId="cpu-usage-panel">
          <CpuUsageChart rows={rows} syncId={syncId} thresholds={cpuThresholds} />
        </Panel>
        <Panel
          title="Load average"
          unit={`runnable tasks, ${latest.host.cores} cores`}
          note={<LoadLegend />}
          testId="load-panel"
        >
          <LoadChart rows={rows} cores={latest.host.cores} syncId={syncId} />
        </Panel>
        <Panel title="Per core" unit="% busy" wide testId="cores-panel">
          <CoreGrid samples={samples} syncId={syncId} />
        </Panel>
        <Panel title="Temperatures" unit="°C" wide testId="temperature-panel">
          <TemperatureChart samples={samples} syncId={syncId} />
        </Panel>
      </div>
    </>
  );
}
