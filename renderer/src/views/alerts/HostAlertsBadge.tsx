// The alerts of one host, for its row in the fleet: the worst severity as icon and count, linking
// to exactly those alerts (UI.md 19). Nothing when the host has none.
import { pageHref } from '../../hooks/useHashRoute';
import { SEVERITY_LABELS } from './alert-format';
import { useAlertsFeed } from './useAlertsFeed';
import './alerts.css';

export function HostAlertsBadge({ hostId }: { hostId: string }) {
  const { byHost } = useAlertsFeed();
  const alerts = (byHost.get(hostId) ?? []).filter((a) => a.state === 'firing');
  if (alerts.length === 0) return null;
  const worst = alerts.some((a) => a.severity === 'critical')
    ? 'critical'
    : alerts.some((a) => a.severity === 'warning')
      ? 'warning'
      : 'info';
  const { icon, label, tone } = SEVERITY_LABELS[worst];
  const names = alerts.map((a) => `${a.ruleName}${a.label ? ` (${a.label})` : ''}`).join(', ');
  return (
    <a
      className={`host-alerts tone-${tone}`}
      href={pageHref('alerts', { host: hostId })}
      title={`${alerts.length} firing: ${names}`}
      data-testid={`host-alerts-${hostId}`}
    >
      <span aria-hidden>{icon}</span> {alerts.length}
      <span className="sr-only">
        {' '}
        {label} alert{alerts.length === 1 ? '' : 's'}: {names}
      </span>
    </a>
  );
}
