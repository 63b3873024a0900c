// Where you are signed in: each session with its address and browser, sign one out, or all.
import { useCallback, useState } from 'react';
import type { SessionInfo } from '../../../../common/schemas/accounts';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { Panel } from '../../components/Panel';
import { describeAgent, formatRelative, formatWhen, METHOD_WORDS } from './account-format';

export function SessionsSection() {
  const client = useClient();
  const [sessions, setSessions] = useState<SessionInfo[]>();
  const [message, setMessage] = useState<string>();
  const load = useCallback((c: HyperionClient) => {
    c.call('accounts.sessions', {}).then(setSessions, (err: Error) => setMessage(err.message));
  }, []);
  useOnConnected(load);

  const end = async (id: string) => {
    await client.call('accounts.endSession', { id }).catch((err: Error) => setMessage(err.message));
    load(client);
  };
  const everywhere = async () => {
    if (!window.confirm('Sign out of every session, this one included?')) return;
    await client.call('accounts.logoutEverywhere', {}).catch((err: Error) => setMessage(err.message));
  };
  return (
    <Panel title="Sessions" wide testId="account-sessions">
      {sessions === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="sessions-table">
          <thead>
            <tr>
              <th>Signed in</th>
              <th>Last active</th>
              <th>Ends</th>
              <th>From</th>
              <th>Browser</th>
              <th>With</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-testid={`session-${s.id}`}>
                <td>{formatWhen(s.createdAt)}</td>
                <td>{formatRelative(s.lastSeenAt)}</td>
                <td title={`At the latest ${formatWhen(s.absoluteExpiresAt)}`}>
                  {formatRelative(s.expiresAt)}
                </td>
                <td>{s.address ?? '–'}</td>
                <td>{describeAgent(s.userAgent)}</td>
                <td>
                  {METHOD_WORDS[s.method] ?? s.method}
                  {s.role !== 'admin' && <span className="muted"> ({s.role})</span>}
                </td>
                <td>
                  {s.current ? (
                    <span className="muted">this one</span>
                  ) : (
                    <button type="button" onClick={() => void end(s.id)}>
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button
          type="button"
          className="danger"
          onClick={() => void everywhere()}
          data-testid="logout-everywhere"
        >
          Sign out everywhere
        </button>
      </div>
      {message && <p role="status">{message}</p>}
    </Panel>
  );
}
