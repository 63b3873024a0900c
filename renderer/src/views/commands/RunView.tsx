// One run: the command, who ran it and when, the summary (n succeeded, n failed and which), and each
// host's live output with stdout and stderr told apart, exit code and duration; cancel the run or a
// host, run it again, show a host's whole kept output.
import { useState } from 'react';
import type { CommandHostResult, CommandRun } from '../../../../common/schemas/commands';
import { useClient } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { formatBytes, formatClock } from '../../lib/format';
import { useCommandRun, type HostLines } from './useCommandRun';

const HOST_STATE: Record<CommandHostResult['state'], { icon: string; label: string; tone: string }> = {
  queued: { icon: '…', label: 'Queued', tone: 'muted' },
  running: { icon: '▶', label: 'Running', tone: 'info' },
  succeeded: { icon: '✓', label: 'Succeeded', tone: 'ok' },
  failed: { icon: '✕', label: 'Failed', tone: 'bad' },
  timed_out: { icon: '⏱', label: 'Timed out', tone: 'bad' },
  cancelled: { icon: '■', label: 'Cancelled', tone: 'warn' },
  unreachable: { icon: '▼', label: 'Unreachable', tone: 'bad' },
  interrupted: { icon: '?', label: 'Interrupted', tone: 'warn' },
};

export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

type Filter = 'all' | 'problems' | 'succeeded';

export function RunView(props: {
  runId: string;
  onRunAgain: (run: CommandRun) => void;
  onDeleted: () => void;
}) {
  const client = useClient();
  const { run, output, error } = useCommandRun(props.runId);
  const [filter, setFilter] = useState<Filter>('all');
  const [problem, setProblem] = useState<string>();
  if (error) return <EmptyState title="This run cannot be shown">{error}</EmptyState>;
  if (!run) return <p className="muted">Loading the run…</p>;
  const problems = run.hosts.filter(
    (h) => h.state !== 'succeeded' && h.state !== 'running' && h.state !== 'queued',
  );
  const shown = run.hosts.filter((h) =>
    filter === 'all' ? true : filter === 'succeeded' ? h.state === 'succeeded' : problems.includes(h),
  );
  const running = run.state === 'running';
  const act = (p: Promise<unknown>) => void p.catch((err: Error) => setProblem(err.message));
  return (
    <section className="panel run-view" aria-label="Run" data-testid="run-view" data-state={run.state}>
      <header className="run-header">
        <pre className="run-command" data-testid="run-command">
          {run.command}
        </pre>
        <div className="run-meta muted small">
          {run.actor} · {new Date(run.startedAt).toLocaleString()} · {run.hosts.length} host
          {run.hosts.length === 1 ? '' : 's'}, {run.concurrency} at a time, timeout {run.timeoutSec} s
          {run.finishedAt !== null && ` · took ${formatDuration(run.finishedAt - run.startedAt)}`}
        </div>
        <div className="run-actions">
          {running && (
            <button
              type="button"
              className="danger"
              onClick={() => act(client.call('commands.cancel', { run: run.id }))}
              data-testid="cancel-run"
            >
              Cancel run
            </button>
          )}
          <button type="button" onClick={() => props.onRunAgain(run)}>
            Run again…
          </button>
          {!running && (
            <button
              type="button"
              onClick={() =>
                act(client.call('commands.deleteRun', { run: run.id }).then(() => props.onDeleted()))
              }
            >
              Delete from history
            </button>
          )}
        </div>
      </header>
      <div className="run-summary" data-testid="run-summary" role="status">
        <span className="tone-ok">✓ {run.summary.succeeded} succeeded</span>
        <span className={run.summary.failed ? 'tone-bad' : 'muted'}>✕ {run.summary.failed} failed</span>
        {run.summary.running > 0 && <span className="tone-info">▶ {run.summary.running} running</span>}
        {run.summary.queued > 0 && <span className="muted">… {run.summary.queued} queued</span>}
        {run.state === 'cancelled' && <span className="tone-warn">■ cancelled</span>}
        {run.state === 'interrupted' && <span className="tone-warn">? interrupted (Hyperion stopped)</span>}
        {problems.length > 0 && (
          <span className="run-failed-names" data-testid="failed-hosts">
            Failed: {problems.map((h) => h.name).join(', ')}
          </span>
        )}
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="run-filter" role="radiogroup" aria-label="Show hosts">
        {(['all', 'problems', 'succeeded'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="run-filter" checked={filter === f} onChange={() => setFilter(f)} />{' '}
            {f === 'all'
              ? `All (${run.hosts.length})`
              : f === 'problems'
                ? `Failed (${problems.length})`
                : `Succeeded (${run.summary.succeeded})`}
          </label>
        ))}
      </div>
      <ol className="run-hosts">
        {shown.map((h) => (
          <HostResult
            key={h.host}
            runId={run.id}
            result={h}
            lines={output.get(h.host)}
            openByDefault={run.hosts.length <= 10 || (h.state !== 'succeeded' && h.state !== 'queued')}
            onCancel={() => act(client.call('commands.cancel', { run: run.id, host: h.host }))}
          />
        ))}
      </ol>
    </section>
  );
}

