// The audit log: every action, allowed or refused, newest first. Filters by host, action, result,
// time and text (kept in the URL, so a count elsewhere can link to the rows); older pages on
// demand; new entries appear as they are written; CSV/JSON export of what the filter selects; and
// a check of the hash chain that says where it breaks, if it does.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../../../common/api';
import type { MethodDef } from '../../../../common/contract';
import type { AuditEntry, AuditFilter, AuditVerification } from '../../../../common/schemas/audit';
import { useClient, useOnConnected } from '../../api/context';
import { navigate, pageHref } from '../../hooks/useHashRoute';
import type { RailPageProps } from '../../rail-pages';
import { entryMatches, filterFromParams, paramsFromFilter } from './audit-filter';
import './audit.css';

const PAGE = 100;
const RESULT_LABELS: Record<AuditEntry['result'], { icon: string; label: string; tone: string }> = {
  ok: { icon: '✓', label: 'allowed', tone: 'tone-ok' },
  refused: { icon: '⊘', label: 'refused', tone: 'tone-warn' },
  failed: { icon: '✕', label: 'failed', tone: 'tone-bad' },
};

/** The actions the contract audits, for the action filter's suggestions. */
const AUDITED_ACTIONS = Object.entries(api.methods as Record<string, MethodDef>)
  .filter(([, def]) => def.mutating)
  .map(([name]) => name)
  .sort();
const ACTION_GROUPS = [...new Set(AUDITED_ACTIONS.map((a) => `${a.split('.')[0]}.`))];

function toLocalInput(ts: number | undefined): string {
  if (ts === undefined) return '';
  const d = new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ts = new Date(value).getTime();
  return Number.isFinite(ts) ? ts : undefined;
}

