// The CPU in detail: headline figures, use by mode, load beside it, every core, temperatures.
import { useMemo } from 'react';
import type { Sample } from '../../../../../common/schemas/sample';
import { Panel } from '../../../components/Panel';
import { CoreGrid } from '../CoreGrid';
import { cpuRows } from '../cpu-rows';
import { CpuModeLegend, CpuUsageChart } from '../CpuUsageChart';
import { LoadChart, LoadLegend } from '../LoadChart';
import { TemperatureChart } from '../TemperatureChart';
import { CpuTiles } from './Tiles';

export function CpuTab({ samples, syncId }: { samples: Sample[]; syncId: string }) {
  const rows = useMemo(() => cpuRows(samples), [samples]);
  const latest = samples[samples.length - 1]!;
  return (
    <>
      <CpuTiles sample={latest} />
      <div className="panel-grid">
        <Panel title="CPU use by mode" unit="% of all CPUs" note={<CpuModeLegend />} testId="cpu-usage-panel">
          <CpuUsageChart rows={rows} syncId={syncId} />
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
