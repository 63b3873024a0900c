// Past and running runs, newest first: the command, how many hosts, how it went, who and when; live
// as runs start and end (commands.changed), searchable by the command's words, paged.
import { useCallback, useEffect, useState } from 'react';
import type { CommandRun } from '../../../../common/schemas/commands';
import { useClient, useOnConnected } from '../../api/context';
import { pageHref } from '../../hooks/useHashRoute';

function when(ts: number): string {
  const d = new Date(ts);
  const today = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === today.toDateString()
    ? time
    : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function RunHistory({ current }: { current: string | undefined }) {
  const client = useClient();
  const [runs, setRuns] = useState<CommandRun[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();

  const load = useCallback(
    (query: string) =>
      void client
        .call('commands.history', { limit: 30, ...(query.trim() ? { text: query.trim() } : {}) })
        .then(
          (page) => {
            setRuns(page.runs);
            setNext(page.nextBefore);
            setError(undefined);
          },
          (err: Error) => setError(err.message),
        ),
    [client],
  );
  useOnConnected(useCallback(() => load(text), [load, text]));

  // Runs that start, progress or end while the page is open.
  useEffect(
    () =>
      client.subscribe(
        'commands.changed',
        {},
        {
          onEvent: (event) => {
            if (event.snapshot) return;
            setRuns((list) => {
              let out = list.filter((r) => !event.deleted.includes(r.id));
              for (const run of event.runs) {
                const at = out.findIndex((r) => r.id === run.id);
                if (at >= 0) out = out.map((r) => (r.id === run.id ? run : r));
                else if (!text.trim() || run.command.toLowerCase().includes(text.trim().toLowerCase()))
                  out = [run, ...out];
              }
              return out;
            });
          },
        },
      ),
    [client, text],
  );

  const more = () =>
    next !== null &&
    void client
      .call('commands.history', { limit: 30, before: next, ...(text.trim() ? { text: text.trim() } : {}) })
      .then(
        (page) => {
          setRuns((list) => [...list, ...page.runs]);
          setNext(page.nextBefore);
        },
        (err: Error) => setError(err.message),
      );

  return (
    <aside className="panel run-history" aria-label="Run history" data-testid="run-history">
      <header className="panel-header">
        <h2>History</h2>
      </header>
      <input
        type="search"
        placeholder="Find by command"
        aria-label="Find runs by command"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          load(e.target.value);
        }}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {runs.length === 0 && !error && <p className="muted small">No runs yet.</p>}
      <ol className="history-list">
        {runs.map((r) => (
          <li
            key={r.id}
            className={r.id === current ? 'current' : undefined}
            data-testid="history-run"
            data-state={r.state}
          >
            <a href={pageHref('commands', undefined, [r.id])}>
              <code className="history-command">{r.command.split('\n')[0]}</code>
            </a>
            <div className="muted small">
              {when(r.startedAt)} · {r.actor} · {r.hosts.length} host{r.hosts.length === 1 ? '' : 's'} ·{' '}
              {r.state === 'running' ? (
                <span className="tone-info">
                  running ({r.summary.succeeded + r.summary.failed}/{r.hosts.length})
                </span>
              ) : (
                <>
                  <span className="tone-ok">{r.summary.succeeded} ✓</span>{' '}
                  {r.summary.failed > 0 && <span className="tone-bad">{r.summary.failed} ✕</span>}
                  {r.state !== 'finished' && ` (${r.state})`}
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
      {next !== null && (
        <button type="button" onClick={more}>
          Older runs
        </button>
      )}
    </aside>
  );
}
