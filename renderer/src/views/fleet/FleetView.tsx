// The fleet at a glance: counts first, then one row per host with its state, key figures and their
// last two minutes. Keyboard: ↑/↓ or j/k select a row, Enter opens it, "/" goes to the filter box.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EmptyState } from '../../components/Panel';
import type { HostsState } from '../../hooks/useHosts';
import { hostHref, navigate, pageHref, type RouteParams } from '../../hooks/useHashRoute';
import { alertsByHost, useActiveAlerts } from '../../hooks/useActiveAlerts';
import { useRecentSamples } from '../../hooks/useRecentSamples';
import { networkUnitShort } from '../../lib/format';
import { serverNow } from '../../lib/server-clock';
import { groupRowsByTag, keepOrder, moveSelection, pinnedFirst, rowKey, type RowGroup } from './fleet-layout';
import { usePinnedHosts } from './pins';
import {
  filterRows,
  fleetRows,
  isDown,
  isUp,
  LOCAL_ROW_ID,
  needsAttention,
  sortRows,
  type AlertFilter,
  type FleetRow,
  type RowFilter,
  type SortKey,
  type StateFilter,
} from './fleet-rows';
import { FleetTableRow } from './FleetTableRow';
import './fleet.css';

interface Props {
  hostsState: HostsState;
  /** From the URL: "?state=…", "?tag=…" and "?alerts=critical|warning" select rows, so counts are links. */
  params?: RouteParams | undefined;
  /** The id of the alerts page when one is registered: alert counts and badges link there. */
  alertsPage?: string | undefined;
  onAddHost: () => void;
  onImport: () => void;
}

/** How far back the sparklines reach. */
const HISTORY_SEC = 120;
const WINDOW_MS = HISTORY_SEC * 1000;

const COLUMNS: { key: SortKey; label: string; unit?: string }[] = [
  { key: 'state', label: 'State' },
  { key: 'name', label: 'Host' },
  { key: 'cpu', label: 'CPU', unit: '%' },
  { key: 'memoryPercent', label: 'Memory', unit: 'used' },
  { key: 'disk', label: 'Disks', unit: '% used' },
  { key: 'network', label: 'Network', unit: '' },
  { key: 'load1', label: 'Load', unit: '1 min' },
  { key: 'uptimeSec', label: 'Uptime' },
  { key: 'alerts', label: 'Alerts' },
];
const COLUMN_COUNT = COLUMNS.length + 1;

const STATE_FILTERS: readonly StateFilter[] = ['all', 'up', 'down', 'stale', 'problem', 'connecting'];

export function stateFilterOf(value: string | undefined): StateFilter {
  return STATE_FILTERS.find((s) => s === value) ?? 'all';
}

export function alertFilterOf(value: string | undefined): AlertFilter | undefined {
  return value === 'critical' || value === 'warning' ? value : undefined;
}

/** The fleet's URL for a filter: what each count, tag and badge links to. */
export function fleetHref(filter: {
  state?: StateFilter;
  tag?: string | undefined;
  alerts?: AlertFilter | undefined;
}): string {
  const { state = 'all', tag, alerts } = filter;
  return pageHref('fleet', {
    ...(state !== 'all' && { state }),
    ...(tag !== undefined && { tag }),
    ...(alerts !== undefined && { alerts }),
  });
}

type Section = { tag: RowGroup['tag'] | undefined; rows: RowGroup['rows']; attention: number };

