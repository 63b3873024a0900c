// A host's past, from the store: every metric group over the chosen range.
import { HistoryChart } from './HistoryChart';
import { formatBitsPerSec, formatBytes, formatCelsius, formatLoad, formatPercent } from '../../lib/format';

const notLoopback = (label: string): boolean => label !== 'lo';

export function HostHistory({ hostId }: { hostId: string }) {
  return (
    <div
      className="panel-grid"
      data-testid="host-history"
      title="Drag across a chart to zoom in; double-click to go back to live"
    >
      <HistoryChart
        host={hostId}
        metric="cpu.usage"
        title="CPU in use"
        unit="% of all CPUs"
        format={formatPercent}
        percent
        testId="history-cpu"
      />
      <HistoryChart
        host={hostId}
        metric="load.1"
        title="Load average, 1 min"
        unit="runnable tasks"
        format={formatLoad}
      />
      <HistoryChart
        host={hostId}
        metric="mem.used"
        title="Memory used"
        unit="binary bytes"
        format={formatBytes}
      />
      <HistoryChart
        host={hostId}
        metric="swap.used"
        title="Swap used"
        unit="binary bytes"
        format={formatBytes}
      />
      <HistoryChart
        host={hostId}
        metric="net.rx"
        title="Network received"
        unit="bits/s"
        format={formatBitsPerSec}
        keep={notLoopback}
      />
      <HistoryChart
        host={hostId}
        metric="net.tx"
        title="Network sent"
        unit="bits/s"
        format={formatBitsPerSec}
        keep={notLoopback}
      />
      <HistoryChart
        host={hostId}
        metric="fs.used_percent"
        title="Disk space used"
        unit="% per mount"
        format={formatPercent}
        percent
      />
      <HistoryChart
        host={hostId}
        metric="disk.busy"
        title="Disk busy"
        unit="% per device"
        format={formatPercent}
        percent
      />
      <HistoryChart
        host={hostId}
        metric="temperature"
        title="Temperatures"
        unit="°C"
        format={formatCelsius}
      />
    </div>
  );
}
