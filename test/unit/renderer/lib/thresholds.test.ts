// Alert thresholds drawn on charts: only enabled value rules on the metric, in scope of the host.
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../../common/schemas/alerts';
import { ruleThresholds } from '../../../../renderer/src/lib/thresholds';

const rule = (over: Partial<AlertRule>): AlertRule =>
  ({
    id: 'r',
    name: 'r',
    enabled: true,
    metric: 'cpu.usage',
    transform: 'value',
    scope: { kind: 'all' },
    comparison: '>',
    threshold: 95,
    severity: 'warning',
    ...over,
  }) as AlertRule;

const pct = (v: number) => `${v} %`;

describe('ruleThresholds', () => {
  it('draws the rules that watch this host, with their severity in words', () => {
    const rules = [
      rule({ threshold: 95 }),
      rule({ threshold: 99, severity: 'critical', scope: { kind: 'tag', tag: 'web' } }),
      rule({ threshold: 80, scope: { kind: 'host', host: 'db1' } }),
      rule({ threshold: 70, enabled: false }),
      rule({ threshold: 60, transform: 'rate' }),
      rule({ threshold: 50, metric: 'load.1' }),
      rule({ threshold: 95, id: 'duplicate' }),
    ];
    expect(ruleThresholds(rules, 'web1', ['web'], 'cpu.usage', pct)).toEqual([
      { value: 95, tone: 'warn', label: 'warning > 95 %' },
      { value: 99, tone: 'bad', label: 'critical > 99 %' },
    ]);
    expect(ruleThresholds(rules, 'db1', [], 'cpu.usage', pct).map((t) => t.value)).toEqual([80, 95]);
  });
});
