// One incident and its timeline: when it began to hold, fired, who acknowledged it, where it was
// sent (or why not), each time it flapped, and how it ended.
import { useCallback, useEffect, useState } from 'react';
import type { IncidentEventKind, IncidentWithTimeline } from '../../../../common/schemas/alerts';
import { useClient, useOnConnected } from '../../api/context';
import type { HyperionClient } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { hostHref } from '../../hooks/useHashRoute';
import { COMPARISON_WORDS, formatAlertValue, formatDuration, formatTime } from './alert-format';
import { SeverityBadge } from './SeverityBadge';

const EVENT_ICONS: Record<IncidentEventKind, string> = {
  pending: '◔',
  firing: '●',
  resolved: '✓',
  refired: '↯',
  flapping: '↯',
  closed: '■',
  acknowledged: '✓',
  unacknowledged: '↺',
  silenced: '🔕',
  notified: '✉',
  notify_failed: '✕',
  restored: '↻',
};

export function IncidentDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const client = useClient();
  const [incident, setIncident] = useState<IncidentWithTimeline>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState('');
  const load = useCallback(
    (c: HyperionClient) =>
      c.call('alerts.incident', { id }).then(setIncident, (err: Error) => setError(err.message)),
    [id],
  );
  useOnConnected(load);
  useEffect(() => {
    const timer = setInterval(() => void load(client), 5_000);
    return () => clearInterval(timer);
  }, [client, load]);

  const act = async (call: () => Promise<IncidentWithTimeline>) => {
    try {
      setIncident(await call());
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <Dialog
      title={incident ? `Incident #${incident.id}: ${incident.ruleName}` : `Incident #${id}`}
      onClose={onClose}
      wide
      testId="incident-dialog"
    >
      {!incident ? (
        error ? (
          <p className="form-error">{error}</p>
        ) : (
          <div className="skeleton skeleton-row" aria-busy="true" />
        )
      ) : (
        <>
          <dl className="facts">
            <dt>Severity</dt>
            <dd>
              <SeverityBadge severity={incident.severity} />
            </dd>
            <dt>Host</dt>
            <dd>
              <a href={hostHref(incident.host)}>{incident.hostName}</a>
              {incident.label && ` · ${incident.label}`}
            </dd>
            <dt>Condition</dt>
            <dd>
              {COMPARISON_WORDS[incident.comparison]} {formatAlertValue(incident.metric, incident.threshold)},
              clears past {formatAlertValue(incident.metric, incident.clearThreshold)}
            </dd>
            <dt>State</dt>
            <dd data-testid="incident-state">
              {incident.state === 'firing' ? 'Firing' : 'Resolved'} · fired {formatTime(incident.firedAt)}
              {incident.resolvedAt !== null &&
                `, lasted ${formatDuration(incident.resolvedAt - incident.firedAt)}`}
              {incident.flapCount > 0 && ` · flapped ${incident.flapCount} times`}
            </dd>
            <dt>Peak</dt>
            <dd>{formatAlertValue(incident.metric, incident.peak)}</dd>
          </dl>
          <p>{incident.summary}</p>
          <ol className="timeline" data-testid="timeline">
            {incident.events.map((e) => (
              <li key={e.id} className={`timeline-${e.kind}`} data-kind={e.kind}>
                <span className="timeline-icon" aria-hidden>
                  {EVENT_ICONS[e.kind]}
                </span>
                <time dateTime={new Date(e.ts).toISOString()}>{formatTime(e.ts)}</time>
                <span className="timeline-kind">{e.kind.replace('_', ' ')}</span>
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
          {error && <p className="form-error">{error}</p>}
          <div className="dialog-actions">
            {incident.state === 'firing' && !incident.acknowledged && (
              <>
                <input
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  placeholder="Note (optional)"
                  aria-label="Acknowledgement note"
                  maxLength={500}
                />
                <button
                  type="button"
                  className="primary"
                  onClick={() => void act(() => client.call('alerts.acknowledge', { id, note }))}
                >
                  Acknowledge
                </button>
              </>
            )}
            {incident.acknowledged && incident.closedAt === null && (
              <button
                type="button"
                onClick={() => void act(() => client.call('alerts.unacknowledge', { id }))}
              >
                Take acknowledgement back
              </button>
            )}
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
