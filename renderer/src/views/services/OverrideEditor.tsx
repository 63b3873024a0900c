// Hyperion's drop-in override of a unit (/etc/systemd/system/UNIT.d/override.conf): edited here,
// shown as a diff against what is on the host before anything is written, then applied with
// daemon-reload (and a restart if asked). The core refuses it if the file changed meanwhile.
import { diffLines } from 'diff';
import { useMemo, useState } from 'react';
import type { UnitFiles } from '../../../../common/schemas/services';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';

const TEMPLATE = '[Service]\n';

export interface DiffLine {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

/** The change as lines, for the review dialog. */
export function overrideDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    for (const line of text.split('\n')) lines.push({ kind, text: line });
  }
  return lines;
}

export function OverrideEditor(props: {
  hostId: string;
  hostLabel: string;
  unit: string;
  files: UnitFiles;
  onApplied: (message: string) => void;
}) {
  const { files } = props;
  const client = useClient();
  const [text, setText] = useState(files.override || TEMPLATE);
  const [reviewing, setReviewing] = useState<string>();
  const [restart, setRestart] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const diff = useMemo(
    () => (reviewing === undefined ? [] : overrideDiff(files.override, reviewing)),
    [files.override, reviewing],
  );
  const normalized = (s: string) => s.replace(/\s+$/, '');
  const changed =
    normalized(text) !== normalized(files.override) &&
    !(files.override === '' && normalized(text) === normalized(TEMPLATE));

  const apply = async () => {
    if (reviewing === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const done = await client.call('services.setOverride', {
        host: props.hostId,
        unit: props.unit,
        content: reviewing,
        expected: files.override,
        restart,
      });
      setReviewing(undefined);
      props.onApplied(done.message);
    } catch (err) {
      const e = err as Error & { details?: { issues?: { message: string }[] } };
      const issues = e.details?.issues?.map((i) => i.message).join('; ');
      setError(issues ? `${e.message} ${issues}` : e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="svc-override" data-testid="service-override">
      <summary>Override{files.override ? ' (in use)' : ''}</summary>
      <p className="muted small">
        Settings here replace the unit file’s; they are written to <code>{files.overridePath}</code>. An empty
        setting such as <code>ExecStart=</code> clears a list before it is set again.
      </p>
      <textarea
        className="svc-override-text"
        spellCheck={false}
        rows={8}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label={`Override of ${props.unit}`}
        data-testid="service-override-text"
      />
      <div className="svc-actions">
        <button
          type="button"
          className="primary"
          disabled={!changed}
          onClick={() => setReviewing(text)}
          data-testid="service-override-review"
        >
          Review changes…
        </button>
        {files.override && (
          <button
            type="button"
            className="danger"
            onClick={() => setReviewing('')}
            data-testid="service-override-remove"
          >
            Remove override…
          </button>
        )}
      </div>
      {reviewing !== undefined && (
        <Dialog
          title={`Apply this change to ${props.unit} on ${props.hostLabel}?`}
          onClose={() => setReviewing(undefined)}
          wide
          testId="service-override-dialog"
        >
          <p className="muted small">{files.overridePath}</p>
          <pre className="svc-diff" data-testid="service-override-diff">
            {diff.map((l, i) => (
              <div key={i} className={`diff-${l.kind}`}>
                {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
                {l.text}
              </div>
            ))}
          </pre>
          <label className="toggle">
            <input
              type="checkbox"
              checked={restart}
              onChange={(e) => setRestart(e.target.checked)}
              data-testid="service-override-restart"
            />{' '}
            restart {props.unit} after systemctl daemon-reload, so the change takes effect now
          </label>
          {error && (
            <p className="form-error" role="alert" data-testid="service-override-error">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={() => setReviewing(undefined)} disabled={busy}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void apply()}
              disabled={busy}
              data-testid="service-override-apply"
            >
              {busy ? 'Applying…' : 'Apply'}
            </button>
          </div>
        </Dialog>
      )}
    </details>
  );
}
