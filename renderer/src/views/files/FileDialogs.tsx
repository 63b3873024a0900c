// The file browser's dialogs: a new folder, a rename, a mode change, a confirmed delete, and the
// overwrite prompt before an upload. Each names exactly what it acts on.
import { useState, type FormEvent } from 'react';
import type { Conflict, FileEntry } from '../../../../common/schemas/files';
import { Dialog } from '../../components/Dialog';
import { formatBytes } from '../../lib/format';
import { nameProblem, octal, parseOctal, PERMISSION_BITS, SPECIAL_BITS, visibleName } from './file-rows';

function Actions(props: {
  busy: boolean;
  submit: string;
  onClose: () => void;
  danger?: boolean;
  testId?: string;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" onClick={props.onClose}>
        Cancel
      </button>
      <button
        type="submit"
        className={props.danger ? 'danger' : 'primary'}
        disabled={props.busy}
        data-testid={props.testId}
      >
        {props.submit}
      </button>
    </div>
  );
}

export function NameDialog(props: {
  title: string;
  label: string;
  initial: string;
  submit: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = nameProblem(name);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await props.onSubmit(name);
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="file-name-dialog">
      <form onSubmit={submit} className="form">
        <label>
          {props.label}
          <input
            name="name"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error ? true : undefined}
            spellCheck={false}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <Actions busy={busy} submit={props.submit} onClose={props.onClose} testId="file-name-submit" />
      </form>
    </Dialog>
  );
}