function download(filename: string, contentType: string, body: string): void {
  const url = URL.createObjectURL(new Blob([body], { type: contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function AuditPage({ route, hosts }: RailPageProps) {
  const client = useClient();
  const filter = useMemo(() => filterFromParams(route.params ?? {}), [route.params]);
  const filterKey = JSON.stringify(filter);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [verification, setVerification] = useState<AuditVerification | 'checking'>();
  const [open, setOpen] = useState<number | null>(null);
  const [textBox, setTextBox] = useState(filter.text ?? '');
  const hostNames = useMemo(() => new Map(hosts.hosts.map((h) => [h.id, h.name])), [hosts.hosts]);

  const setFilter = (next: AuditFilter) => navigate(pageHref('audit', paramsFromFilter(next)));

  const load = useCallback(
    (c = client) => {
      setLoading(true);
      c.call('audit.list', { ...(JSON.parse(filterKey) as AuditFilter), limit: PAGE }).then(
        (page) => {
          setEntries(page.entries);
          setNext(page.nextBeforeSeq);
          setError(undefined);
          setLoading(false);
        },
        (err: Error) => {
          setError(err.message);
          setLoading(false);
        },
      );
    },
    [client, filterKey],
  );
  useOnConnected(load);

  // New entries that match the filter appear at the top as they are written.
  useEffect(() => {
    const current = JSON.parse(filterKey) as AuditFilter;
    return client.subscribe(
      'audit.appended',
      {},
      {
        onEvent: ({ entries: added }) => {
          const matching = added.filter((e) => entryMatches(e, current));
          if (matching.length === 0) return;
          setEntries((list) => {
            const known = new Set(list.map((e) => e.seq));
            return [...matching.filter((e) => !known.has(e.seq)).reverse(), ...list];
          });
          setFresh((s) => new Set([...s, ...matching.map((e) => e.seq)]));
        },
      },
    );
  }, [client, filterKey]);

  useEffect(() => {
    const t = setTimeout(() => {
      if ((filter.text ?? '') !== textBox.trim()) setFilter({ ...filter, text: textBox.trim() || undefined });
    }, 400);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [textBox]);

  const older = () => {
    if (next === null) return;
    setLoading(true);
    client.call('audit.list', { ...filter, beforeSeq: next, limit: PAGE }).then(
      (page) => {
        setEntries((list) => [...list, ...page.entries.filter((e) => !list.some((x) => x.seq === e.seq))]);
        setNext(page.nextBeforeSeq);
        setLoading(false);
      },
      (err: Error) => {
        setError(err.message);
        setLoading(false);
      },
    );
  };

  const exportAs = (format: 'csv' | 'json') =>
    void client.call('audit.export', { ...filter, format }).then(
      (file) => download(file.filename, file.contentType, file.body),
      (err: Error) => setError(err.message),
    );

  const verify = () => {
    setVerification('checking');
    client.call('audit.verify', {}).then(setVerification, (err: Error) => {
      setVerification(undefined);
      setError(err.message);
    });
  };

  const hostLabel = (id: string | null) =>
    id === null ? '–' : id === 'local' ? 'This computer' : (hostNames.get(id) ?? id);

  return (
    <div className="view audit-view" data-testid="audit-view">
      <header className="view-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            Every action, allowed or refused: who, when, where, with what, and how it ended.
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => exportAs('csv')} data-testid="audit-export-csv">
            Export CSV
          </button>
          <button type="button" onClick={() => exportAs('json')} data-testid="audit-export-json">
            Export JSON
          </button>
          <button
            type="button"
            onClick={verify}
            disabled={verification === 'checking'}
            data-testid="audit-verify"
          >
            {verification === 'checking' ? 'Checking…' : 'Verify chain'}
          </button>
        </div>
      </header>
      {verification && verification !== 'checking' && (
        <p
          className={verification.ok ? 'tone-ok' : 'form-error'}
          role={verification.ok ? 'status' : 'alert'}
          data-testid="audit-verification"
        >
          {verification.ok ? '✓ ' : '✕ '}
          {verification.message}
        </p>
      )}
      <div className="toolbar audit-filters" role="search">
        <select
          aria-label="Host"
          value={filter.host ?? ''}
          onChange={(e) => setFilter({ ...filter, host: e.target.value || undefined })}
          data-testid="audit-host"
        >
          <option value="">All hosts</option>
          <option value="local">This computer</option>
          {hosts.hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        <input
          list="audit-actions"
          aria-label="Action"
          placeholder="Action, e.g. services."
          defaultValue={filter.action ?? ''}
          key={filter.action ?? ''}
          onKeyDown={(e) => {
            if (e.key === 'Enter')
              setFilter({ ...filter, action: e.currentTarget.value.trim() || undefined });
          }}
          onBlur={(e) => {
            const v = e.currentTarget.value.trim() || undefined;
            if (v !== filter.action) setFilter({ ...filter, action: v });
          }}
          data-testid="audit-action"
        />
        <datalist id="audit-actions">
          {[...ACTION_GROUPS, ...AUDITED_ACTIONS].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <select
          aria-label="Result"
          value={filter.result ?? ''}
          onChange={(e) =>
            setFilter({ ...filter, result: (e.target.value || undefined) as AuditFilter['result'] })
          }
          data-testid="audit-result"
        >
          <option value="">Any result</option>
          <option value="ok">Allowed</option>
          <option value="refused">Refused</option>
          <option value="failed">Failed</option>
        </select>
        <label className="small">
          From{' '}
          <input
            type="datetime-local"
            value={toLocalInput(filter.from)}
            onChange={(e) => setFilter({ ...filter, from: fromLocalInput(e.target.value) })}
            data-testid="audit-from"
          />
        </label>
        <label className="small">
          To{' '}
          <input
            type="datetime-local"
            value={toLocalInput(filter.to)}
            onChange={(e) => setFilter({ ...filter, to: fromLocalInput(e.target.value) })}
            data-testid="audit-to"
          />
        </label>
        <input
          type="search"
          placeholder="Text in target, arguments or error"
          aria-label="Text"
          value={textBox}
          onChange={(e) => setTextBox(e.target.value)}
          data-testid="audit-text"
        />
        {Object.keys(paramsFromFilter(filter)).length > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setTextBox('');
              setFilter({});
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <table className="compact-table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Time</th>
            <th>Actor</th>
            <th>Host</th>
            <th>Action</th>
            <th>Target</th>
            <th>Result</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const r = RESULT_LABELS[e.result];
            return (
              <AuditRow
                key={e.seq}
                entry={e}
                host={hostLabel(e.host)}
                result={r}
                fresh={fresh.has(e.seq)}
                open={open === e.seq}
                onToggle={() => setOpen(open === e.seq ? null : e.seq)}
              />
            );
          })}
        </tbody>
      </table>
      {!loading && entries.length === 0 && <p className="muted">No entry matches.</p>}
      <div className="audit-more">
        {next !== null && (
          <button type="button" onClick={older} disabled={loading} data-testid="audit-older">
            {loading ? 'Loading…' : 'Older entries'}
          </button>
        )}
        <span className="muted small" data-testid="audit-count">
          {entries.length} shown{next === null && entries.length > 0 ? ' · the oldest is shown' : ''}
        </span>
      </div>
    </div>
  );
}

function AuditRow(props: {
  entry: AuditEntry;
  host: string;
  result: { icon: string; label: string; tone: string };
  fresh: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const { entry: e, result: r } = props;
  return (
    <>
      <tr
        className={`audit-row${props.fresh ? ' fresh' : ''}`}
        onClick={props.onToggle}
        data-testid={`audit-row-${e.seq}`}
        aria-expanded={props.open}
      >
        <td className="num">{e.seq}</td>
        <td title={new Date(e.ts).toISOString()}>{new Date(e.ts).toLocaleString()}</td>
        <td>
          {e.actor}
          <span className="muted small">
            {' '}
            {e.via}
            {e.address ? ` ${e.address}` : ''}
          </span>
        </td>
        <td>{props.host}</td>
        <td>
          <code>{e.action}</code>
        </td>
        <td>{e.target ?? '–'}</td>
        <td className={r.tone}>
          <span aria-hidden>{r.icon}</span> {r.label}
        </td>
        <td className="audit-error">{e.error ?? ''}</td>
      </tr>
      {props.open && (
        <tr className="audit-args">
          <td colSpan={8}>
            <pre>{JSON.stringify(e.args, null, 2)}</pre>
            <span className="muted small">hash {e.hash}</span>
          </td>
        </tr>
      )}
    </>
  );
}