export function FleetView({ hostsState, params, alertsPage, onAddHost, onImport }: Props) {
  const { hosts, statuses, loaded, error } = hostsState;
  const activeAlerts = useActiveAlerts();
  const hostAlerts = useMemo(() => alertsByHost(activeAlerts.alerts), [activeAlerts.alerts]);
  const ids = useMemo(() => [LOCAL_ROW_ID, ...hosts.map((h) => h.id)], [hosts]);
  const { latest, recent } = useRecentSamples(ids, HISTORY_SEC);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'state',
    descending: false,
  });
  const [text, setText] = useState('');
  const urlState = stateFilterOf(params?.state);
  const urlTag = params?.tag || undefined;
  const urlAlerts = alertFilterOf(params?.alerts);
  const filter = useMemo<RowFilter>(
    () => ({ text, state: urlState, tag: urlTag, alerts: urlAlerts }),
    [text, urlState, urlTag, urlAlerts],
  );
  const [grouped, setGrouped] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [hovered, setHovered] = useState(false);
  const [frozen, setFrozen] = useState<readonly string[] | null>(null);
  const filterBox = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLTableElement>(null);

  // Recomputed with each second's samples, so "stale" follows the clock.
  const rows = useMemo(
    () => fleetRows(hosts, statuses, latest, { now: serverNow(), alerts: hostAlerts }),
    [hosts, statuses, latest, hostAlerts],
  );
  const { pinned, toggle: togglePin } = usePinnedHosts();
  const sorted = useMemo(
    () => pinnedFirst(sortRows(filterRows(rows, filter), sort.key, sort.descending), pinned),
    [rows, filter, sort, pinned],
  );
  // UI rule 20: rows do not jump while the user points at or has selected one.
  const paused = selected !== null || hovered;
  const ordered = useMemo(() => (frozen ? keepOrder(sorted, frozen) : sorted), [sorted, frozen]);
  useEffect(() => {
    if (paused && frozen === null) setFrozen(ordered.map((r) => r.id));
    else if (!paused && frozen !== null) setFrozen(null);
  }, [paused, frozen, ordered]);

  const sections = useMemo<Section[]>(
    () => (grouped ? groupRowsByTag(ordered) : [{ tag: undefined, rows: ordered, attention: 0 }]),
    [grouped, ordered],
  );
  const keys = useMemo(() => sections.flatMap((s) => s.rows.map((r) => rowKey(s.tag, r.id))), [sections]);
  const hostOfKey = useMemo(() => {
    const map = new Map<string, string>();
    for (const s of sections) for (const r of s.rows) map.set(rowKey(s.tag, r.id), r.id);
    return map;
  }, [sections]);

  // A selected row that was filtered out is no longer selected.
  useEffect(() => {
    if (selected !== null && !hostOfKey.has(selected)) setSelected(null);
  }, [selected, hostOfKey]);

  const counts = useMemo(() => {
    const sum = (f: (r: FleetRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    return {
      total: rows.length,
      up: rows.filter((r) => isUp(r) && !r.late).length,
      down: rows.filter(isDown).length,
      stale: rows.filter((r) => r.late).length,
      connecting: rows.filter((r) => r.state === 'connecting').length,
      problem: rows.filter(needsAttention).length,
      critical: sum((r) => r.alerts.critical),
      warning: sum((r) => r.alerts.warning),
    };
  }, [rows]);
  const alertHref = (severity: AlertFilter) =>
    alertsPage ? pageHref(alertsPage, { severity }) : fleetHref({ alerts: severity, tag: filter.tag });

  const focusRow = useCallback((key: string) => {
    const rows = table.current?.querySelectorAll<HTMLElement>('tr[data-row-key]') ?? [];
    const tr = [...rows].find((r) => r.dataset.rowKey === key);
    tr?.querySelector<HTMLElement>('a.host-link')?.focus();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target instanceof HTMLElement ? e.target : document.body;
      if (target.closest('[role=dialog], dialog')) return;
      // Keys typed into a text field are the user's text; a checkbox or button takes no letters.
      const editable =
        target.closest('textarea, select, [contenteditable]') ??
        (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
          ? target
          : null);
      if (e.key === '/' && !editable) {
        e.preventDefault();
        filterBox.current?.focus();
        filterBox.current?.select();
        return;
      }
      if (editable) return;
      const inTable = table.current?.contains(target) ?? false;
      const letter = e.key === 'j' || e.key === 'k';
      // Letters work from anywhere on the page but text fields; arrows only where they scroll nothing else.
      if (!inTable && !letter && target !== document.body) return;
      const step = e.key === 'ArrowDown' || e.key === 'j' ? 1 : e.key === 'ArrowUp' || e.key === 'k' ? -1 : 0;
      if (step !== 0) {
        e.preventDefault();
        const next = moveSelection(keys, selected, step);
        if (next !== null) {
          setSelected(next);
          focusRow(next);
        }
      } else if (e.key === 'Enter' && inTable && selected !== null && !target.closest('button')) {
        const hostId = hostOfKey.get(selected);
        if (hostId === undefined) return;
        e.preventDefault();
        navigate(hostHref(hostId));
      } else if (e.key === 'Escape' && inTable) {
        setSelected(null);
        target.blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys, selected, hostOfKey, focusRow]);

  const toggleTag = (tag: string) =>
    navigate(
      fleetHref({ state: filter.state, alerts: filter.alerts, tag: filter.tag === tag ? undefined : tag }),
    );
  const filtered =
    filter.text.trim() !== '' ||
    filter.state !== 'all' ||
    filter.tag !== undefined ||
    filter.alerts !== undefined;

  return (
    <div className="view" data-testid="fleet-view">
      <header className="view-header">
        <div>
          <h1>Fleet</h1>
          <p className="muted">Every host Hyperion watches, refreshed each second.</p>
        </div>
        <div className="actions">
          <button type="button" onClick={onImport}>
            Import from ~/.ssh/config
          </button>
          <button type="button" className="primary" onClick={onAddHost} data-testid="add-host">
            Add host
          </button>
        </div>
      </header>
      {error && (
        <div className="inline-error" role="alert">
          The saved hosts could not be loaded: {error}{' '}
          <button type="button" className="link-button" onClick={hostsState.reload}>
            Try again
          </button>
        </div>
      )}
      <ul className="counts" aria-label="Host counts: each shows its hosts">
        <Count
          label="Hosts"
          value={counts.total}
          href={fleetHref({ tag: filter.tag })}
          active={filter.state === 'all' && !filter.alerts}
        />
        <Count
          label="Up"
          value={counts.up}
          tone="ok"
          icon="●"
          href={fleetHref({ state: 'up', tag: filter.tag })}
          active={filter.state === 'up'}
        />
        <Count
          label="Down"
          value={counts.down}
          tone={counts.down ? 'bad' : undefined}
          icon="▼"
          href={fleetHref({ state: 'down', tag: filter.tag })}
          active={filter.state === 'down'}
          title="Unreachable or stopped"
        />
        <Count
          label="Stale"
          value={counts.stale}
          tone={counts.stale ? 'warn' : undefined}
          icon="◷"
          href={fleetHref({ state: 'stale', tag: filter.tag })}
          active={filter.state === 'stale'}
          title="Connected, but no new sample for three intervals"
        />
        <Count
          label="Need attention"
          value={counts.problem}
          tone={counts.problem ? 'bad' : undefined}
          icon="⚠"
          href={fleetHref({ state: 'problem', tag: filter.tag })}
          active={filter.state === 'problem'}
          title="Down, refused or waiting for a host key: something to do"
        />
        {(counts.connecting > 0 || filter.state === 'connecting') && (
          <Count
            label="Connecting"
            value={counts.connecting}
            icon="◌"
            href={fleetHref({ state: 'connecting', tag: filter.tag })}
            active={filter.state === 'connecting'}
          />
        )}
        {activeAlerts.available && (
          <>
            <Count
              label="Critical"
              value={counts.critical}
              tone={counts.critical ? 'bad' : undefined}
              icon="✖"
              href={alertHref('critical')}
              active={filter.alerts === 'critical'}
              title="Critical alerts firing now"
            />
            <Count
              label="Warning"
              value={counts.warning}
              tone={counts.warning ? 'warn' : undefined}
              icon="⚠"
              href={alertHref('warning')}
              active={filter.alerts === 'warning'}
              title="Warning alerts firing now"
            />
          </>
        )}
      </ul>
      <div className="toolbar fleet-toolbar">
        <input
          ref={filterBox}
          type="search"
          placeholder="Filter by name, address or tag   ( / )"
          value={filter.text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filter.text === '') e.currentTarget.blur();
          }}
          aria-label="Filter hosts"
          aria-keyshortcuts="/"
        />
        {filter.tag !== undefined && (
          <button
            type="button"
            className="tag active-filter"
            onClick={() => navigate(fleetHref({ state: filter.state, alerts: filter.alerts }))}
            aria-label={`Stop filtering by tag ${filter.tag}`}
          >
            tag: {filter.tag} <span aria-hidden>✕</span>
          </button>
        )}
        <label className="inline toggle">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
          Group by tag
        </label>
        <span className="muted small" role="status">
          {filtered ? `Showing ${sorted.length} of ${rows.length} hosts` : ''}
        </span>
        {filtered && (
          <button
            type="button"
            className="link-button small"
            onClick={() => {
              setText('');
              navigate(fleetHref({}));
            }}
          >
            Show all
          </button>
        )}
        {paused && (
          <span className="order-paused muted small" data-testid="order-paused">
            Order paused while a row is{' '}
            {selected !== null ? 'selected (Esc to release)' : 'under the pointer'}
          </span>
        )}
      </div>
      {loaded && hosts.length === 0 && (
        <EmptyState title="Add your first server">
          Hyperion watches Linux servers over SSH with nothing installed on them. Add one by address, or
          import the hosts you already have in ~/.ssh/config.
        </EmptyState>
      )}
      <div className="fleet-table-scroll">
        <table
          ref={table}
          className="fleet-table"
          data-testid="fleet-table"
          aria-describedby="fleet-keys"
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setSelected(null);
          }}
        >
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="th-button"
                    onClick={() => {
                      // An explicit re-sort wins over the pause: take the new order, then hold it.
                      setFrozen(null);
                      setSort((s) => ({
                        key: c.key,
                        descending: s.key === c.key ? !s.descending : c.key !== 'name' && c.key !== 'state',
                      }));
                    }}
                  >
                    {c.label}
                    {(c.unit || c.key === 'network') && (
                      <span className="muted"> ({c.key === 'network' ? networkUnitShort() : c.unit})</span>
                    )}
                  </button>
                </th>
              ))}
              <th title="Bytes per second on the wire for monitoring each host">Cost</th>
            </tr>
          </thead>
          <tbody onMouseEnter={() => setHovered(true)} onMouseLeave={() => setHovered(false)}>
            {sections.map((section) => [
              section.tag !== undefined && (
                <tr key={`group:${section.tag ?? ''}`} className="group-row" data-testid="fleet-group">
                  <th colSpan={COLUMN_COUNT} scope="colgroup">
                    <span className="group-tag">{section.tag ?? 'Untagged'}</span>
                    <span className="muted small">
                      {' '}
                      · {section.rows.length} {section.rows.length === 1 ? 'host' : 'hosts'}
                    </span>
                    {section.attention > 0 && (
                      <span className="tone-bad small"> · ⚠ {section.attention} need attention</span>
                    )}
                  </th>
                </tr>
              ),
              ...section.rows.map((row) => {
                const key = rowKey(section.tag, row.id);
                return (
                  <FleetTableRow
                    key={key}
                    row={row}
                    rowKey={key}
                    recent={recent.get(row.id)}
                    windowMs={WINDOW_MS}
                    selected={selected === key}
                    tagFilter={filter.tag}
                    onTag={toggleTag}
                    onSelect={setSelected}
                    pinned={pinned.has(row.id)}
                    onPin={togglePin}
                    alertsHref={alertsPage ? pageHref(alertsPage, { host: row.id }) : `${hostHref(row.id)}`}
                  />
                );
              }),
            ])}
          </tbody>
        </table>
      </div>
      <p id="fleet-keys" className="muted small fleet-keys">
        Trends cover the last 2 minutes. Keys: ↑ ↓ or j k select a host, Enter opens it, / filters, Esc
        releases the selection.
      </p>
    </div>
  );
}

/** A count that links to the rows behind it (UI.md 19); its icon says the state without colour. */
function Count(props: {
  label: string;
  value: number;
  tone?: 'ok' | 'warn' | 'bad' | undefined;
  icon?: string;
  href: string;
  active: boolean;
  title?: string;
}) {
  return (
    <li>
      <a
        className={`count${props.active ? ' active' : ''}${props.tone ? ` tone-${props.tone}` : ''}`}
        href={props.href}
        aria-current={props.active ? 'true' : undefined}
        title={`${props.title ? `${props.title}. ` : ''}Show ${props.label === 'Hosts' ? 'all hosts' : `the hosts counted as “${props.label}”`}`}
        data-testid={`count-${props.label.toLowerCase().replace(/\s+/g, '-')}`}
      >
        <span className="count-value">{props.value}</span>
        <span className="count-label">
          {props.icon && (
            <span aria-hidden className="count-icon">
              {props.icon}{' '}
            </span>
          )}
          {props.label}
        </span>
      </a>
    </li>
  );
}
