// Silences in force (and those that ended), with who made them, why, and until when.
import { useCallback, useState } from 'react';
import type { Silence } from '../../../../common/schemas/alerts';
import { useClient, useOnConnected } from '../../api/context';
import type { HyperionClient } from '../../api/client';
import { EmptyState, Panel } from '../../components/Panel';
import { formatTime } from './alert-format';
import { SilenceDialog } from './SilenceDialog';

export function SilencesView({
  hostNames,
  tags,
}: {
  hostNames: ReadonlyMap<string, string>;
  tags: string[];
}) {
  const client = useClient();
  const [silences, setSilences] = useState<Silence[]>([]);
  const [showEnded, setShowEnded] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  const load = useCallback(
    (c: HyperionClient) =>
      void c
        .call('alerts.silences.list', { includeEnded: showEnded })
        .then(setSilences, (err: Error) => setError(err.message)),
    [showEnded],
  );
  useOnConnected(load);
  const end = async (id: number) => {
    try {
      await client.call('alerts.silences.end', { id });
      load(client);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const what = (s: Silence) =>
    s.matcher.kind === 'host'
      ? `host ${hostNames.get(s.matcher.host) ?? s.matcher.host}`
      : s.matcher.kind === 'tag'
        ? `hosts tagged “${s.matcher.tag}”`
        : `rule ${s.matcher.ruleId}`;
  return (
    <Panel
      title="Silences"
      wide
      testId="silences"
      note={
        <label className="toggle small">
          <input type="checkbox" checked={showEnded} onChange={(e) => setShowEnded(e.target.checked)} /> show
          ended ones
        </label>
      }
    >
      <div className="actions">
        <button type="button" onClick={() => setCreating(true)}>
          New silence…
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
      {silences.length === 0 ? (
        <EmptyState title="No silence in force">
          Silence a host, a tag or a rule for maintenance from an active alert or here.
        </EmptyState>
      ) : (
        <table className="compact-table">
          <thead>
            <tr>
              <th>Silences</th>
              <th>Until</th>
              <th>Reason</th>
              <th>By</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {silences.map((s) => (
              <tr key={s.id} data-testid={`silence-${s.id}`}>
                <td>{what(s)}</td>
                <td>{s.endedAt ? `ended ${formatTime(s.endedAt)}` : formatTime(s.until)}</td>
                <td>{s.reason}</td>
                <td>{s.createdBy}</td>
                <td>
                  {s.active && (
                    <button type="button" onClick={() => void end(s.id)}>
                      End now
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <SilenceDialog tags={tags} onClose={() => setCreating(false)} onSaved={() => load(client)} />
      )}
    </Panel>
  );
}
