// The selected process: what it is, and the actions on it (signal, renice, restart its service),
// each confirmed in a dialog that names the process and the host. The confirmed process is sent
// with its start time, so a PID reused meanwhile is refused by the core instead of signalled.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../../common/errors';
import { SIGNALS, type ProcessRow, type SignalName } from '../../../../common/schemas/processes';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { formatBytes } from '../../lib/format';
import { STATE_NAMES } from './process-rows';

const SIGNAL_HELP: Record<SignalName, string> = {
  TERM: 'asks it to end (it may clean up first)',
  KILL: 'ends it at once: it cannot clean up or refuse',
  HUP: 'many daemons reload their configuration',
  INT: 'like Ctrl+C',
  STOP: 'freezes it until CONT',
  CONT: 'lets a stopped process run again',
  USR1: 'meaning depends on the program',
  USR2: 'meaning depends on the program',
};

type Pending =
  | { kind: 'signal'; signal: SignalName; process: ProcessRow }
  | { kind: 'renice'; nice: number; process: ProcessRow }
  | { kind: 'restart'; process: ProcessRow };

interface Props {
  hostId: string;
  hostLabel: string;
  process: ProcessRow | undefined;
  selectedPid: number | null;
  /** Incremented to ask for the SIGTERM dialog (the Delete key). */
  askSignal: number;
  onDone: () => void;
}

