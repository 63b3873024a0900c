// The values an alert rule can watch in one sample: every stored series (the metrics and labels
// the store uses) plus the ratios people alert on (memory available %, swap used %). The engine
// reads them into one reusable buffer per host, so a sample costs no allocation while its shape
// (cores, interfaces, mounts…) stays the same.
import { forEachValue, type FlatValue } from '../../../common/metrics';
import type { Sample } from '../../../common/schemas/sample';

/** The series of host reachability: 1 while the host cannot be reached, 0 while it is up. */
export const HOST_UNREACHABLE = 'host.unreachable';

type Visit = (metric: string, label: string, value: number) => void;

/**
 * Every value of a sample a rule can watch: the stored series in the store's order (not-finite
 * values too), then the derived ratios, NaN when they cannot be computed.
 */
export function visitAlertValues(sample: Sample, visit: Visit): void {
  forEachValue(sample, visit);
  const m = sample.memory;
  visit('mem.available_percent', '', m.totalBytes > 0 ? (m.availableBytes / m.totalBytes) * 100 : NaN);
  visit('mem.used_percent', '', m.totalBytes > 0 ? (m.usedBytes / m.totalBytes) * 100 : NaN);
  visit('swap.used_percent', '', m.swapTotalBytes > 0 ? (m.swapUsedBytes / m.swapTotalBytes) * 100 : NaN);
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
