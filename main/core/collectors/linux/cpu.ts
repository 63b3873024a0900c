// Parses /proc/stat and /proc/loadavg, and turns two readings of CPU counters into percentages.
import type { CpuModes } from '../../../../common/schemas/sample';
import { forEachLine, LineFields, numberAt } from './fields';

/** Jiffies spent in each mode since boot, as /proc/stat reports them. */
export interface CpuCounters {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  total: CpuCounters;
  /** Online CPUs by their number (offline CPUs are absent from /proc/stat). */
  cores: { cpu: number; counters: CpuCounters }[];
}

const MODE_NAMES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

const fields = new LineFields();
const values: number[] = [];

/** The counters of a cpu line whose fields were just scanned (field 0 is the label). */
function parseCounters(line: LineFields): CpuCounters {
  if (!line.numbers(1, values)) {
    // A field that is not a number (a damaged line) counts as 0, as a missing one does.
    for (let i = 0; i < 8; i++) {
      const n = line.number(i + 1) ?? 0;
      values[i] = Number.isFinite(n) ? n : 0;
    }
  }
  const at = (i: number): number => values[i] ?? 0;
  return {
    user: at(0),
    nice: at(1),
    system: at(2),
    idle: at(3),
    iowait: at(4),
    irq: at(5),
    softirq: at(6),
    steal: at(7),
  };
}

export function parseProcStat(text: string): ProcStat {
  let total: CpuCounters | undefined;
  const cores: ProcStat['cores'] = [];
  // The cpu lines come first; the rest (a multi-kilobyte "intr" line among them) is not needed.
  forEachLine(text, (from, to) => {
    if (!text.startsWith('cpu', from)) return total === undefined;
    const line = fields.scan(text, from, to);
    const counters = parseCounters(line);
    if (line.is(0, 'cpu')) total = counters;
    else {
      const cpu = numberAt(text, from + 3, line.ends[0]!);
      if (Number.isInteger(cpu)) cores.push({ cpu, counters });
    }
  });
  if (!total) throw new Error('/proc/stat has no "cpu" line');
  cores.sort((a, b) => a.cpu - b.cpu);
  return { total, cores };
}

const sumCounters = (c: CpuCounters): number =>
  c.user + c.nice + c.system + c.idle + c.iowait + c.irq + c.softirq + c.steal;

const clampPercent = (v: number): number => (v < 0 ? 0 : v > 100 ? 100 : v);

/**
 * Percent of time in each mode between two readings. `usage` is time neither idle nor waiting on
 * I/O (as top and htop count it). Returns undefined when a counter went backwards (a reboot or a
 * CPU brought back online): that interval has no honest value.
 */
export function cpuModesBetween(prev: CpuCounters, cur: CpuCounters): CpuModes | undefined {
  for (const mode of MODE_NAMES) if (cur[mode] < prev[mode]) return undefined;
  const elapsed = sumCounters(cur) - sumCounters(prev);
  if (elapsed <= 0) {
    return { usage: 0, user: 0, nice: 0, system: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, idle: 100 };
  }
  const pct = (mode: (typeof MODE_NAMES)[number]): number =>
    clampPercent(((cur[mode] - prev[mode]) / elapsed) * 100);
  const idle = pct('idle');
  const iowait = pct('iowait');
  return {
    usage: clampPercent(100 - idle - iowait),
    user: pct('user'),
    nice: pct('nice'),
    system: pct('system'),
    iowait,
    irq: pct('irq'),
    softirq: pct('softirq'),
    steal: pct('steal'),
    idle,
  };
}

export interface CpuUsage {
  total: CpuModes;
  cores: CpuModes[];
}

/**
 * Usage between two /proc/stat readings. A core missing from either reading (offline, hot-plugged)
 * or whose counters were reset reports zero use rather than a made-up figure; the total is
 * undefined when the whole machine's counters went backwards.
 */
export function cpuUsageBetween(prev: ProcStat, cur: ProcStat): CpuUsage | undefined {
  const total = cpuModesBetween(prev.total, cur.total);
  if (!total) return undefined;
  const previous = new Map(prev.cores.map((c) => [c.cpu, c.counters]));
  const cores = cur.cores.map(({ cpu, counters }) => {
    const before = previous.get(cpu);
    return (before && cpuModesBetween(before, counters)) ?? idleModes();
  });
  return { total, cores };
}

function idleModes(): CpuModes {
  return { usage: 0, user: 0, nice: 0, system: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, idle: 100 };
}

export interface LoadAverage {
  load: [number, number, number];
  runnable: number;
  processes: number;
}

export function parseLoadavg(text: string): LoadAverage {
  const [l1, l5, l15, procs] = text.trim().split(/\s+/);
  const load: [number, number, number] = [Number(l1), Number(l5), Number(l15)];
  if (load.some((v) => !Number.isFinite(v)))
    throw new Error(`/proc/loadavg is not readable: "${text.trim()}"`);
  const [runnable, processes] = (procs ?? '0/0').split('/').map(Number);
  return { load, runnable: runnable ?? 0, processes: processes ?? 0 };
}
