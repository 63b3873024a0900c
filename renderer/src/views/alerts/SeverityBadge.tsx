// A severity as icon and word (never colour alone).
import type { Severity } from '../../../../common/schemas/alerts';
import { SEVERITY_LABELS } from './alert-format';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { icon, label, tone } = SEVERITY_LABELS[severity];
  return (
    <span className={`severity tone-${tone}`} data-severity={severity}>
      <span aria-hidden>{icon}</span> {label}
    </span>
  );
}
