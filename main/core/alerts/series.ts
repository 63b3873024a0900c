// The values an alert rule can watch in one sample: every stored series (as the store flattens it)
// plus the ratios people alert on (memory available %, swap used %).
import { flattenSample, type FlatValue } from '../../../common/metrics';
import type { Sample } from '../../../common/schemas/sample';

/** The series of host reachability: 1 while the host cannot be reached, 0 while it is up. */
export const HOST_UNREACHABLE = 'host.unreachable';

export function alertValues(sample: Sample): FlatValue[] {
  const out = flattenSample(sample);
  const m = sample.memory;
  if (m.totalBytes > 0) {
    out.push({ metric: 'mem.available_percent', label: '', value: (m.availableBytes / m.totalBytes) * 100 });
    out.push({ metric: 'mem.used_percent', label: '', value: (m.usedBytes / m.totalBytes) * 100 });
  }
  if (m.swapTotalBytes > 0) {
    out.push({ metric: 'swap.used_percent', label: '', value: (m.swapUsedBytes / m.swapTotalBytes) * 100 });
  }
  return out;
}

/** Identity of one alert: a rule on one series of one host. */
export function alertKey(ruleId: string, host: string, label: string): string {
  return `${ruleId}|${host}|${label}`;
}
