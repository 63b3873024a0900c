// Parses /proc/net/dev and turns two readings of interface counters into per-second rates.
import type { NetworkInterfaceSample } from '../../../../common/schemas/metrics';
import { forEachLine, LineFields } from './fields';

/** One interface's counters since it was created, as /proc/net/dev reports them. */
export interface NetDevCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDrops: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDrops: number;
}

type NetCounterName = Exclude<keyof NetDevCounters, 'name'>;

const NET_COUNTERS: readonly NetCounterName[] = [
  'rxBytes',
  'rxPackets',
  'rxErrors',
  'rxDrops',
  'txBytes',
  'txPackets',
  'txErrors',
  'txDrops',
];

/** Column of each counter after the name: 8 receive columns, then 8 transmit columns. */
const NET_COLUMNS: Record<NetCounterName, number> = {
  rxBytes: 0,
  rxPackets: 1,
  rxErrors: 2,
  rxDrops: 3,
  txBytes: 8,
  txPackets: 9,
  txErrors: 10,
  txDrops: 11,
};

const fields = new LineFields();
const columns: number[] = [];

/** Interfaces in the file's order. The two header lines and anything else unparsable are skipped. */
export function parseNetDev(text: string): NetDevCounters[] {
  const interfaces: NetDevCounters[] = [];
  forEachLine(text, (from, to) => {
    // Numbers never contain ':', so the last one ends the name; older kernels print no space
    // after it once the byte count is wide ("eth0:1234567890 ...").
    const colon = text.lastIndexOf(':', to - 1);
    if (colon < from) return;
    const line = fields.scan(text, colon + 1, to);
    if (line.count < 12 || !line.numbers(0, columns)) return;
    const name = text.slice(from, colon).trim();
    if (!name) return;
    const counters = { name } as NetDevCounters;
    for (const key of NET_COUNTERS) counters[key] = columns[NET_COLUMNS[key]]!;
    interfaces.push(counters);
  });
  return interfaces;
}

const WRAP_32 = 2 ** 32;

/**
 * Growth of a counter between two readings, or undefined when it was reset. A decrease is read
 * as a 32-bit wrap only when both readings fit in 32 bits and the wrapped growth is under half the
 * range: anything else (a re-created interface, a reboot, a 64-bit counter) is a reset, because a
 * made-up figure of several gigabytes would be worse than no figure.
 */
export function counterDelta(prev: number, cur: number): number | undefined {
  if (cur >= prev) return cur - prev;
  if (prev >= WRAP_32 || cur >= WRAP_32) return undefined;
  const wrapped = cur + WRAP_32 - prev;
  return wrapped <= WRAP_32 / 2 ? wrapped : undefined;
}

/**
 * Growth of every listed counter, or undefined when any of them was reset: a device's counters
 * are reset together, so one implausible counter discredits the whole reading.
 */
export function counterDeltas<K extends string>(
  prev: Readonly<Record<K, number>>,
  cur: Readonly<Record<K, number>>,
  keys: readonly K[],
): Record<K, number> | undefined {
  const deltas = {} as Record<K, number>;
  for (const key of keys) {
    const delta = counterDelta(prev[key], cur[key]);
    if (delta === undefined) return undefined;
    deltas[key] = delta;
  }
  return deltas;
}

/** Per-second rates from counter growth; all zero when there is none (reset, no time elapsed). */
export function perSecond<K extends string>(
  deltas: Readonly<Record<K, number>> | undefined,
  keys: readonly K[],
  elapsedMs: number,
): Record<K, number> {
  const rates = {} as Record<K, number>;
  for (const key of keys) rates[key] = deltas && elapsedMs > 0 ? (deltas[key] * 1000) / elapsedMs : 0;
  return rates;
}

/**
 * Rates for every interface present in both readings, in the current reading's order. A new
 * interface appears from its second reading on; one whose counters were reset reports zeros for
 * that interval. Loopback is kept: what to hide is the UI's choice.
 */
export function networkRates(
  prev: readonly NetDevCounters[],
  cur: readonly NetDevCounters[],
  elapsedMs: number,
): NetworkInterfaceSample[] {
  const before = new Map(prev.map((i) => [i.name, i]));
  const samples: NetworkInterfaceSample[] = [];
  for (const now of cur) {
    const then = before.get(now.name);
    if (!then) continue;
    const rate = perSecond(counterDeltas(then, now, NET_COUNTERS), NET_COUNTERS, elapsedMs);
    samples.push({
      name: now.name,
      rxBytesPerSec: rate.rxBytes,
      txBytesPerSec: rate.txBytes,
      rxPacketsPerSec: rate.rxPackets,
      txPacketsPerSec: rate.txPackets,
      rxErrorsPerSec: rate.rxErrors,
      txErrorsPerSec: rate.txErrors,
      rxDropsPerSec: rate.rxDrops,
      txDropsPerSec: rate.txDrops,
    });
  }
  return samples;
}
