// Alert rules for tests, completed by the same schema the editor's input goes through.
import { AlertRuleInput, type AlertRule } from '../../common/schemas/alerts';

let next = 1;

export function testRule(over: Partial<AlertRuleInput> & { id?: string } = {}): AlertRule {
  const { id, ...fields } = over;
  const parsed = AlertRuleInput.parse({
    name: 'Test rule',
    metric: 'cpu.usage',
    comparison: '>=',
    threshold: 90,
    forSec: 0,
    severity: 'warning',
    ...fields,
  });
  return { ...parsed, id: id ?? `r-test${next++}`, builtin: null, createdAt: 0, updatedAt: 0 };
}
