// Flattens samples into chart rows. Pure, so the charts only draw.
import type { Sample } from '../../../../common/schemas/sample';

export interface CpuRow {
  ts: number;
  user: number;
  nice: number;
  system: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  usage: number;
  load1: number;
  load5: number;
  load15: number;
}

export function cpuRows(samples: readonly Sample[]): CpuRow[] {
  return samples.map(({ ts, cpu }) => ({
    ts,
    user: cpu.total.user,
    nice: cpu.total.nice,
    system: cpu.total.system,
    iowait: cpu.total.iowait,
    irq: cpu.total.irq,
    softirq: cpu.total.softirq,
    steal: cpu.total.steal,
    usage: cpu.total.usage,
    load1: cpu.load[0],
    load5: cpu.load[1],
    load15: cpu.load[2],
  }));
}

/** One row per sample with `c0`, `c1`, … holding each core's usage. */
export function coreRows(samples: readonly Sample[]): Record<string, number>[] {
  return samples.map(({ ts, cpu }) => {
    const row: Record<string, number> = { ts };
    cpu.cores.forEach((core, i) => (row[`c${i}`] = core.usage));
    return row;
  });
}

/** The busiest cores now, by their average use over the last `span` samples. */
export function busiestCores(
  samples: readonly Sample[],
  count: number,
  span = 10,
): { core: number; usage: number }[] {
  const recent = samples.slice(-span);
  const cores = recent[recent.length - 1]?.cpu.cores.length ?? 0;
  const averages: { core: number; usage: number }[] = [];
  for (let core = 0; core < cores; core++) {
    let sum = 0;
    let n = 0;
    for (const s of recent) {
      const c = s.cpu.cores[core];
      if (c) {
        sum += c.usage;
        n++;
      }
    }
    averages.push({ core, usage: n ? sum / n : 0 });
  }
  return averages.sort((a, b) => b.usage - a.usage || a.core - b.core).slice(0, count);
}

/** Temperatures as rows keyed by sensor name. */
export function temperatureRows(samples: readonly Sample[]): {
  rows: Record<string, number>[];
  sensors: string[];
} {
  const sensors = new Set<string>();
  const rows = samples.map(({ ts, cpu }) => {
    const row: Record<string, number> = { ts };
    for (const t of cpu.temperatures) {
      sensors.add(t.sensor);
      row[t.sensor] = t.celsius;
    }
    return row;
  });
  return { rows, sensors: [...sensors] };
}