function HostResult(props: {
  runId: string;
  result: CommandHostResult;
  lines: HostLines | undefined;
  openByDefault: boolean;
  onCancel: () => void;
}) {
  const client = useClient();
  const { result: h } = props;
  const [open, setOpen] = useState<boolean>();
  const [full, setFull] = useState<HostLines>();
  const [error, setError] = useState<string>();
  const state = HOST_STATE[h.state];
  const lines = full ?? props.lines;
  const isOpen = open ?? props.openByDefault;
  const loadAll = () =>
    void client.call('commands.output', { run: props.runId, host: h.host }).then(
      (o) => setFull({ chunks: o.chunks, omitted: 0 }),
      (err: Error) => setError(err.message),
    );
  return (
    <li
      className={`run-host tone-border-${state.tone}`}
      data-testid="run-host"
      data-host={h.host}
      data-state={h.state}
    >
      <div className="run-host-head">
        <button
          type="button"
          className="run-host-toggle"
          aria-expanded={isOpen}
          onClick={() => setOpen(!isOpen)}
        >
          {isOpen ? '▾' : '▸'}
        </button>
        <strong className="run-host-name">{h.name}</strong>
        <span className={`run-host-state tone-${state.tone}`} data-testid="host-state">
          {state.icon} {state.label}
        </span>
        {h.exitCode !== null && (
          <span className="muted small" data-testid="exit-code">
            exit {h.exitCode}
          </span>
        )}
        {h.signal && <span className="muted small">{h.signal}</span>}
        {h.durationMs !== null && <span className="muted small">{formatDuration(h.durationMs)}</span>}
        {h.startedAt !== null && h.state === 'running' && (
          <span className="muted small">since {formatClock(h.startedAt)}</span>
        )}
        <span className="muted small">{formatBytes(h.outputBytes)} output</span>
        {(h.state === 'running' || h.state === 'queued') && (
          <button type="button" className="small" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      {h.error && h.state !== 'succeeded' && (
        <p className="run-host-error" data-testid="host-error">
          {h.error}
        </p>
      )}
      {isOpen && (
        <>
          {lines && lines.omitted > 0 && (
            <p className="muted small">
              {formatBytes(lines.omitted)} of earlier output not shown.{' '}
              <button type="button" className="link-button" onClick={loadAll}>
                Show all kept output
              </button>
            </p>
          )}
          {lines && lines.chunks.length > 0 ? (
            <pre className="run-output" data-testid="host-output">
              {lines.chunks.map((c, i) => (
                <span key={i} className={c.stream === 'stderr' ? 'stderr' : 'stdout'}>
                  {c.text}
                </span>
              ))}
            </pre>
          ) : (
            h.state !== 'queued' && h.state !== 'running' && <p className="muted small">No output.</p>
          )}
          {h.truncated && (
            <p className="muted small">
              Output past the limit was not kept ({formatBytes(h.outputBytes)} in all).
            </p>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </li>
  );
}