export function ChmodDialog(props: {
  entry: FileEntry;
  onSubmit: (mode: number) => Promise<void>;
  onClose: () => void;
}) {
  const [mode, setMode] = useState(props.entry.mode & 0o7777);
  const [text, setText] = useState(octal(props.entry.mode));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (next: number) => {
    setMode(next);
    setText(octal(next));
    setError(undefined);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await props.onSubmit(mode);
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const who = ['owner', 'group', 'others'] as const;
  return (
    <Dialog
      title={`Permissions of ${visibleName(props.entry.name)}`}
      onClose={props.onClose}
      testId="chmod-dialog"
    >
      <form onSubmit={submit} className="form">
        <table className="chmod-grid">
          <thead>
            <tr>
              <th />
              <th>Read</th>
              <th>Write</th>
              <th>{props.entry.type === 'dir' ? 'Enter' : 'Execute'}</th>
            </tr>
          </thead>
          <tbody>
            {who.map((w) => (
              <tr key={w}>
                <th scope="row">
                  {w === 'owner'
                    ? `Owner (${props.entry.owner ?? props.entry.uid})`
                    : w === 'group'
                      ? `Group (${props.entry.group ?? props.entry.gid})`
                      : 'Others'}
                </th>
                {PERMISSION_BITS.filter((b) => b.who === w).map((b) => (
                  <td key={b.mask}>
                    <input
                      type="checkbox"
                      aria-label={`${w} ${b.what}`}
                      checked={(mode & b.mask) !== 0}
                      onChange={(e) => set(e.target.checked ? mode | b.mask : mode & ~b.mask)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="chmod-special">
          {SPECIAL_BITS.map((b) => (
            <label key={b.mask}>
              <input
                type="checkbox"
                checked={(mode & b.mask) !== 0}
                onChange={(e) => set(e.target.checked ? mode | b.mask : mode & ~b.mask)}
              />{' '}
              {b.label}
            </label>
          ))}
        </div>
        <label>
          Octal
          <input
            name="octal"
            value={text}
            inputMode="numeric"
            onChange={(e) => {
              setText(e.target.value);
              const parsed = parseOctal(e.target.value);
              if (parsed === undefined) setError('Use three or four octal digits, such as 644 or 0755.');
              else {
                setMode(parsed);
                setError(undefined);
              }
            }}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p className="muted small">
          {props.entry.modeText[0]}
          {modeLetters(mode)} — {props.entry.path}
        </p>
        <Actions busy={busy || !!error} submit="Change mode" onClose={props.onClose} testId="chmod-submit" />
      </form>
    </Dialog>
  );
}

function modeLetters(mode: number): string {
  const bit = (m: number, c: string) => (mode & m ? c : '-');
  const sp = (x: number, s: number, c: string) =>
    mode & s ? (mode & x ? c : c.toUpperCase()) : mode & x ? 'x' : '-';
  return (
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    sp(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    sp(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    sp(0o001, 0o1000, 't')
  );
}

/** A delete of many lists this many paths, then says how many more. */
const DELETE_LISTED = 10;

export function DeleteDialog(props: {
  entries: FileEntry[];
  hostName: string;
  onSubmit: () => Promise<void>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [only] = props.entries.length === 1 ? props.entries : [];
  const folders = props.entries.filter((e) => e.type === 'dir').length;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const shown = props.entries.slice(0, DELETE_LISTED);
  return (
    <Dialog
      title={
        only
          ? only.type === 'dir'
            ? 'Delete this folder and everything in it?'
            : 'Delete this file?'
          : `Delete these ${props.entries.length} items?`
      }
      onClose={props.onClose}
      testId="delete-dialog"
    >
      <form onSubmit={submit} className="form">
        {only ? (
          <p>
            <code className="file-path">{visibleName(only.path)}</code> on <strong>{props.hostName}</strong>
          </p>
        ) : (
          <>
            <p>
              On <strong>{props.hostName}</strong>:
            </p>
            <ul className="delete-list" data-testid="delete-list">
              {shown.map((e) => (
                <li key={e.path}>
                  <code className="file-path">{visibleName(e.path)}</code>
                  {e.type === 'dir' ? <span className="muted small"> (folder)</span> : null}
                </li>
              ))}
              {props.entries.length > shown.length && (
                <li className="muted">and {props.entries.length - shown.length} more</li>
              )}
            </ul>
          </>
        )}
        <p className="muted">
          {folders > 0
            ? `Every file and folder inside ${only ? 'it' : folders === 1 ? 'the folder' : 'the folders'} is deleted too. Links inside are removed, never followed. This cannot be undone.`
            : only?.type === 'link'
              ? 'The link is removed; what it points at stays. This cannot be undone.'
              : 'This cannot be undone.'}
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <Actions busy={busy} submit="Delete" danger onClose={props.onClose} testId="delete-submit" />
      </form>
    </Dialog>
  );
}

/** Names that already exist in the target folder: replace some or all, skip the rest, or cancel. */
export function ConflictDialog(props: {
  dir: string;
  conflicts: Conflict[];
  onSubmit: (replace: Set<string>, skip: Set<string>) => void;
  onClose: () => void;
}) {
  const [replace, setReplace] = useState<Set<string>>(new Set());
  const all = props.conflicts.map((c) => c.name);
  return (
    <Dialog
      title={`${all.length === 1 ? 'This name exists' : `${all.length} names exist`} in ${visibleName(props.dir)}`}
      onClose={props.onClose}
      testId="conflict-dialog"
      wide
    >
      <p className="muted">
        Tick what to replace; the others are skipped. A folder that exists is merged: files in it with the
        same names are replaced only if you tick it.
      </p>
      <ul className="conflict-list">
        {props.conflicts.map((c) => (
          <li key={c.name}>
            <label>
              <input
                type="checkbox"
                checked={replace.has(c.name)}
                onChange={(e) => {
                  const next = new Set(replace);
                  if (e.target.checked) next.add(c.name);
                  else next.delete(c.name);
                  setReplace(next);
                }}
              />{' '}
              <span className="file-name">{visibleName(c.name)}</span>{' '}
              <span className="muted small">
                {c.type === 'dir' ? 'folder' : formatBytes(c.size)} · {new Date(c.mtime).toLocaleString()}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Cancel upload
        </button>
        <button
          type="button"
          onClick={() => props.onSubmit(new Set(), new Set(all))}
          data-testid="conflict-skip-all"
        >
          Skip all
        </button>
        <button
          type="button"
          onClick={() => props.onSubmit(replace, new Set(all.filter((n) => !replace.has(n))))}
          disabled={replace.size === 0}
        >
          Replace ticked, skip others
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => props.onSubmit(new Set(all), new Set())}
          data-testid="conflict-replace-all"
        >
          Replace all
        </button>
      </div>
    </Dialog>
  );
}
