// The values an alert rule can watch in one sample: every stored series (the metrics and labels
// the store uses) plus the ratios people alert on (memory available %, swap used %). The engine
// reads them into one reusable buffer per host, so a sample costs no allocation while its shape
// (cores, interfaces, mounts…) stays the same.
import type { FlatValue } from '../../../common/metrics';
import type { Sample } from '../../../common/schemas/sample';

/** The series of host reachability: 1 while the host cannot be reached, 0 while it is up. */
export const HOST_UNREACHABLE = 'host.unreachable';

const CPU = [
  ['cpu.usage', 'usage'],
  ['cpu.user', 'user'],
  ['cpu.nice', 'nice'],
  ['cpu.system', 'system'],
  ['cpu.iowait', 'iowait'],
  ['cpu.irq', 'irq'],
  ['cpu.softirq', 'softirq'],
  ['cpu.steal', 'steal'],
] as const;

const CORE_LABELS: string[] = [];
const coreLabel = (i: number): string => (CORE_LABELS[i] ??= String(i));

type Visit = (metric: string, label: string, value: number) => void;

/** Every value of a sample a rule can watch, in a fixed order; not-finite values too (as NaN). */
export function visitAlertValues(sample: Sample, visit: Visit): void {
  const { cpu, memory: m, network, disks, host } = sample;
  for (const [metric, mode] of CPU) visit(metric, '', cpu.total[mode]);
  for (let i = 0; i < cpu.cores.length; i++) visit('cpu.core.usage', coreLabel(i), cpu.cores[i]!.usage);
  visit('load.1', '', cpu.load[0]);
  visit('load.5', '', cpu.load[1]);
  visit('load.15', '', cpu.load[2]);
  for (const t of cpu.temperatures) visit('temperature', t.sensor, t.celsius);
  visit('uptime', '', host.uptimeSec);
  visit('mem.used', '', m.usedBytes);
  visit('mem.available', '', m.availableBytes);
  visit('mem.cached', '', m.cachedBytes);
  visit('mem.buffers', '', m.buffersBytes);
  visit('mem.total', '', m.totalBytes);
  visit('mem.available_percent', '', m.totalBytes > 0 ? (m.availableBytes / m.totalBytes) * 100 : NaN);
  visit('mem.used_percent', '', m.totalBytes > 0 ? (m.usedBytes / m.totalBytes) * 100 : NaN);
  visit('swap.used', '', m.swapUsedBytes);
  visit('swap.total', '', m.swapTotalBytes);
  visit('swap.used_percent', '', m.swapTotalBytes > 0 ? (m.swapUsedBytes / m.swapTotalBytes) * 100 : NaN);
  visit('swap.in', '', m.swapInBytesPerSec);
  visit('swap.out', '', m.swapOutBytesPerSec);
  for (const i of network.interfaces) {
    visit('net.rx', i.name, i.rxBytesPerSec);
    visit('net.tx', i.name, i.txBytesPerSec);
    visit('net.rx_packets', i.name, i.rxPacketsPerSec);
    visit('net.tx_packets', i.name, i.txPacketsPerSec);
    visit('net.rx_errors', i.name, i.rxErrorsPerSec);
    visit('net.tx_errors', i.name, i.txErrorsPerSec);
    visit('net.rx_drops', i.name, i.rxDropsPerSec);
    visit('net.tx_drops', i.name, i.txDropsPerSec);
  }
  for (const fs of disks.filesystems) {
    visit('fs.used_percent', fs.mount, fs.usedPercent);
    visit('fs.used', fs.mount, fs.usedBytes);
    visit('fs.free', fs.mount, fs.freeBytes);
    visit(
      'fs.inodes_used_percent',
      fs.mount,
      fs.inodesTotal > 0 ? (fs.inodesUsed / fs.inodesTotal) * 100 : NaN,
    );
  }
  for (const d of disks.devices) {
    visit('disk.read', d.name, d.readBytesPerSec);
    visit('disk.write', d.name, d.writeBytesPerSec);
    visit('disk.read_iops', d.name, d.readIops);
    visit('disk.write_iops', d.name, d.writeIops);
    visit('disk.busy', d.name, d.busyPercent);
  }
}

/**
 * One host's latest values by position. `read` fills it from a sample and says whether the
 * layout changed (a mount appeared, an interface went): only then are the rules bound again.
 */
export class SeriesBuffer {
  values = new Float64Array(256);
  metrics: string[] = [];
  labels: string[] = [];
  length = 0;
  private changed = false;
  private readonly put: Visit = (metric, label, value) => {
    const i = this.length++;
    if (i >= this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[i] = Number.isFinite(value) ? value : NaN;
    if (this.metrics[i] !== metric || this.labels[i] !== label) {
      this.metrics[i] = metric;
      this.labels[i] = label;
      this.changed = true;
    }
  };

  read(sample: Sample): boolean {
    const before = this.length;
    this.length = 0;
    this.changed = false;
    visitAlertValues(sample, this.put);
    if (this.length !== before) {
      this.metrics.length = this.length;
      this.labels.length = this.length;
      this.changed = true;
    }
    return this.changed;
  }
}

/** Every finite value of a sample as objects (rule previews, tests). */
export function alertValues(sample: Sample): FlatValue[] {
  const out: FlatValue[] = [];
  visitAlertValues(sample, (metric, label, value) => {
    if (Number.isFinite(value)) out.push({ metric, label, value });
  });
  return out;
}

/** Identity of one alert: a rule on one series of one host. */
export function alertKey(ruleId: string, host: string, label: string): string {
  return `${ruleId}|${host}|${label}`;
}
