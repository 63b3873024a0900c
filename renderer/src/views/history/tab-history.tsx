// Each metric tab's history (host-tab-registry.ts): the same groups as the live tab, over the
// app-wide range, from the store's downsampled query — never more points than pixels.
import type { MetricHistoryProps } from '../host/host-tab-registry';
import { useThresholds } from '../../hooks/useActiveAlerts';
import { useKnownFacts } from '../../hooks/useLiveSamples';
import { CPU_MODE_COLORS, LOAD_COLORS } from '../../lib/colors';
import {
  formatNetRate,
  networkUnitLabel,
  formatBytes,
  formatBytesPerSec,
  formatCelsius,
  formatLoad,
  formatPercent,
} from '../../lib/format';
import { SPACE_CRITICAL_PERCENT, SPACE_WARN_PERCENT } from '../host/tabs/rows';
import { HistoryChart, type Threshold } from './HistoryChart';
import type { SeriesSpec } from './history-rows';

const notLoopback = (label: string): boolean => label !== 'lo';

const SPACE_THRESHOLDS: readonly Threshold[] = [
  { value: SPACE_WARN_PERCENT, tone: 'warn', label: `warning ${SPACE_WARN_PERCENT} %` },
  { value: SPACE_CRITICAL_PERCENT, tone: 'bad', label: `critical ${SPACE_CRITICAL_PERCENT} %` },
];

