// The host on one screen: headline tiles, then CPU, memory, network and disk space, small and live.
import { useMemo } from 'react';
import type { MetricTabProps } from '../host-tab-registry';
import { MirroredChart, MirroredLegend, twoWay } from '../../../components/MirroredChart';
import { Panel } from '../../../components/Panel';
import { formatBytes, formatPercent, formatUptime, networkUnitLabel } from '../../../lib/format';
import { cpuRows } from '../cpu-rows';
import { CpuModeLegend, CpuUsageChart } from '../CpuUsageChart';
import { MemoryChart, MemoryLegend } from './MemoryChart';
import { formatBitRate, memoryRows, networkTotalRows } from './rows';
import { useThresholds } from '../../../hooks/useActiveAlerts';
import { ActiveAlertsStrip } from './ActiveAlertsStrip';
import { HostFactsPanel } from './HostFactsPanel';
import { SpaceBars } from './SpaceBars';
import { CpuTiles } from './Tiles';

const NETWORK_SERIES = twoWay('in', 'in', 'out', 'out');

export function OverviewTab({ hostId, samples, syncId, status, host }: MetricTabProps) {
  const cpuThresholds = useThresholds(hostId, host?.tags, 'cpu.usage', formatPercent);
  const cpu = useMemo(() => cpuRows(samples), [samples]);
  const memory = useMemo(() => memoryRows(samples), [samples]);
  const network = useMemo(() => networkTotalRows(samples), [samples]);
  const latest = samples[samples.length - 1]!;
  const m = latest.memory;
  const hasSwap = m.swapTotalBytes > 0;
  const now = network[network.length - 1];
  return (
    <>
      <ActiveAlertsStrip hostId={hostId} />
      <CpuTiles sample={latest} />
      <div className="panel-grid">
        <Panel title="CPU use by mode" unit="% of all CPUs" note={<CpuModeLegend />} testId="cpu-usage-panel">
          <CpuUsageChart rows={cpu} syncId={syncId} thresholds={cpuThresholds} height={160} />
        </Panel>
        <Panel
          title="Memory"
          unit="binary bytes"
          note={<MemoryLegend showSwap={hasSwap} />}
          testId="overview-memory-panel"
        >
          <MemoryChart rows={memory} totalBytes={m.totalBytes} showSwap={hasSwap} syncId={syncId} />
          <p className="chart-caption">
            used {formatBytes(m.usedBytes)} of {formatBytes(m.totalBytes)} (
            {formatPercent(m.totalBytes ? (m.usedBytes / m.totalBytes) * 100 : 0)}) · swap{' '}
            {hasSwap
              ? `${formatBytes(m.swapUsedBytes)} of ${formatBytes(m.swapTotalBytes)}`
              : 'none configured'}
          </p>
        </Panel>
        <Panel
          title="Network, all interfaces but lo"
          unit={networkUnitLabel()}
          note={<MirroredLegend series={NETWORK_SERIES} />}
          testId="overview-network-panel"
        >
          <MirroredChart rows={network} series={NETWORK_SERIES} format={formatBitRate} syncId={syncId} />
          <p className="chart-caption">
            now in {formatBitRate(now?.in ?? 0)} · out {formatBitRate(now?.out ?? 0)} · up{' '}
            {formatUptime(latest.host.uptimeSec)}
          </p>
        </Panel>
        <Panel title="Disk space" unit="% used, binary bytes" testId="overview-disk-space-panel">
          <SpaceBars filesystems={latest.disks.filesystems} />
        </Panel>
        <HostFactsPanel sample={latest} status={status} />
      </div>
    </>
  );
}
