// Import hosts from ~/.ssh/config: a preview with a checkbox per host, then one call to save them.
import { useEffect, useState } from 'react';
import type { ImportCandidate } from '../../../../common/api';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const client = useClient();
  const [data, setData] = useState<{ path: string; candidates: ImportCandidate[]; warnings: string[] }>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.call('hosts.sshConfigCandidates', {}).then(
      (d) => {
        setData(d);
        setChosen(new Set(d.candidates.filter((c) => !c.alreadySaved && !c.problem).map((c) => c.alias)));
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);

  const importChosen = async () => {
    setBusy(true);
    try {
      const { added, skipped } = await client.call('hosts.importSshConfig', { aliases: [...chosen] });
      setResult(
        `${added.length} host${added.length === 1 ? '' : 's'} added.` +
          (skipped.length ? ` Skipped: ${skipped.map((s) => `${s.alias} (${s.reason})`).join('; ')}.` : ''),
      );
      onImported();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (alias: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(alias)) next.delete(alias);
      else next.add(alias);
      return next;
    });

  return (
    <Dialog title="Import from ~/.ssh/config" onClose={onClose} testId="import-dialog" wide>
      {!data && !error && <p className="muted">Reading your SSH configuration…</p>}
      {data && data.candidates.length === 0 && <p>No importable host in {data.path}.</p>}
      {data && data.candidates.length > 0 && (
        <table className="import-table">
          <thead>
            <tr>
              <th />
              <th>Alias</th>
              <th>Address</th>
              <th>User</th>
              <th>Key</th>
              <th>Jump host</th>
            </tr>
          </thead>
          <tbody>
            {data.candidates.map((c) => (
              <tr key={c.alias} className={c.problem || c.alreadySaved ? 'stale' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Import ${c.alias}`}
                    checked={chosen.has(c.alias)}
                    disabled={Boolean(c.problem) || c.alreadySaved}
                    onChange={() => toggle(c.alias)}
                  />
                </td>
                <td>
                  {c.alias}
                  {c.alreadySaved && <div className="muted small">already saved</div>}
                  {c.problem && <div className="field-error">{c.problem}</div>}
                </td>
                <td>
                  {c.address}
                  {c.port !== 22 && `:${c.port}`}
                </td>
                <td>{c.username ?? <span className="muted">(your user)</span>}</td>
                <td className="small">{c.keyPath ?? <span className="muted">agent</span>}</td>
                <td>{c.proxyJump ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data?.warnings.length ? (
        <details>
          <summary>{data.warnings.length} line(s) Hyperion does not use</summary>
          <ul className="small">
            {data.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && <p role="status">{result}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {result ? 'Close' : 'Cancel'}
        </button>
        {!result && (
          <button
            type="button"
            className="primary"
            disabled={busy || chosen.size === 0}
            onClick={importChosen}
          >
            Import {chosen.size} host{chosen.size === 1 ? '' : 's'}
          </button>
        )}
      </div>
    </Dialog>
  );
}
