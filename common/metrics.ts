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
  const add = (metric: string, value: number, label = ''): void => {
    if (Number.isFinite(value)) out.push({ metric, label, value });
  };
  const { cpu, memory, network, disks, host } = sample;
  for (const mode of CPU_MODES) add(`cpu.${mode}`, cpu.total[mode]);
  cpu.cores.forEach((core, i) => add('cpu.core.usage', core.usage, String(i)));
  add('load.1', cpu.load[0]);
  add('load.5', cpu.load[1]);
  add('load.15', cpu.load[2]);
  for (const t of cpu.temperatures) add('temperature', t.celsius, t.sensor);
  add('uptime', host.uptimeSec);
  add('mem.used', memory.usedBytes);
  add('mem.available', memory.availableBytes);
  add('mem.cached', memory.cachedBytes);
  add('mem.buffers', memory.buffersBytes);
  add('mem.total', memory.totalBytes);
  add('swap.used', memory.swapUsedBytes);
  add('swap.total', memory.swapTotalBytes);
  add('swap.in', memory.swapInBytesPerSec);
  add('swap.out', memory.swapOutBytesPerSec);
  for (const i of network.interfaces) {
    add('net.rx', i.rxBytesPerSec, i.name);
    add('net.tx', i.txBytesPerSec, i.name);
    add('net.rx_packets', i.rxPacketsPerSec, i.name);
    add('net.tx_packets', i.txPacketsPerSec, i.name);
    add('net.rx_errors', i.rxErrorsPerSec, i.name);
    add('net.tx_errors', i.txErrorsPerSec, i.name);
    add('net.rx_drops', i.rxDropsPerSec, i.name);
    add('net.tx_drops', i.txDropsPerSec, i.name);
  }
  for (const fs of disks.filesystems) {
    add('fs.used_percent', fs.usedPercent, fs.mount);
    add('fs.used', fs.usedBytes, fs.mount);
    add('fs.free', fs.freeBytes, fs.mount);
    if (fs.inodesTotal > 0) add('fs.inodes_used_percent', (fs.inodesUsed / fs.inodesTotal) * 100, fs.mount);
  }
  for (const d of disks.devices) {
    add('disk.read', d.readBytesPerSec, d.name);
    add('disk.write', d.writeBytesPerSec, d.name);
    add('disk.read_iops', d.readIops, d.name);
    add('disk.write_iops', d.writeIops, d.name);
    add('disk.busy', d.busyPercent, d.name);
  }
  return out;
}
