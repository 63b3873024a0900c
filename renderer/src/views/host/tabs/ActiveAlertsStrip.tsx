// The host's alerts firing or pending now, first on its overview (UI.md 17), each with its
// severity in an icon and a word, its value and since when; links to the alerts page when there is one.
import { useHostAlerts, useActiveAlerts } from '../../../hooks/useActiveAlerts';
import { pageHref } from '../../../hooks/useHashRoute';
import { formatDuration } from '../../../lib/format';
import { serverNow } from '../../../lib/server-clock';
import { findPage } from '../../../rail-pages';

const ICONS = { critical: '✖', warning: '⚠', info: 'ℹ' } as const;
const TONES = { critical: 'bad', warning: 'warn', info: 'muted' } as const;

export function ActiveAlertsStrip({ hostId }: { hostId: string }) {
  const { available } = useActiveAlerts();
  const alerts = useHostAlerts(hostId);
  if (!available) return null;
  const page = findPage('alerts');
  if (alerts.length === 0) {
    return (
      <p className="alerts-strip-ok muted small" data-testid="host-alerts-none">
        <span aria-hidden className="tone-ok">
          ✓
        </span>{' '}
        No active alerts on this host.
        {page && (
          <>
            {' '}
            <a href={pageHref(page.id, { host: hostId })}>Alert history</a>
          </>
        )}
      </p>
    );
  }
  const now = serverNow();
  return (
    <section className="alerts-strip" aria-label="Active alerts" data-testid="host-alerts">
      <ul>
        {alerts.slice(0, 5).map((a) => (
          <li key={a.key} className={`alerts-strip-item tone-${TONES[a.severity]}`}>
            <span aria-hidden>{ICONS[a.severity]}</span>
            <strong>
              {a.severity}
              {a.state === 'pending' ? ' (pending)' : ''}
            </strong>
            <span className="alerts-strip-text">
              {a.ruleName}
              {a.label ? ` · ${a.label}` : ''}: {a.summary}
            </span>
            <span className="muted small">
              for {formatDuration(now - (a.firedAt ?? a.since))}
              {a.acknowledged ? ` · acknowledged by ${a.acknowledged.by}` : ''}
              {a.silence ? ' · silenced' : ''}
            </span>
          </li>
        ))}
      </ul>
      {(alerts.length > 5 || page) && (
        <p className="small">
          {alerts.length > 5 && `${alerts.length - 5} more. `}
          {page && <a href={pageHref(page.id, { host: hostId })}>See every alert of this host</a>}
        </p>
      )}
    </section>
  );
}
