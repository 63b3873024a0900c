// Where a run is prepared: the command as typed (it goes to each host's login shell as written),
// the hosts (ticked one by one, by tag, or every host that is up), snippets, concurrency and
// timeout, and a confirmation naming the exact command and hosts before it runs on more than one.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Snippet } from '../../../../common/schemas/commands';
import type { Host } from '../../../../common/schemas/hosts';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { StateBadge } from '../../components/StateBadge';
import type { HostsState } from '../../hooks/useHosts';

export interface Draft {
  command: string;
  hosts: string[];
  concurrency: number;
  timeoutSec: number;
}

interface Props {
  hostsState: HostsState;
  draft: Draft;
  onDraft: (draft: Draft) => void;
  snippets: Snippet[];
  onSnippetsChanged: () => void;
  onStarted: (runId: string) => void;
}

export function CommandComposer({
  hostsState,
  draft,
  onDraft,
  snippets,
  onSnippetsChanged,
  onStarted,
}: Props) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { hosts, statuses } = hostsState;
  const chosen = useMemo(() => hosts.filter((h) => draft.hosts.includes(h.id)), [hosts, draft.hosts]);
  const tags = useMemo(() => [...new Set(hosts.flatMap((h) => h.tags))].sort(), [hosts]);
  const set = (patch: Partial<Draft>) => onDraft({ ...draft, ...patch });
  const toggle = (id: string, on: boolean) =>
    set({ hosts: on ? [...new Set([...draft.hosts, id])] : draft.hosts.filter((h) => h !== id) });
  const byTag = (tag: string) =>
    set({
      hosts: [...new Set([...draft.hosts, ...hosts.filter((h) => h.tags.includes(tag)).map((h) => h.id)])],
    });
  const up = hosts.filter((h) => statuses.get(h.id)?.state === 'up');

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // The hosts in the order shown, exactly those confirmed.
      const ids = hosts.filter((h) => draft.hosts.includes(h.id)).map((h) => h.id);
      const started = await client.call('commands.run', {
        command: draft.command,
        hosts: ids,
        concurrency: draft.concurrency,
        timeoutSec: draft.timeoutSec,
      });
      setConfirming(false);
      onStarted(started.id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.command.trim()) return setError('Type a command.');
    if (chosen.length === 0) return setError('Choose at least one host.');
    if (chosen.length > 1) setConfirming(true);
    else void run();
  };

  return (
    <>
      <form
        className="panel command-composer"
        onSubmit={submit}
        data-testid="command-composer"
        aria-label="Run a command"
      >
        <header className="panel-header">
          <h2>Run a command</h2>
          <div className="composer-snippets">
            <select
              aria-label="Insert a snippet"
              value=""
              onChange={(e) => {
                const snippet = snippets.find((s) => s.id === e.target.value);
                if (snippet) set({ command: snippet.command });
              }}
              data-testid="snippet-select"
            >
              <option value="">Insert a snippet…</option>
              {snippets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => setSaving(true)} disabled={!draft.command.trim()}>
              Save as snippet
            </button>
          </div>
        </header>
        <textarea
          className="command-input"
          aria-label="Command"
          placeholder="uptime; df -h /"
          rows={3}
          spellCheck={false}
          value={draft.command}
          onChange={(e) => set({ command: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit(e);
            }
          }}
          data-testid="command-input"
        />
        <p className="muted small">
          Runs in each host’s login shell exactly as typed, over its open connection; it reads no input.
          Ctrl+Enter runs.
        </p>
        <fieldset className="host-picker" data-testid="host-picker">
          <legend>
            Hosts{' '}
            <span className="muted">
              ({chosen.length} of {hosts.length} chosen)
            </span>
          </legend>
          <div className="picker-shortcuts">
            <button
              type="button"
              onClick={() => set({ hosts: up.map((h) => h.id) })}
              disabled={up.length === 0}
            >
              All up ({up.length})
            </button>
            {tags.map((tag) => (
              <button
                type="button"
                key={tag}
                className="tag"
                onClick={() => byTag(tag)}
                title={`Add every host tagged ${tag}`}
                data-testid={`pick-tag-${tag}`}
              >
                {tag}
              </button>
            ))}
            <button type="button" onClick={() => set({ hosts: [] })} disabled={draft.hosts.length === 0}>
              None
            </button>
          </div>
          {hosts.length === 0 && (
            <p className="muted">No saved hosts yet: add one in the fleet. Commands run on SSH hosts.</p>
          )}
          <ul className="picker-list">
            {hosts.map((h) => (
              <li key={h.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={draft.hosts.includes(h.id)}
                    onChange={(e) => toggle(h.id, e.target.checked)}
                    data-testid={`pick-${h.id}`}
                  />{' '}
                  <span className="picker-name">{h.name}</span>{' '}
                  {statuses.get(h.id) && (
                    <StateBadge state={statuses.get(h.id)!.state} message={statuses.get(h.id)!.message} />
                  )}
                  {h.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="composer-options">
          <label>
            At a time{' '}
            <input
              type="number"
              min={1}
              max={100}
              value={draft.concurrency}
              onChange={(e) => set({ concurrency: clamp(Number(e.target.value), 1, 100) })}
              aria-label="Hosts at a time"
            />
          </label>
          <label>
            Timeout{' '}
            <input
              type="number"
              min={1}
              max={86_400}
              value={draft.timeoutSec}
              onChange={(e) => set({ timeoutSec: clamp(Number(e.target.value), 1, 86_400) })}
              aria-label="Timeout in seconds"
            />{' '}
            s
          </label>
          <button type="submit" className="primary" disabled={busy} data-testid="run-command">
            {chosen.length > 1 ? `Run on ${chosen.length} hosts…` : 'Run'}
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert" data-testid="composer-error">
            {error}
          </p>
        )}
      </form>
      {confirming && (
        <ConfirmRun
          command={draft.command}
          hosts={chosen}
          draft={draft}
          busy={busy}
          error={error}
          onRun={() => void run()}
          onClose={() => setConfirming(false)}
        />
      )}
      {saving && (
        <SnippetDialog
          command={draft.command}
          onClose={() => setSaving(false)}
          onSaved={() => {
            setSaving(false);
            onSnippetsChanged();
          }}
        />
      )}
    </>
  );
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}

function ConfirmRun(props: {
  command: string;
  hosts: Host[];
  draft: Draft;
  busy: boolean;
  error: string | undefined;
  onRun: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      title={`Run this on ${props.hosts.length} hosts?`}
      onClose={props.onClose}
      testId="confirm-run"
      wide
    >
      <p className="muted small">Exactly this, in each host’s login shell:</p>
      <pre className="confirm-command" data-testid="confirm-command">
        {props.command}
      </pre>
      <p className="muted small">
        On these hosts, {props.draft.concurrency} at a time, each stopped after {props.draft.timeoutSec} s:
      </p>
      <ul className="confirm-hosts" data-testid="confirm-hosts">
        {props.hosts.map((h) => (
          <li key={h.id}>
            {h.name}{' '}
            <span className="muted small">
              {h.username}@{h.address}
            </span>
          </li>
        ))}
      </ul>
      {props.error && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={props.onRun}
          disabled={props.busy}
          data-testid="confirm-run-button"
        >
          Run on {props.hosts.length} hosts
        </button>
      </div>
    </Dialog>
  );
}

export function SnippetDialog(props: {
  command: string;
  snippet?: Snippet;
  onClose: () => void;
  onSaved: () => void;
}) {
  const client = useClient();
  const [name, setName] = useState(props.snippet?.name ?? '');
  const [command, setCommand] = useState(props.snippet?.command ?? props.command);
  const [description, setDescription] = useState(props.snippet?.description ?? '');
  const [error, setError] = useState<string>();
  useEffect(() => setError(undefined), [name, command]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    try {
      await client.call('commands.saveSnippet', {
        ...(props.snippet ? { id: props.snippet.id } : {}),
        name,
        command,
        description,
      });
      props.onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog
      title={props.snippet ? `Edit ${props.snippet.name}` : 'Save as a snippet'}
      onClose={props.onClose}
      testId="snippet-dialog"
    >
      <form className="form" onSubmit={save}>
        <label>
          Name
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label>
          Command
          <textarea
            name="command"
            className="command-input"
            rows={3}
            value={command}
            onChange={(e) => setCommand(e.target.value)}
            spellCheck={false}
          />
        </label>
        <label>
          Description
          <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="save-snippet">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