export function ProcessActions({ hostId, hostLabel, process, selectedPid, askSignal, onDone }: Props) {
  const client = useClient();
  const [signal, setSignal] = useState<SignalName>('TERM');
  const [nice, setNice] = useState('0');
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const lastAsk = useRef(askSignal);

  useEffect(() => {
    if (process) setNice(String(process.nice));
    // Only when another process is selected, not on every update of this one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [process?.pid]);

  useEffect(() => {
    if (askSignal !== lastAsk.current && process) setPending({ kind: 'signal', signal: 'TERM', process });
    lastAsk.current = askSignal;
  }, [askSignal, process]);

  if (selectedPid === null) {
    return (
      <p className="muted small proc-hint" data-testid="process-hint">
        Select a process to signal it, change its nice value or restart its service.
        {result && (
          <span className={result.ok ? ' tone-ok' : ' tone-bad'} role={result.ok ? 'status' : 'alert'}>
            {' '}
            {result.text}
          </span>
        )}
      </p>
    );
  }
  if (!process) {
    return (
      <div className="proc-actions" data-testid="process-actions">
        <span className="muted">PID {selectedPid} has exited.</span>
        {result && (
          <span
            className={result.ok ? 'tone-ok' : 'tone-bad'}
            role={result.ok ? 'status' : 'alert'}
            data-testid="process-result"
          >
            {result.text}
          </span>
        )}
      </div>
    );
  }

  const niceValue = Number(nice);
  const niceValid = nice.trim() !== '' && Number.isInteger(niceValue) && niceValue >= -20 && niceValue <= 19;
  const name = `${process.name} (PID ${process.pid})`;

  const run = async () => {
    if (!pending) return;
    setBusy(true);
    const expect = { startTicks: pending.process.startTicks };
    const pid = pending.process.pid;
    try {
      const done =
        pending.kind === 'signal'
          ? await client.call('processes.signal', { host: hostId, pid, signal: pending.signal, expect })
          : pending.kind === 'renice'
            ? await client.call('processes.renice', { host: hostId, pid, nice: pending.nice, expect })
            : await client.call('processes.restartService', { host: hostId, pid, expect });
      setResult({ ok: true, text: done.message });
    } catch (err) {
      setResult({
        ok: false,
        text: err instanceof ApiError || err instanceof Error ? err.message : String(err),
      });
    } finally {
      setBusy(false);
      setPending(undefined);
      onDone();
    }
  };

  return (
    <div className="proc-actions" data-testid="process-actions">
      <div className="proc-details">
        <strong>{name}</strong>
        <span className="muted">
          {process.user} · {STATE_NAMES[process.state] ?? process.state} · parent {process.ppid} ·{' '}
          {process.threads === 1 ? '1 thread' : `${process.threads} threads`} ·{' '}
          {formatBytes(process.rssBytes)} resident · started {new Date(process.startedAt).toLocaleString()}
          {process.unit && ` · ${process.unit}`}
          {process.userUnit && ` · ${process.userUnit} (user unit)`}
        </span>
        <code className="proc-cmdline" data-testid="process-cmdline">
          {process.cmdline || `[${process.name}] (kernel thread)`}
        </code>
      </div>
      <div className="proc-buttons">
        <select
          aria-label="Signal"
          value={signal}
          onChange={(e) => setSignal(e.target.value as SignalName)}
          data-testid="process-signal"
        >
          {SIGNALS.map((s) => (
            <option key={s} value={s}>
              SIG{s}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="danger"
          onClick={() => setPending({ kind: 'signal', signal, process })}
          data-testid="process-send-signal"
        >
          Send…
        </button>
        <label className="proc-nice">
          Nice{' '}
          <input
            type="number"
            min={-20}
            max={19}
            className="narrow-input"
            value={nice}
            onChange={(e) => setNice(e.target.value)}
            aria-invalid={!niceValid}
            data-testid="process-nice"
          />
        </label>
        <button
          type="button"
          disabled={!niceValid || niceValue === process.nice}
          onClick={() => setPending({ kind: 'renice', nice: niceValue, process })}
          data-testid="process-renice"
        >
          Renice…
        </button>
        {process.unit && (
          <button
            type="button"
            onClick={() => setPending({ kind: 'restart', process })}
            data-testid="process-restart-service"
          >
            Restart {process.unit}…
          </button>
        )}
      </div>
      {result && (
        <p
          className={result.ok ? 'tone-ok small' : 'form-error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="process-result"
        >
          {result.text}
        </p>
      )}
      {pending && (
        <ConfirmProcessAction
          pending={pending}
          hostLabel={hostLabel}
          busy={busy}
          onCancel={() => setPending(undefined)}
          onConfirm={() => void run()}
        />
      )}
    </div>
  );
}

function ConfirmProcessAction(props: {
  pending: Pending;
  hostLabel: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { pending, hostLabel } = props;
  const p = pending.process;
  const who = `${p.name} (PID ${p.pid}) on ${hostLabel}`;
  const title =
    pending.kind === 'signal'
      ? `Send SIG${pending.signal} to ${who}?`
      : pending.kind === 'renice'
        ? `Set the nice value of ${who} to ${pending.nice}?`
        : `Restart ${p.unit} on ${hostLabel}?`;
  const verb =
    pending.kind === 'signal'
      ? `Send SIG${pending.signal}`
      : pending.kind === 'renice'
        ? 'Renice'
        : `Restart ${p.unit}`;
  return (
    <Dialog title={title} onClose={props.onCancel} testId="process-confirm">
      <p className="muted small">
        {p.user} · <code>{p.cmdline || `[${p.name}]`}</code>
      </p>
      {pending.kind === 'signal' && (
        <p>
          SIG{pending.signal} {SIGNAL_HELP[pending.signal]}.
        </p>
      )}
      {pending.kind === 'renice' && (
        <p>
          From {p.nice} to {pending.nice}:{' '}
          {pending.nice < p.nice ? 'a higher priority (needs root).' : 'a lower priority.'}
        </p>
      )}
      {pending.kind === 'restart' && (
        <p>
          {p.name} belongs to {p.unit}: systemd stops every process of the service and starts it again.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button
          type="button"
          className={pending.kind === 'renice' ? 'primary' : 'danger'}
          onClick={props.onConfirm}
          disabled={props.busy}
          data-testid="process-confirm-button"
        >
          {props.busy ? 'Working…' : verb}
        </button>
      </div>
    </Dialog>
  );
}
