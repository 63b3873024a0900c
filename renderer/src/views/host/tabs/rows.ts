// Flattens live samples into the rows the host tabs draw. Pure, so the charts only draw.
// Two-way metrics come out mirrored: in/read positive, out/write negative, on one shared scale.
import type { Sample } from '../../../../../common/schemas/sample';
import { formatBytes, formatBytesPerSec, formatNetRate } from '../../../lib/format';

/** The loopback interface: hidden unless asked for, it only shows the host talking to itself. */
export const isLoopback = (name: string): boolean => name === 'lo';

/** Bytes per second as decimal bits per second, as link speeds are quoted. */
export const toBits = (bytesPerSec: number): number => bytesPerSec * 8;

/** The mirrored pair of a two-way metric: `in` above zero, `out` below. */
export function mirror(inValue: number, outValue: number): { in: number; out: number } {
  return { in: inValue, out: outValue === 0 ? 0 : -outValue };
}

export interface MemoryRow {
  ts: number;
  used: number;
  buffers: number;
  cache: number;
  available: number;
  swapUsed: number;
  swapIn: number;
  swapOut: number;
}

export function memoryRows(samples: readonly Sample[]): MemoryRow[] {
  return samples.map(({ ts, memory: m }) => {
    const swap = mirror(m.swapInBytesPerSec, m.swapOutBytesPerSec);
    return {
      ts,
      used: m.usedBytes,
      buffers: m.buffersBytes,
      cache: m.cachedBytes,
      available: m.availableBytes,
      swapUsed: m.swapUsedBytes,
      swapIn: swap.in,
      swapOut: swap.out,
    };
  });
}

export interface NetworkRow {
  ts: number;
  /** Decimal bits per second. */
  in: number;
  out: number;
}

/** All interfaces but loopback, summed: the host's traffic with the world, in bits/s. */
export function networkTotalRows(samples: readonly Sample[]): NetworkRow[] {
  return samples.map(({ ts, network }) => {
    let rx = 0;
    let tx = 0;
    for (const i of network.interfaces) {
      if (isLoopback(i.name)) continue;
      rx += i.rxBytesPerSec;
      tx += i.txBytesPerSec;
    }
    return { ts, ...mirror(toBits(rx), toBits(tx)) };
  });
}

/** Interface names of the newest sample, loopback only when asked for. */
export function interfaceNames(samples: readonly Sample[], showLoopback: boolean): string[] {
  const latest = samples[samples.length - 1];
  if (!latest) return [];
  return latest.network.interfaces.map((i) => i.name).filter((n) => showLoopback || !isLoopback(n));
}

export interface InterfaceRow {
  ts: number;
  bitsIn: number;
  bitsOut: number;
  packetsIn: number;
  packetsOut: number;
  errorsIn: number;
  errorsOut: number;
  dropsIn: number;
  dropsOut: number;
}

/** One interface over time; a sample without it (not up yet) is left out rather than drawn as 0. */
export function interfaceRows(samples: readonly Sample[], name: string): InterfaceRow[] {
  const rows: InterfaceRow[] = [];
  for (const { ts, network } of samples) {
    const i = network.interfaces.find((x) => x.name === name);
    if (!i) continue;
    const bits = mirror(toBits(i.rxBytesPerSec), toBits(i.txBytesPerSec));
    const packets = mirror(i.rxPacketsPerSec, i.txPacketsPerSec);
    const errors = mirror(i.rxErrorsPerSec, i.txErrorsPerSec);
    const drops = mirror(i.rxDropsPerSec, i.txDropsPerSec);
    rows.push({
      ts,
      bitsIn: bits.in,
      bitsOut: bits.out,
      packetsIn: packets.in,
      packetsOut: packets.out,
      errorsIn: errors.in,
      errorsOut: errors.out,
      dropsIn: drops.in,
      dropsOut: drops.out,
    });
  }
  return rows;
}

/** True when an interface had no error and no drop in the whole window: a state worth saying. */
export function noErrors(rows: readonly InterfaceRow[]): boolean {
  return rows.every((r) => r.errorsIn === 0 && r.errorsOut === 0 && r.dropsIn === 0 && r.dropsOut === 0);
}

export interface DeviceRow {
  ts: number;
  /** Bytes per second. */
  read: number;
  write: number;
  readIops: number;
  writeIops: number;
  busy: number;
}

export function deviceRows(samples: readonly Sample[], name: string): DeviceRow[] {
  const rows: DeviceRow[] = [];
  for (const { ts, disks } of samples) {
    const d = disks.devices.find((x) => x.name === name);
    if (!d) continue;
    const bytes = mirror(d.readBytesPerSec, d.writeBytesPerSec);
    const iops = mirror(d.readIops, d.writeIops);
    rows.push({
      ts,
      read: bytes.in,
      write: bytes.out,
      readIops: iops.in,
      writeIops: iops.out,
      busy: d.busyPercent,
    });
  }
  return rows;
}

/** True when any of `keys` is non-zero somewhere in the window: idle devices get a line, not charts. */
export function isActive(rows: readonly object[], keys: readonly string[]): boolean {
  return rows.some((row) => keys.some((key) => ((row as Record<string, number>)[key] ?? 0) !== 0));
}

const GIB = 2 ** 30;

/** Byte-axis ticks at round binary steps (1, 2, 4, 8… GiB or MiB) up to `max`, which is a tick too. */
export function byteTicks(max: number): number[] {
  if (!(max > 0)) return [0];
  const unit = max >= 4 * GIB ? GIB : max >= 4 * 2 ** 20 ? 2 ** 20 : 1;
  let step = unit;
  while (max / step > 4) step *= 2;
  const ticks: number[] = [];
  for (let t = 0; t < max * 0.92; t += step) ticks.push(t);
  ticks.push(max);
  return ticks;
}

/** Disk space thresholds, where the alert rules put them. */
export const SPACE_WARN_PERCENT = 80;
export const SPACE_CRITICAL_PERCENT = 90;

export type Tone = 'ok' | 'warn' | 'bad';

export interface SpaceState {
  tone: Tone;
  /** Never colour alone: an icon and a word go with the tone. */
  icon: string;
  label: string;
}

export function spaceState(usedPercent: number): SpaceState {
  if (usedPercent >= SPACE_CRITICAL_PERCENT) return { tone: 'bad', icon: '✖', label: 'critical' };
  if (usedPercent >= SPACE_WARN_PERCENT) return { tone: 'warn', icon: '▲', label: 'warning' };
  return { tone: 'ok', icon: '✓', label: 'ok' };
}

/** Tick and tooltip formats of mirrored values: the magnitude, the sign is the direction. */
/** A network rate drawn in bits (rows hold bits/s) in the unit chosen for networks. */
export const formatBitRate = (bits: number): string => formatNetRate(Math.abs(bits) / 8);
export const formatByteRate = (bytes: number): string => formatBytesPerSec(Math.abs(bytes));
export const formatByteSize = (bytes: number): string => formatBytes(Math.abs(bytes));
export function formatPerSec(value: number, unit: string): string {
  const v = Math.abs(value);
  const digits = v === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  if (v >= 1e6) return `${(v / 1e6).toFixed(v >= 1e8 ? 0 : 1)} M ${unit}`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(v >= 1e5 ? 0 : 1)} k ${unit}`;
  return `${v.toFixed(digits)} ${unit}`;
}
