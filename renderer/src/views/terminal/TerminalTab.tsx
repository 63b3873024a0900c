// The Terminal tab of a host: its shells as tabs (several at once), each a TerminalView. Sessions
// outlive the page: coming back to the tab, or reloading, reattaches to them with their scrollback.
import { useCallback, useEffect, useState } from 'react';
import type { TerminalSession } from '../../../../common/schemas/terminal';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import type { ToolTabProps } from '../host/host-tab-registry';
import { TerminalView } from './TerminalView';
import './terminal.css';

const STATE_ICON: Record<TerminalSession['state'], { icon: string; label: string }> = {
  opening: { icon: '…', label: 'opening' },
  open: { icon: '●', label: 'open' },
  dropped: { icon: '⚠', label: 'connection lost' },
  closed: { icon: '■', label: 'ended' },
};

/** The size a new shell starts with before the pane measures itself. */
const FIRST_SIZE = { cols: 120, rows: 32 };

export function TerminalTab({ hostId, host, status }: ToolTabProps) {
  const client = useClient();
  const [sessions, setSessions] = useState<TerminalSession[]>([]);
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [active, setActive] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [opening, setOpening] = useState(false);

  const open = useCallback(async () => {
    setOpening(true);
    setError(undefined);
    try {
      const session = await client.call('terminal.open', { host: hostId, ...FIRST_SIZE });
      setSessions((list) => [...list.filter((s) => s.id !== session.id), session]);
      setActive(session.id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setOpening(false);
    }
  }, [client, hostId]);

  // The sessions already open on this host (another visit, a reload); a first shell otherwise.
  useOnConnected(
    useCallback(
      (c) => {
        if (hostId === 'local') return;
        void c.call('terminal.sessions', { host: hostId }).then(
          (list) => {
            setSessions(list);
            setLoaded(true);
            setActive((current) => current ?? list[list.length - 1]?.id);
          },
          (err: Error) => setError(err.message),
        );
      },
      [hostId],
    ),
  );

  useEffect(() => {
    if (loaded && sessions.length === 0 && !opening && !error && status?.state === 'up') void open();
    // Only when the list first arrives (or the host comes up with none open).
  }, [loaded, status?.state]); // eslint-disable-line react-hooks/exhaustive-deps

  if (hostId === 'local') {
    return (
      <EmptyState title="Terminals are for SSH hosts">
        A terminal on this computer would need a native pseudo-terminal module, which Hyperion does not ship:
        use your own terminal here. Every saved SSH host has a Terminal tab.
      </EmptyState>
    );
  }

  const close = async (id: string) => {
    try {
      await client.call('terminal.close', { session: id });
    } catch {
      // Already over on the server: forget it here too.
    }
    setSessions((list) => {
      const rest = list.filter((s) => s.id !== id);
      if (active === id) setActive(rest[rest.length - 1]?.id);
      return rest;
    });
  };

  const onSession = (session: TerminalSession) =>
    setSessions((list) => list.map((s) => (s.id === session.id ? session : s)));

  return (
    <div className="terminal-tab" data-testid="terminal-tab">
      <div className="terminal-sessions" role="tablist" aria-label={`Shells on ${host?.name ?? hostId}`}>
        {sessions.map((s, i) => {
          const state = STATE_ICON[s.state];
          return (
            <div
              key={s.id}
              role="tab"
              tabIndex={0}
              aria-selected={s.id === active}
              className={`terminal-session-tab${s.id === active ? ' active' : ''}`}
              onClick={() => setActive(s.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') setActive(s.id);
              }}
              data-testid="terminal-session-tab"
              data-state={s.state}
            >
              <span
                className={`tab-state tone-${s.state === 'open' ? 'ok' : s.state === 'dropped' ? 'bad' : 'muted'}`}
                aria-hidden
              >
                {state.icon}
              </span>
              <span>{titles[s.id] || `Shell ${i + 1}`}</span>
              <span className="sr-only">({state.label})</span>
              <button
                type="button"
                className="tab-close"
                aria-label={`Close ${titles[s.id] || `shell ${i + 1}`}`}
                title="Close this shell"
                onClick={(e) => {
                  e.stopPropagation();
                  void close(s.id);
                }}
              >
                ×
              </button>
            </div>
          );
        })}
        <button
          type="button"
          onClick={() => void open()}
          disabled={opening}
          data-testid="new-terminal"
          title="Open another shell"
        >
          + New shell
        </button>
        <span className="terminal-toolbar muted small">{host ? `${host.username}@${host.address}` : ''}</span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {sessions.length === 0 && loaded && !opening && !error && status?.state !== 'up' && (
        <EmptyState title="Not connected">
          {status?.message ?? 'Waiting for the host.'} A shell opens once the host is connected.
        </EmptyState>
      )}
      {sessions.map((s) => (
        <TerminalView
          key={s.id}
          sessionId={s.id}
          active={s.id === active}
          onSession={onSession}
          onTitle={(title) => setTitles((t) => ({ ...t, [s.id]: title }))}
        />
      ))}
    </div>
  );
}
