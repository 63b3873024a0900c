// Every incident, newest first, with filters, paging and export; a row opens its timeline.
import { useCallback, useEffect, useState } from 'react';
import type { HistoryFilter, Incident, Severity } from '../../../../common/schemas/alerts';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { navigate, pageHref, type RouteParams } from '../../hooks/useHashRoute';
import type { HyperionClient } from '../../api/client';
import { formatAlertValue, formatDuration, formatTime } from './alert-format';
import { SeverityBadge } from './SeverityBadge';

const PAGE = 100;

export function HistoryView({
  params,
  hostNames,
}: {
  params: RouteParams;
  hostNames: ReadonlyMap<string, string>;
}) {
  const client = useClient();
  const [text, setText] = useState(params.q ?? '');
  const [severity, setSeverity] = useState<Severity | ''>((params.severity as Severity | undefined) ?? '');
  const [state, setState] = useState<'' | 'firing' | 'resolved'>('');
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const host = params.host;

  const filter: HistoryFilter = {
    ...(host ? { host } : {}),
    ...(severity ? { severity } : {}),
    ...(state ? { state } : {}),
    ...(text.trim() ? { text: text.trim() } : {}),
  };
  const key = JSON.stringify(filter);

  const load = useCallback(
    (c: HyperionClient, beforeId?: number) => {
      setLoading(true);
      c.call('alerts.history', {
        ...(JSON.parse(key) as HistoryFilter),
        limit: PAGE,
        ...(beforeId ? { beforeId } : {}),
      }).then(
        (page) => {
          setIncidents((list) => (beforeId ? [...list, ...page.incidents] : page.incidents));
          setNext(page.nextBeforeId);
          setError(undefined);
          setLoading(false);
        },
        (err: Error) => {
          setError(err.message);
          setLoading(false);
        },
      );
    },
    [key],
  );
  useOnConnected(load);
  // Refresh while watching: incidents resolve and new ones open.
  useEffect(() => {
    const timer = setInterval(() => {
      if (client.state === 'open') load(client);
    }, 10_000);
    return () => clearInterval(timer);
  }, [client, load]);

  const exportAs = async (format: 'csv' | 'json') => {
    try {
      const file = await client.call('alerts.export', { ...filter, format });
      const url = URL.createObjectURL(new Blob([file.body], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <Panel
      title="History"
      wide
      testId="alert-history"
      note={
        <span className="export">
          Export{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => void exportAs('csv')}
            data-testid="history-export-csv"
          >
            CSV
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => void exportAs('json')}
            data-testid="history-export-json"
          >
            JSON
          </button>
        </span>
      }
    >
      <div className="toolbar alerts-toolbar">
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Rule, host, mount, words…"
          aria-label="Search the history"
        />
        <select
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Severity | '')}
          aria-label="Severity"
        >
          <option value="">Every severity</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
          <option value="info">Info</option>
        </select>
        <select
          value={state}
          onChange={(e) => setState(e.target.value as '' | 'firing' | 'resolved')}
          aria-label="State"
        >
          <option value="">Firing and resolved</option>
          <option value="firing">Firing</option>
          <option value="resolved">Resolved</option>
        </select>
        {host && (
          <span className="muted small">
            {hostNames.get(host) ?? host} only · <a href={pageHref('alerts', {}, ['history'])}>every host</a>
          </span>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
      {!loading && incidents.length === 0 ? (
        <EmptyState title="No incident matches">
          Alerts that fire are recorded here with their whole story.
        </EmptyState>
      ) : (
        <table className="compact-table alerts-table" data-testid="history-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Host</th>
              <th>Fired</th>
              <th>Lasted</th>
              <th className="num">Peak</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr
                key={i.id}
                className="clickable"
                data-testid={`incident-${i.id}`}
                onClick={() =>
                  navigate(pageHref('alerts', { ...params, incident: String(i.id) }, ['history']))
                }
              >
                <td>
                  <SeverityBadge severity={i.severity} />
                </td>
                <td>
                  <a
                    href={pageHref('alerts', { ...params, incident: String(i.id) }, ['history'])}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {i.ruleName}
                  </a>
                  {i.label && <span className="muted"> · {i.label}</span>}
                  <div className="muted small">{i.summary}</div>
                </td>
                <td>{i.hostName}</td>
                <td>{formatTime(i.firedAt)}</td>
                <td>{formatDuration((i.resolvedAt ?? Date.now()) - i.firedAt)}</td>
                <td className="num">{formatAlertValue(i.metric, i.peak)}</td>
                <td>
                  {i.state === 'firing' ? (
                    <span className="tone-bad">● firing</span>
                  ) : (
                    <span className="tone-ok">✓ resolved</span>
                  )}
                  {i.flapCount > 0 && <div className="small tone-warn">↯ flapped {i.flapCount}×</div>}
                  {i.acknowledged && <div className="small muted">✓ {i.acknowledged.by}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" onClick={() => load(client, next)} disabled={loading}>
          Older incidents
        </button>
      )}
    </Panel>
  );
}
