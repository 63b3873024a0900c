// The Commands page (rail): run a command on one host, a selection or a tag, watch each host's
// answer live, and look back at past runs and saved snippets. "#/commands" composes, and
// "#/commands/<run>" shows a run; "?hosts=a,b", "?tag=web" and "?command=…" fill the composer in.
import { useCallback, useEffect, useState } from 'react';
import type { CommandRun, Snippet } from '../../../../common/schemas/commands';
import { useClient, useOnConnected } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { navigate, pageHref } from '../../hooks/useHashRoute';
import type { RailPageProps } from '../../rail-pages';
import { CommandComposer, SnippetDialog, type Draft } from './CommandComposer';
import { RunHistory } from './RunHistory';
import { RunView } from './RunView';
import './commands.css';

export function CommandsPage({ route, hosts }: RailPageProps) {
  const client = useClient();
  const runId = route.path?.[0];
  const params = route.params ?? {};
  const [draft, setDraft] = useState<Draft>(() => ({
    command: params.command ?? '',
    hosts: [],
    concurrency: 10,
    timeoutSec: 300,
  }));
  const [snippets, setSnippets] = useState<Snippet[]>([]);
  const [editing, setEditing] = useState<Snippet>();
  const [managing, setManaging] = useState(false);

  // Hosts named in the link (a fleet selection, a tag) are chosen once the list is known.
  const wanted = params.hosts ?? '';
  const wantedTag = params.tag ?? '';
  useEffect(() => {
    if (hosts.hosts.length === 0 || (!wanted && !wantedTag)) return;
    const ids = new Set(wanted.split(',').filter(Boolean));
    const chosen = hosts.hosts
      .filter((h) => ids.has(h.id) || (wantedTag && h.tags.includes(wantedTag)))
      .map((h) => h.id);
    if (chosen.length) setDraft((d) => ({ ...d, hosts: chosen }));
  }, [hosts.hosts, wanted, wantedTag]);

  const loadSnippets = useCallback(
    () => void client.call('commands.snippets', {}).then(setSnippets, () => undefined),
    [client],
  );
  useOnConnected(loadSnippets);

  const runAgain = (run: CommandRun) => {
    setDraft({
      command: run.command,
      hosts: run.hosts.map((h) => h.host).filter((id) => hosts.hosts.some((h) => h.id === id)),
      concurrency: run.concurrency,
      timeoutSec: run.timeoutSec,
    });
    navigate(pageHref('commands'));
  };

  return (
    <div className="view commands-page" data-testid="commands-page">
      <header className="view-header">
        <div>
          <h1>Commands</h1>
          <p className="muted">
            Run a command on one host, a selection or a tag, in parallel; every run is kept in the history and
            the audit log.
          </p>
        </div>
        <button type="button" onClick={() => setManaging(true)}>
          Snippets ({snippets.length})
        </button>
      </header>
      <div className="commands-layout">
        <div className="commands-main">
          {runId ? (
            <>
              <p>
                <a href={pageHref('commands')}>← New command</a>
              </p>
              <RunView runId={runId} onRunAgain={runAgain} onDeleted={() => navigate(pageHref('commands'))} />
            </>
          ) : (
            <CommandComposer
              hostsState={hosts}
              draft={draft}
              onDraft={setDraft}
              snippets={snippets}
              onSnippetsChanged={loadSnippets}
              onStarted={(id) => navigate(pageHref('commands', undefined, [id]))}
            />
          )}
        </div>
        <RunHistory current={runId} />
      </div>
      {managing && (
        <SnippetList
          snippets={snippets}
          onEdit={(s) => setEditing(s)}
          onUse={(s) => {
            setDraft((d) => ({ ...d, command: s.command }));
            setManaging(false);
            navigate(pageHref('commands'));
          }}
          onDelete={(s) => void client.call('commands.deleteSnippet', { id: s.id }).then(loadSnippets)}
          onClose={() => setManaging(false)}
        />
      )}
      {editing && (
        <SnippetDialog
          command={editing.command}
          snippet={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            loadSnippets();
          }}
        />
      )}
    </div>
  );
}

function SnippetList(props: {
  snippets: Snippet[];
  onEdit: (s: Snippet) => void;
  onUse: (s: Snippet) => void;
  onDelete: (s: Snippet) => void;
  onClose: () => void;
}) {
  return (
    <Dialog title="Snippets" onClose={props.onClose} testId="snippet-list" wide>
      {props.snippets.length === 0 && (
        <p className="muted">No snippets yet: type a command and “Save as snippet”.</p>
      )}
      <ul className="snippet-items">
        {props.snippets.map((s) => (
          <li key={s.id}>
            <div>
              <strong>{s.name}</strong>{' '}
              {s.description && <span className="muted small">— {s.description}</span>}
              <pre className="snippet-command">{s.command}</pre>
            </div>
            <div className="snippet-actions">
              <button type="button" className="primary" onClick={() => props.onUse(s)}>
                Use
              </button>
              <button type="button" onClick={() => props.onEdit(s)}>
                Edit
              </button>
              <button type="button" className="danger" onClick={() => props.onDelete(s)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
