// What fires now, worst first: counts that filter, then one row per alert with its value against
// the threshold, how long it has been going on, and acknowledge / silence.
import { useEffect, useState } from 'react';
import type { ActiveAlert, Severity } from '../../../../common/schemas/alerts';
import { useClient } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { hostHref, pageHref } from '../../hooks/useHashRoute';
import {
  COMPARISON_SIGNS,
  COMPARISON_WORDS,
  formatAlertValue,
  formatDuration,
  formatTime,
} from './alert-format';
import { SeverityBadge } from './SeverityBadge';
import { SilenceDialog } from './SilenceDialog';
import type { AlertsFeed } from './useAlertsFeed';

interface Props {
  feed: AlertsFeed;
  hostFilter: string | undefined;
  /** "?severity=critical|warning|info|pending" from a count elsewhere (the fleet's). */
  severityFilter?: string | undefined;
  tags: string[];
}

const FILTERS: readonly string[] = ['critical', 'warning', 'info', 'pending'];

type Filter = 'all' | Severity | 'pending';

export function ActiveAlerts({ feed, hostFilter, severityFilter, tags }: Props) {
  const [filter, setFilter] = useState<Filter>(
    severityFilter && FILTERS.includes(severityFilter) ? (severityFilter as Filter) : 'all',
  );
  const [silencing, setSilencing] = useState<ActiveAlert>();
  const now = useNow(5_000);
  const { counts } = feed;
  const shown = feed.alerts.filter(
    (a) =>
      (!hostFilter || a.host === hostFilter) &&
      (filter === 'all' ||
        (filter === 'pending' ? a.state === 'pending' : a.state === 'firing' && a.severity === filter)),
  );
  const count = (f: Filter, n: number, label: string) => (
    <li>
      <button
        type="button"
        className="count"
        aria-pressed={filter === f}
        onClick={() => setFilter(filter === f ? 'all' : f)}
        data-testid={`alerts-count-${f}`}
      >
        <span className="count-value">{n}</span>
        <span className="count-label">{label}</span>
      </button>
    </li>
  );
  return (
    <>
      <ul className="counts">
        {count('critical', counts.critical, 'critical')}
        {count('warning', counts.warning, 'warning')}
        {count('info', counts.info, 'info')}
        {count('pending', counts.pending, 'pending')}
      </ul>
      <Panel
        title="Active alerts"
        wide
        testId="active-alerts"
        note={
          hostFilter ? (
            <span>
              Host {hostFilter} only · <a href={pageHref('alerts')}>all hosts</a>
            </span>
          ) : (
            `${counts.unhandled} need attention`
          )
        }
      >
        {!feed.loaded ? (
          <div className="skeleton skeleton-row" aria-busy="true" />
        ) : shown.length === 0 ? (
          <EmptyState title={feed.alerts.length === 0 ? 'Nothing is firing' : 'No alert matches this filter'}>
            {feed.alerts.length === 0 && 'Every rule is within its thresholds on every host.'}
          </EmptyState>
        ) : (
          <table className="compact-table alerts-table">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Alert</th>
                <th>Host</th>
                <th className="num">Value</th>
                <th>Since</th>
                <th>State</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => (
                <AlertRow key={a.key} alert={a} now={now} onSilence={() => setSilencing(a)} />
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {silencing && <SilenceDialog alert={silencing} tags={tags} onClose={() => setSilencing(undefined)} />}
    </>
  );
}

/** The time now, again every few seconds: durations on screen keep counting. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function AlertRow({ alert: a, now, onSilence }: { alert: ActiveAlert; now: number; onSilence: () => void }) {
  const client = useClient();
  const [note, setNote] = useState<string | undefined>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const acknowledge = async () => {
    if (a.incidentId === null) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.call('alerts.acknowledge', { id: a.incidentId, note: note ?? '' });
      setNote(undefined);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const value = formatAlertValue(a.metric, a.value);
  return (
    <tr
      data-testid={`alert-${a.key}`}
      data-state={a.state}
      className={a.state === 'pending' ? 'pending' : undefined}
    >
      <td>
        <SeverityBadge severity={a.severity} />
      </td>
      <td>
        <strong>{a.ruleName}</strong>
        {a.label && <span className="muted"> · {a.label}</span>}
        <div className="muted small">{a.summary}</div>
      </td>
      <td>
        <a href={hostHref(a.host)}>{a.hostName}</a>
      </td>
      <td
        className="num"
        title={`${COMPARISON_WORDS[a.comparison]} ${formatAlertValue(a.metric, a.threshold)}; clears ${formatAlertValue(a.metric, a.clearThreshold)}`}
      >
        {value}
        <div className="muted small">
          {COMPARISON_SIGNS[a.comparison]} {formatAlertValue(a.metric, a.threshold)}
        </div>
      </td>
      <td title={formatTime(a.firedAt ?? a.since)}>{formatDuration(now - (a.firedAt ?? a.since))}</td>
      <td>
        {a.state === 'pending' ? (
          <span className="tone-muted">◔ pending</span>
        ) : (
          <span className="tone-bad">● firing</span>
        )}
        {a.flapping && (
          <div
            className="small tone-warn"
            title="It fired again shortly after resolving: one incident, no more messages until it settles"
          >
            ↯ flapping ×{a.flapCount + 1}
          </div>
        )}
        {a.acknowledged && (
          <div className="small muted" data-testid="acknowledged">
            ✓ {a.acknowledged.by}
            {a.acknowledged.note && `: ${a.acknowledged.note}`}
          </div>
        )}
        {a.silence && (
          <div className="small muted" title={a.silence.reason}>
            🔕 until {formatTime(a.silence.until)}
          </div>
        )}
      </td>
      <td className="alert-actions">
        {a.incidentId !== null && !a.acknowledged && note === undefined && (
          <button type="button" onClick={() => setNote('')} data-testid="ack">
            Acknowledge
          </button>
        )}
        {note !== undefined && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void acknowledge();
            }}
          >
            <input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="Note (optional)"
              aria-label="Acknowledgement note"
              maxLength={500}
              autoFocus
            />
            <button type="submit" className="primary" disabled={busy} data-testid="ack-confirm">
              Acknowledge
            </button>
            <button type="button" onClick={() => setNote(undefined)}>
              Cancel
            </button>
          </form>
        )}
        <button type="button" onClick={onSilence} data-testid="silence">
          Silence…
        </button>
        {a.incidentId !== null && (
          <a className="link-button" href={pageHref('alerts', { incident: String(a.incidentId) })}>
            Timeline
          </a>
        )}
        {error && <span className="field-error">{error}</span>}
      </td>
    </tr>
  );
}
