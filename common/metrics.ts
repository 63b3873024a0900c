// The stored series: every number of a sample has a metric name, a unit and labels. The store
// flattens samples with this table and the UI names, scales and groups charts with it.
import { z } from 'zod';
import type { Sample } from './schemas/sample';

export type Unit =
  'percent' | 'bytes' | 'bytes/s' | 'packets/s' | 'ops/s' | 'errors/s' | 'celsius' | 'load' | 'seconds';

export interface MetricInfo {
  title: string;
  unit: Unit;
  /** The label that tells series of this metric apart, if any. */
  label?: 'core' | 'iface' | 'mount' | 'device' | 'sensor';
}

const CPU_MODES = ['usage', 'user', 'nice', 'system', 'iowait', 'irq', 'softirq', 'steal'] as const;
const CPU_METRICS = Object.fromEntries(CPU_MODES.map((m) => [m, `cpu.${m}`])) as Record<
  (typeof CPU_MODES)[number],
  string
>;

export const METRICS = {
  ...Object.fromEntries(CPU_MODES.map((m) => [`cpu.${m}`, { title: `CPU ${m}`, unit: 'percent' }])),
  'cpu.core.usage': { title: 'CPU core usage', unit: 'percent', label: 'core' },
  'load.1': { title: 'Load average 1 min', unit: 'load' },
  'load.5': { title: 'Load average 5 min', unit: 'load' },
  'load.15': { title: 'Load average 15 min', unit: 'load' },
  temperature: { title: 'Temperature', unit: 'celsius', label: 'sensor' },
  uptime: { title: 'Uptime', unit: 'seconds' },
  'mem.used': { title: 'Memory used', unit: 'bytes' },
  'mem.available': { title: 'Memory available', unit: 'bytes' },
  'mem.cached': { title: 'Memory cache', unit: 'bytes' },
  'mem.buffers': { title: 'Memory buffers', unit: 'bytes' },
  'mem.total': { title: 'Memory total', unit: 'bytes' },
  'swap.used': { title: 'Swap used', unit: 'bytes' },
  'swap.total': { title: 'Swap total', unit: 'bytes' },
  'swap.in': { title: 'Swap in', unit: 'bytes/s' },
  'swap.out': { title: 'Swap out', unit: 'bytes/s' },
  'net.rx': { title: 'Network received', unit: 'bytes/s', label: 'iface' },
  'net.tx': { title: 'Network sent', unit: 'bytes/s', label: 'iface' },
  'net.rx_packets': { title: 'Packets received', unit: 'packets/s', label: 'iface' },
  'net.tx_packets': { title: 'Packets sent', unit: 'packets/s', label: 'iface' },
  'net.rx_errors': { title: 'Receive errors', unit: 'errors/s', label: 'iface' },
  'net.tx_errors': { title: 'Send errors', unit: 'errors/s', label: 'iface' },
  'net.rx_drops': { title: 'Receive drops', unit: 'errors/s', label: 'iface' },
  'net.tx_drops': { title: 'Send drops', unit: 'errors/s', label: 'iface' },
  'fs.used_percent': { title: 'Disk space used', unit: 'percent', label: 'mount' },
  'fs.used': { title: 'Disk space used', unit: 'bytes', label: 'mount' },
  'fs.free': { title: 'Disk space free', unit: 'bytes', label: 'mount' },
  'fs.inodes_used_percent': { title: 'Inodes used', unit: 'percent', label: 'mount' },
  'disk.read': { title: 'Disk read', unit: 'bytes/s', label: 'device' },
  'disk.write': { title: 'Disk write', unit: 'bytes/s', label: 'device' },
  'disk.read_iops': { title: 'Disk read IOPS', unit: 'ops/s', label: 'device' },
  'disk.write_iops': { title: 'Disk write IOPS', unit: 'ops/s', label: 'device' },
  'disk.busy': { title: 'Disk busy', unit: 'percent', label: 'device' },
} as Record<string, MetricInfo>;

export const MetricName = z.string().refine((m) => Object.hasOwn(METRICS, m), 'not a metric Hyperion stores');

/** One series: a host, a metric and at most one label value (a core, interface, mount…). */
export const SeriesKey = z.object({
  host: z.string().min(1).max(64),
  metric: MetricName,
  label: z.string().max(512).default(''),
});
export type SeriesKey = z.infer<typeof SeriesKey>;

export interface FlatValue {
  metric: string;
  label: string;
  value: number;
}

/** Every number of a sample as (metric, label, value), in a stable order. */
export function flattenSample(sample: Sample): FlatValue[] {
  const out: FlatValue[] = [];
  forEachValue(sample, (metric, label, value) => {
    if (Number.isFinite(value)) out.push({ metric, label, value });
  });
  return out;
}

/** Labels of cores by number, made once: a sample is visited every second for every host. */
const CORE_LABELS: string[] = [];
const coreLabel = (i: number): string => (CORE_LABELS[i] ??= String(i));

/**
 * Visits every number of a sample in flattenSample's order, without building objects, and also
 * the values that are not finite (a caller that keeps a fixed layout per sample shape skips them).
 */
export function forEachValue(
  sample: Sample,
  visit: (metric: string, label: string, value: number) => void,
): void {
  const { cpu, memory, network, disks, host } = sample;
  for (const mode of CPU_MODES) visit(CPU_METRICS[mode], '', cpu.total[mode]);
  for (let i = 0; i < cpu.cores.length; i++) visit('cpu.core.usage', coreLabel(i), cpu.cores[i]!.usage);
  visit('load.1', '', cpu.load[0]);
  visit('load.5', '', cpu.load[1]);
  visit('load.15', '', cpu.load[2]);
  for (const t of cpu.temperatures) visit('temperature', t.sensor, t.celsius);
  visit('uptime', '', host.uptimeSec);
  visit('mem.used', '', memory.usedBytes);
  visit('mem.available', '', memory.availableBytes);
  visit('mem.cached', '', memory.cachedBytes);
  visit('mem.buffers', '', memory.buffersBytes);
  visit('mem.total', '', memory.totalBytes);
  visit('swap.used', '', memory.swapUsedBytes);
  visit('swap.total', '', memory.swapTotalBytes);
  visit('swap.in', '', memory.swapInBytesPerSec);
  visit('swap.out', '', memory.swapOutBytesPerSec);
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
    if (fs.inodesTotal > 0) visit('fs.inodes_used_percent', fs.mount, (fs.inodesUsed / fs.inodesTotal) * 100);
  }
  for (const d of disks.devices) {
    visit('disk.read', d.name, d.readBytesPerSec);
    visit('disk.write', d.name, d.writeBytesPerSec);
    visit('disk.read_iops', d.name, d.readIops);
    visit('disk.write_iops', d.name, d.writeIops);
    visit('disk.busy', d.name, d.busyPercent);
  }
}
