// A host's journal: one unit or all of them, the last N lines, by priority and text, and follow
// mode that streams new lines as journald writes them (journalctl -f on the host, stopped when the
// tab closes). "?unit=NAME" selects the unit, so a service links to its journal.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JournalEntry, ServicesList } from '../../../../common/schemas/services';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { hostHref, useHashRoute } from '../../hooks/useHashRoute';
import type { ToolTabProps } from '../host/host-tab-registry';
import './services.css';

const PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const LINE_CHOICES = [100, 200, 500, 1000, 5000];
/** Follow mode keeps this many lines on screen. */
const FOLLOW_KEEP = 5000;

function stamp(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function Highlighted({ text, search }: { text: string; search: string }) {
  if (!search) return <>{text}</>;
  const parts: (string | { mark: string })[] = [];
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1 && needle; i = lower.indexOf(needle, at)) {
    parts.push(text.slice(at, i), { mark: text.slice(i, i + needle.length) });
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return <>{parts.map((p, i) => (typeof p === 'string' ? p : <mark key={i}>{p.mark}</mark>))}</>;
}

export function LogsTab({ hostId, host }: ToolTabProps) {
  const client = useClient();
  const route = useHashRoute();
  const urlUnit = route.page === 'host' ? (route.params?.unit ?? '') : '';
  const hostLabel = host?.name ?? 'this computer';
  const [units, setUnits] = useState<ServicesList>();
  const [unit, setUnit] = useState(urlUnit);
  const [lines, setLines] = useState(200);
  const [priority, setPriority] = useState(7);
  const [searchBox, setSearchBox] = useState('');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(false);
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useOnConnected(
    useCallback(
      (c) =>
        void c.call('services.list', { host: hostId }).then(setUnits, (err: Error) => setError(err.message)),
      [hostId],
    ),
  );
  useEffect(() => setUnit(urlUnit), [urlUnit]);

  // Debounced search: the journal is asked again once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => setSearch(searchBox.trim()), 350);
    return () => clearTimeout(t);
  }, [searchBox]);

  const query = {
    host: hostId,
    ...(unit ? { unit } : {}),
    lines,
    priority,
    ...(search ? { search } : {}),
  };
  const key = JSON.stringify(query);

  useEffect(() => {
    if (follow || units?.available === false) return;
    let cancelled = false;
    setLoading(true);
    client.call('services.journal', JSON.parse(key) as typeof query).then(
      (page) => {
        if (cancelled) return;
        setEntries(page.entries);
        setNote(page.note);
        setError(undefined);
        setLoading(false);
        atBottom.current = true;
      },
      (err: Error) => {
        if (cancelled) return;
        setError(err.message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, key, follow, units?.available]);

  useEffect(() => {
    if (!follow || units?.available === false) return;
    setEntries([]);
    setError(undefined);
    return client.subscribe('services.journal.live', JSON.parse(key) as typeof query, {
      onEvent: (event) => {
        if (event.error) setError(event.error);
        setNote(event.partial ? 'Only part of the journal is readable as this user.' : null);
        setEntries((current) => {
          const merged = event.snapshot ? event.entries : current.concat(event.entries);
          return merged.length > FOLLOW_KEEP ? merged.slice(merged.length - FOLLOW_KEEP) : merged;
        });
      },
      onError: (err) => setError(err.message),
    });
  }, [client, key, follow, units?.available]);

  // New lines keep the view at the bottom unless the person scrolled up to read.
  useEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [entries]);

  if (units && !units.available) {
    return (
      <div className="view" data-testid="logs-view">
        <EmptyState title="systemd not available">{units.reason}</EmptyState>
      </div>
    );
  }

  const chooseUnit = (value: string) => {
    setUnit(value);
    window.history.replaceState(null, '', hostHref(hostId, 'logs', value ? { unit: value } : undefined));
  };

  return (
    <div className="view journal-view" data-testid="logs-view">
      <div className="toolbar">
        <select
          aria-label="Unit"
          value={unit}
          onChange={(e) => chooseUnit(e.target.value)}
          data-testid="logs-unit"
        >
          <option value="">All units</option>
          {units?.available &&
            units.units.map((u) => (
              <option key={u.name} value={u.name}>
                {u.name}
              </option>
            ))}
          {unit && !(units?.available && units.units.some((u) => u.name === unit)) && (
            <option value={unit}>{unit}</option>
          )}
        </select>
        <select
          aria-label="Priority"
          value={priority}
          onChange={(e) => setPriority(Number(e.target.value))}
          data-testid="logs-priority"
        >
          {PRIORITIES.map((p, i) => (
            <option key={p} value={i}>
              {i === 7 ? 'every priority' : `${p} and worse`}
            </option>
          ))}
        </select>
        <select
          aria-label="Lines"
          value={lines}
          onChange={(e) => setLines(Number(e.target.value))}
          data-testid="logs-lines"
        >
          {LINE_CHOICES.map((n) => (
            <option key={n} value={n}>
              last {n} lines
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Search messages"
          aria-label="Search messages"
          value={searchBox}
          onChange={(e) => setSearchBox(e.target.value)}
          data-testid="logs-search"
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
            data-testid="logs-follow"
          />{' '}
          Follow
        </label>
        <span className="muted small" data-testid="logs-count">
          {loading ? 'Reading…' : `${entries.length} lines`} {follow && '· following live'} · times in your
          zone · {hostLabel}
        </span>
      </div>
      {note && (
        <p className="muted small" data-testid="logs-note">
          {note}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="logs-error">
          {error}
        </p>
      )}
      <div
        className="journal-lines"
        ref={box}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
        data-testid="logs-lines-box"
        aria-live={follow ? 'polite' : undefined}
      >
        {entries.map((e) => (
          <div key={e.cursor} className={`journal-line prio-${e.priority ?? 6}`} data-testid="journal-line">
            <span className="muted">{stamp(e.ts)}</span>
            <span>{e.priority === null ? '' : PRIORITIES[e.priority]}</span>
            <span className="muted" title={e.unit ?? undefined}>
              {e.identifier ?? e.unit ?? ''}
              {e.pid !== null && `[${e.pid}]`}
            </span>
            <span className="msg">
              <Highlighted text={e.message} search={search} />
            </span>
          </div>
        ))}
        {!loading && entries.length === 0 && <p className="muted journal-empty">No lines match.</p>}
      </div>
    </div>
  );
}