const formatPerSec = (unit: string) => (v: number) =>
  `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
const formatPackets = formatPerSec('packets/s');
const formatErrors = formatPerSec('/s');
const formatIops = formatPerSec('IOPS');

const CPU_USAGE: readonly SeriesSpec[] = [
  { metric: 'cpu.usage', name: 'CPU in use', color: 'var(--c-user)' },
];
const CPU_MODES: readonly SeriesSpec[] = [
  ...(['user', 'nice', 'system', 'irq', 'softirq', 'iowait', 'steal'] as const).map((mode): SeriesSpec => ({
    metric: `cpu.${mode}`,
    name: mode,
    color: CPU_MODE_COLORS[mode],
    stack: 'cpu',
  })),
  { metric: 'cpu.usage', name: 'peak in use', color: 'var(--text)', peak: true },
];
const LOAD: readonly SeriesSpec[] = [
  { metric: 'load.1', name: '1 min', color: LOAD_COLORS[0] },
  { metric: 'load.5', name: '5 min', color: LOAD_COLORS[1] },
  { metric: 'load.15', name: '15 min', color: LOAD_COLORS[2] },
];
const LOAD_1: readonly SeriesSpec[] = [{ metric: 'load.1', name: 'load 1 min', color: LOAD_COLORS[0] }];
const CORES: readonly SeriesSpec[] = [{ metric: 'cpu.core.usage', name: (l) => `cpu${l}` }];
const TEMPERATURES: readonly SeriesSpec[] = [{ metric: 'temperature' }];
const MEMORY_USED: readonly SeriesSpec[] = [{ metric: 'mem.used', name: 'used', color: 'var(--c-s1)' }];
const MEMORY_STACK: readonly SeriesSpec[] = [
  { metric: 'mem.used', name: 'used', color: 'var(--c-s1)', stack: 'mem' },
  { metric: 'mem.buffers', name: 'buffers', color: 'var(--c-s5)', stack: 'mem' },
  { metric: 'mem.cached', name: 'cache', color: 'var(--c-s3)', stack: 'mem' },
  { metric: 'mem.used', name: 'peak used', color: 'var(--text)', peak: true },
  { metric: 'mem.total', name: 'total', color: 'var(--axis)', peak: true },
];
const MEMORY_AVAILABLE: readonly SeriesSpec[] = [
  { metric: 'mem.available', name: 'available', color: 'var(--c-s4)' },
];
const SWAP_USED: readonly SeriesSpec[] = [{ metric: 'swap.used', name: 'swap used', color: 'var(--c-s2)' }];
const SWAP_ACTIVITY: readonly SeriesSpec[] = [
  { metric: 'swap.in', name: 'swapped in', color: 'var(--c-s1)' },
  { metric: 'swap.out', name: 'swapped out', color: 'var(--c-s2)', down: true },
];
const NET_BANDWIDTH: readonly SeriesSpec[] = [
  { metric: 'net.rx', name: (l) => `${l} in` },
  { metric: 'net.tx', name: (l) => `${l} out`, down: true },
];
const NET_PACKETS: readonly SeriesSpec[] = [
  { metric: 'net.rx_packets', name: (l) => `${l} in` },
  { metric: 'net.tx_packets', name: (l) => `${l} out`, down: true },
];
const NET_ERRORS: readonly SeriesSpec[] = [
  { metric: 'net.rx_errors', name: (l) => `${l} errors in`, color: 'var(--bad)' },
  { metric: 'net.rx_drops', name: (l) => `${l} drops in`, color: 'var(--warn)' },
  { metric: 'net.tx_errors', name: (l) => `${l} errors out`, color: 'var(--bad)', down: true },
  { metric: 'net.tx_drops', name: (l) => `${l} drops out`, color: 'var(--warn)', down: true },
];
const FS_USED: readonly SeriesSpec[] = [{ metric: 'fs.used_percent' }];
const FS_INODES: readonly SeriesSpec[] = [{ metric: 'fs.inodes_used_percent' }];
const DISK_THROUGHPUT: readonly SeriesSpec[] = [
  { metric: 'disk.read', name: (l) => `${l} read` },
  { metric: 'disk.write', name: (l) => `${l} write`, down: true },
];
const DISK_IOPS: readonly SeriesSpec[] = [
  { metric: 'disk.read_iops', name: (l) => `${l} read` },
  { metric: 'disk.write_iops', name: (l) => `${l} write`, down: true },
];
const DISK_BUSY: readonly SeriesSpec[] = [{ metric: 'disk.busy' }];

function Grid(props: { hostId: string; children: React.ReactNode; testId: string }) {
  return (
    <div
      className="panel-grid history-grid"
      data-testid={props.testId}
      title="Drag across a chart to zoom in; double-click to go back to live"
    >
      {props.children}
    </div>
  );
}

/** Alert rules' thresholds on CPU and disk space for this host; the usual marks when none apply. */
function useHistoryThresholds(hostId: string, tags: readonly string[] | undefined) {
  const cpu = useThresholds(hostId, tags, 'cpu.usage', formatPercent);
  const space = useThresholds(hostId, tags, 'fs.used_percent', formatPercent);
  const load = useThresholds(hostId, tags, 'load.1', formatLoad);
  return { cpu, space: space.length ? space : SPACE_THRESHOLDS, load };
}

export function OverviewHistory({ hostId, syncId, host }: MetricHistoryProps) {
  const thresholds = useHistoryThresholds(hostId, host?.tags);
  return (
    <Grid hostId={hostId} testId="host-history">
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={CPU_USAGE}
        thresholds={thresholds.cpu}
        title="CPU in use"
        unit="% of all CPUs"
        format={formatPercent}
        percent
        testId="history-cpu"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={MEMORY_USED}
        title="Memory used"
        unit="binary bytes"
        format={formatBytes}
        testId="history-memory"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={NET_BANDWIDTH}
        keep={notLoopback}
        mirrored
        title="Network, all interfaces but lo"
        unit={`${networkUnitLabel()}, in ↑ out ↓`}
        format={formatNetRate}
        testId="history-network"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={FS_USED}
        thresholds={thresholds.space}
        title="Disk space used"
        unit="% per mount"
        format={formatPercent}
        percent
        testId="history-disk-space"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={LOAD_1}
        thresholds={thresholds.load}
        title="Load average, 1 min"
        unit="runnable tasks"
        format={formatLoad}
        testId="history-load"
      />
    </Grid>
  );
}

export function CpuHistory({ hostId, syncId, host }: MetricHistoryProps) {
  const cores = useKnownFacts(hostId)?.facts.cores;
  const thresholds = useHistoryThresholds(hostId, host?.tags);
  return (
    <Grid hostId={hostId} testId="cpu-history">
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={CPU_MODES}
        thresholds={thresholds.cpu}
        title="CPU use by mode"
        unit="% of all CPUs, averages stacked, peak dashed"
        format={formatPercent}
        percent
        testId="history-cpu-modes"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={LOAD}
        thresholds={thresholds.load}
        reference={cores ? { value: cores, label: `${cores} cores` } : undefined}
        title="Load average"
        unit="runnable tasks"
        format={formatLoad}
        testId="history-load-all"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={CORES}
        maxSeries={16}
        wide
        title="Per core"
        unit="% busy"
        format={formatPercent}
        percent
        testId="history-cores"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={TEMPERATURES}
        wide
        title="Temperatures"
        unit="°C, one line per sensor"
        format={formatCelsius}
        emptyText="No temperature sensor reported in this range (common in virtual machines)."
        testId="history-temperatures"
      />
    </Grid>
  );
}

export function MemoryHistory({ hostId, syncId }: MetricHistoryProps) {
  return (
    <Grid hostId={hostId} testId="memory-history">
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={MEMORY_STACK}
        wide
        title="Memory"
        unit="binary bytes: used, buffers, cache stacked; peak and total dashed"
        format={formatBytes}
        testId="history-memory-stack"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={MEMORY_AVAILABLE}
        title="Memory available"
        unit="binary bytes"
        format={formatBytes}
        testId="history-memory-available"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={SWAP_USED}
        title="Swap used"
        unit="binary bytes"
        format={formatBytes}
        emptyText="No swap in this range."
        testId="history-swap"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={SWAP_ACTIVITY}
        mirrored
        wide
        title="Swap activity"
        unit="binary bytes/s, in ↑ out ↓"
        format={formatBytesPerSec}
        testId="history-swap-activity"
      />
    </Grid>
  );
}

export function NetworkHistory({ hostId, syncId }: MetricHistoryProps) {
  return (
    <Grid hostId={hostId} testId="network-history">
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={NET_BANDWIDTH}
        keep={notLoopback}
        mirrored
        wide
        title="Bandwidth per interface"
        unit={`${networkUnitLabel()}, in ↑ out ↓`}
        format={formatNetRate}
        testId="history-net-bandwidth"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={NET_PACKETS}
        keep={notLoopback}
        mirrored
        title="Packets"
        unit="packets/s, in ↑ out ↓"
        format={formatPackets}
        testId="history-net-packets"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={NET_ERRORS}
        keep={notLoopback}
        mirrored
        title="Errors and drops"
        unit="per second, in ↑ out ↓"
        format={formatErrors}
        testId="history-net-errors"
      />
    </Grid>
  );
}

export function DisksHistory({ hostId, syncId, host }: MetricHistoryProps) {
  const thresholds = useHistoryThresholds(hostId, host?.tags);
  return (
    <Grid hostId={hostId} testId="disks-history">
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={FS_USED}
        thresholds={thresholds.space}
        title="Space used"
        unit="% per mount"
        format={formatPercent}
        percent
        testId="history-fs-used"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={FS_INODES}
        thresholds={SPACE_THRESHOLDS}
        title="Inodes used"
        unit="% per mount"
        format={formatPercent}
        percent
        testId="history-fs-inodes"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={DISK_THROUGHPUT}
        mirrored
        title="Throughput"
        unit="binary bytes/s, read ↑ write ↓"
        format={formatBytesPerSec}
        testId="history-disk-throughput"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={DISK_IOPS}
        mirrored
        title="IOPS"
        unit="operations/s, read ↑ write ↓"
        format={formatIops}
        testId="history-disk-iops"
      />
      <HistoryChart
        host={hostId}
        syncId={syncId}
        series={DISK_BUSY}
        wide
        title="Busy"
        unit="% of the time per device"
        format={formatPercent}
        percent
        testId="history-disk-busy"
      />
    </Grid>
  );
}
