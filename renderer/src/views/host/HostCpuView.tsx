// The local machine's CPU, live: headline figures, use by mode, load, every core, temperatures.
import { useMemo } from 'react';
import { EmptyState, Panel } from '../../components/Panel';
import { formatLoad, formatPercent, formatUptime, formatZone } from '../../lib/format';
import { useLiveSamples } from '../../hooks/useLiveSamples';
import { CoreGrid } from './CoreGrid';
import { cpuRows } from './cpu-rows';
import { CpuModeLegend, CpuUsageChart } from './CpuUsageChart';
import { LoadChart, LoadLegend } from './LoadChart';
import { HostSummary } from './HostSummary';
import { TemperatureChart } from './TemperatureChart';

const WINDOW_SEC = 300;

export function HostCpuView({ hostId }: { hostId: string }) {
  const live = useLiveSamples(hostId, WINDOW_SEC);
  const rows = useMemo(() => cpuRows(live.samples), [live.samples]);
  const latest = live.samples[live.samples.length - 1];
  const syncId = `cpu-${hostId}`;

  if (live.status === 'error') {
    return (
      <div className="view">
        <EmptyState title="Live CPU data is not available">{live.error?.message}</EmptyState>
      </div>
    );
  }
  if (!latest) {
    return (
      <div className="view" aria-busy="true">
        <div className="skeleton-row">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="skeleton skeleton-tile" />
          ))}
        </div>
        <div className="skeleton skeleton-chart" />
        <p className="muted">Taking the first samples…</p>
      </div>
    );
  }
  const { host, cpu } = latest;
  return (
    <div className="view">
      <header className="view-header">
        <div>
          <h1>{host.hostname}</h1>
          <p className="muted">
            {host.os} · kernel {host.kernel} · {host.cores} CPUs · up {formatUptime(host.uptimeSec)}
          </p>
        </div>
        <p className="muted small">
          Last {WINDOW_SEC / 60} min, every {(latest.intervalMs / 1000).toFixed(0)} s · times in{' '}
          {formatZone()}
        </p>
      </header>
      <div className="tiles" role="list">
        <Tile
          label="CPU in use"
          value={formatPercent(cpu.total.usage)}
          testId="cpu-total"
          bar={cpu.total.usage}
        />
        <Tile label="Load 1 / 5 / 15 min" value={cpu.load.map(formatLoad).join(' / ')} testId="cpu-load" />
        <Tile label="I/O wait" value={formatPercent(cpu.total.iowait)} testId="cpu-iowait" />
        <Tile label="Steal" value={formatPercent(cpu.total.steal)} testId="cpu-steal" />
      </div>
      <div className="panel-grid">
        <Panel title="CPU use by mode" unit="% of all CPUs" note={<CpuModeLegend />} testId="cpu-usage-panel">
          <CpuUsageChart rows={rows} syncId={syncId} />
        </Panel>
        <Panel title="Load average" unit="runnable tasks" note={<LoadLegend />} testId="load-panel">
          <LoadChart rows={rows} cores={host.cores} syncId={syncId} />
        </Panel>
        <Panel title="Per core" unit="% busy" wide testId="cores-panel">
          <CoreGrid samples={live.samples} />
        </Panel>
        <Panel title="Temperatures" unit="°C" wide testId="temperature-panel">
          <TemperatureChart samples={live.samples} syncId={syncId} />
        </Panel>
      </div>
      <HostSummary sample={latest} />
    </div>
  );
}

function Tile(props: { label: string; value: string; testId: string; bar?: number }) {
  return (
    <div className="tile" role="listitem">
      <div className="tile-label">{props.label}</div>
      <div className="tile-value" data-testid={props.testId}>
        {props.value}
      </div>
      {props.bar !== undefined && (
        <div
          className="bar"
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(props.bar)}
          aria-label={props.label}
        >
          <div className="bar-fill" style={{ width: `${Math.min(100, props.bar)}%` }} />
        </div>
      )}
    </div>
  );
}
