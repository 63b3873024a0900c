// Alert thresholds drawn on the charts of the metric they watch (UI.md 11): a dashed line in the
// severity's colour with its words, so the state never rests on colour alone. Pure.
import type { AlertRule } from '../../../common/schemas/alerts';

export interface Threshold {
  value: number;
  tone: 'warn' | 'bad';
  label: string;
}

/** The enabled rules on `metric` that watch this host (all hosts, one of its tags, or it). */
export function ruleThresholds(
  rules: readonly AlertRule[],
  hostId: string,
  tags: readonly string[],
  metric: string,
  format: (value: number) => string,
): Threshold[] {
  const seen = new Set<number>();
  const out: Threshold[] = [];
  for (const r of rules) {
    if (!r.enabled || r.metric !== metric || r.transform !== 'value') continue;
    const inScope =
      r.scope.kind === 'all' ||
      (r.scope.kind === 'host' && r.scope.host === hostId) ||
      (r.scope.kind === 'tag' && tags.includes(r.scope.tag));
    if (!inScope || seen.has(r.threshold)) continue;
    seen.add(r.threshold);
    out.push({
      value: r.threshold,
      tone: r.severity === 'critical' ? 'bad' : 'warn',
      label: `${r.severity} ${r.comparison} ${format(r.threshold)}`,
    });
  }
  return out.sort((a, b) => a.value - b.value);
}
