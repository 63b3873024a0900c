// A host's processes, live while the tab is open: sortable columns, filters by text, user and
// state, a tree by parent, and only the rows in view drawn (5,000 processes stay smooth). The
// selected process stays selected, and the order holds, as the table updates. Keyboard: ↑/↓ select,
// Home/End, "/" filter, Delete asks to send SIGTERM, Escape releases the selection.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { EmptyState } from '../../components/Panel';
import { formatBytes, formatBytesPerSec } from '../../lib/format';
import type { ToolTabProps } from '../host/host-tab-registry';
import { ProcessActions } from './ProcessActions';
import {
  flatLines,
  holdOrder,
  ioRate,
  STATE_NAMES,
  treeLines,
  usersOf,
  type ProcessFilter,
  type ProcessLine,
  type ProcessSort,
  type ProcessSortKey,
} from './process-rows';
import { useProcessTable } from './useProcessTable';
import './processes.css';

const ROW_HEIGHT = 26;
/** Rows drawn above and below the visible ones, so fast scrolling shows no blank band. */
const OVERSCAN = 12;
const INTERVALS = [1000, 2000, 5000, 10_000];

const COLUMNS: { key: ProcessSortKey; label: string; title?: string; num?: boolean }[] = [
  { key: 'pid', label: 'PID', num: true },
  { key: 'user', label: 'User' },
  { key: 'name', label: 'Process' },
  { key: 'state', label: 'State' },
  { key: 'cpuPercent', label: 'CPU %', title: 'Percent of one core (200 % = two cores)', num: true },
  { key: 'memPercent', label: 'Mem %', num: true },
  { key: 'rssBytes', label: 'RSS', title: 'Resident memory', num: true },
  { key: 'threads', label: 'Thr', title: 'Threads', num: true },
  { key: 'nice', label: 'Nice', title: 'Nice (priority)', num: true },
  { key: 'startedAt', label: 'Started', num: true },
  { key: 'io', label: 'I/O', title: 'Storage read + write per second', num: true },
];

/** Descending first for the figures people look for the most of. */
const DESCENDING_FIRST = new Set<ProcessSortKey>([
  'cpuPercent',
  'memPercent',
  'rssBytes',
  'threads',
  'io',
  'startedAt',
]);

function formatStarted(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function ProcessesTab({ hostId, host }: ToolTabProps) {
  const hostLabel = host?.name ?? 'this computer';
  const [intervalMs, setIntervalMs] = useState(2000);
  const [paused, setPaused] = useState(false);
  const table = useProcessTable(hostId, intervalMs, paused);
  const [filter, setFilter] = useState<ProcessFilter>({ text: '', user: '', state: '' });
  const [sort, setSort] = useState<ProcessSort>({ key: 'cpuPercent', descending: true });
  const [tree, setTree] = useState(false);
  const [folded, setFolded] = useState<ReadonlySet<number>>(new Set());
  const [selected, setSelected] = useState<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const scroller = useRef<HTMLDivElement>(null);
  const filterBox = useRef<HTMLInputElement>(null);
  const heldOrder = useRef<number[] | null>(null);
  const [askSignal, setAskSignal] = useState<number>(0);

  const rows = useMemo(() => [...table.rows.values()], [table.rows]);
  const users = useMemo(() => usersOf(rows), [rows]);
  const computed = useMemo(
    () => (tree ? treeLines(rows, filter, sort, folded) : flatLines(rows, filter, sort)),
    [rows, filter, sort, tree, folded],
  );
  const selectedRow = selected === null ? undefined : table.rows.get(selected);
  // While a row is selected, rows keep their places (UI.md 20); values still update.
  // A new filter, sort or view is a new arrangement the person asked for: it is not held.
  const arrangement = JSON.stringify([filter, sort, tree, [...folded]]);
  const lastArrangement = useRef(arrangement);
  if (lastArrangement.current !== arrangement) {
    lastArrangement.current = arrangement;
    heldOrder.current = null;
  }
  const lines: ProcessLine[] = useMemo(() => {
    if (selected === null || heldOrder.current === null) return computed;
    return holdOrder(computed, heldOrder.current);
  }, [computed, selected]);
  useEffect(() => {
    heldOrder.current = selected === null ? null : lines.map((l) => l.row.pid);
  }, [lines, selected]);
  // After a new filter, sort or view, the selected process is brought into view.
  useEffect(() => {
    if (selected === null) return;
    const index = lines.findIndex((l) => l.row.pid === selected);
    if (index >= 0) scrollToIndex(index);
    // Only when the arrangement changes, not on every update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrangement]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(measure);
    observer?.observe(el);
    return () => observer?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = lines.slice(first, last);

  const select = (pid: number | null) => {
    if (pid !== null && selected === null) heldOrder.current = lines.map((l) => l.row.pid);
    setSelected(pid);
  };

  const scrollToIndex = (index: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight)
      el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (lines.length === 0) return;
    const index = selected === null ? -1 : lines.findIndex((l) => l.row.pid === selected);
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const target =
      event.key === 'ArrowDown' || event.key === 'j'
        ? Math.min(lines.length - 1, index + 1)
        : event.key === 'ArrowUp' || event.key === 'k'
          ? Math.max(0, index - 1)
          : event.key === 'PageDown'
            ? Math.min(lines.length - 1, index + page)
            : event.key === 'PageUp'
              ? Math.max(0, index - page)
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? lines.length - 1
                  : undefined;
    if (target !== undefined) {
      event.preventDefault();
      select(lines[target]!.row.pid);
      scrollToIndex(target);
    } else if (event.key === 'Escape') {
      select(null);
    } else if (event.key === 'Delete' && selectedRow) {
      event.preventDefault();
      setAskSignal((n) => n + 1);
    } else if (event.key === '/') {
      event.preventDefault();
      filterBox.current?.focus();
    } else if (tree && selected !== null && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      const next = new Set(folded);
      if (event.key === 'ArrowLeft') next.add(selected);
      else next.delete(selected);
      setFolded(next);
    }
  };

  const sortBy = (key: ProcessSortKey) =>
    setSort((s) =>
      s.key === key ? { key, descending: !s.descending } : { key, descending: DESCENDING_FIRST.has(key) },
    );

  const toggleFold = (pid: number) => {
    const next = new Set(folded);
    if (next.has(pid)) next.delete(pid);
    else next.add(pid);
    setFolded(next);
  };

  const info = table.info;
  return (
    <div className="view processes-view" data-testid="processes-view">
      <div className="toolbar proc-toolbar">
        <input
          ref={filterBox}
          type="search"
          placeholder="Filter by name, PID, command, user or unit"
          aria-label="Filter processes"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          data-testid="process-filter"
        />
        <select
          aria-label="User"
          value={filter.user}
          onChange={(e) => setFilter({ ...filter, user: e.target.value })}
          data-testid="process-user-filter"
        >
          <option value="">All users</option>
          {users.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
        <select
          aria-label="State"
          value={filter.state}
          onChange={(e) => setFilter({ ...filter, state: e.target.value })}
          data-testid="process-state-filter"
        >
          <option value="">All states</option>
          {['R', 'S', 'D', 'T', 'Z', 'I'].map((s) => (
            <option key={s} value={s}>
              {STATE_NAMES[s]} ({s})
            </option>
          ))}
        </select>
        <label className="toggle">
          <input
            type="checkbox"
            checked={tree}
            onChange={(e) => setTree(e.target.checked)}
            data-testid="process-tree"
          />{' '}
          Tree
        </label>
        <select
          aria-label="Refresh every"
          value={intervalMs}
          onChange={(e) => setIntervalMs(Number(e.target.value))}
        >
          {INTERVALS.map((ms) => (
            <option key={ms} value={ms}>
              every {ms / 1000} s
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => setPaused(!paused)}
          aria-pressed={paused}
          data-testid="process-pause"
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span className="muted small proc-count" data-testid="process-count">
          {lines.length === rows.length
            ? `${rows.length} processes`
            : `${lines.length} of ${rows.length} processes`}
          {info && ` · read in ${info.readMs} ms, ${formatBytes(info.bytes)}`}
          {paused && ' · paused'}
        </span>
        {selected !== null && (
          <span className="order-paused muted small" data-testid="process-order-held">
            Order held while a process is selected · Esc releases
          </span>
        )}
      </div>
      {table.status === 'unavailable' && (
        <p className="form-error" role="alert" data-testid="process-unavailable">
          {table.message} {rows.length > 0 && 'Showing the last table read.'}
        </p>
      )}
      {table.status === 'error' && (
        <EmptyState title="The process table is not available">{table.message}</EmptyState>
      )}
      {info?.notes.map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
      <ProcessActions
        hostId={hostId}
        hostLabel={hostLabel}
        process={selectedRow}
        selectedPid={selected}
        askSignal={askSignal}
        onDone={() => scroller.current?.focus()}
      />
      <div className="proc-table" role="grid" aria-label="Processes" aria-rowcount={lines.length + 1}>
        <div className="proc-row proc-head" role="row">
          {COLUMNS.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={`proc-cell${c.num ? ' num' : ''}`}
              aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                className="th-button"
                title={c.title}
                onClick={() => sortBy(c.key)}
                data-testid={`process-sort-${c.key}`}
              >
                {c.label}
                {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </button>
            </div>
          ))}
        </div>
        <div
          className="proc-scroll"
          ref={scroller}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          data-testid="process-scroll"
          aria-busy={table.status === 'loading'}
        >
          {table.status === 'loading' && <p className="muted proc-loading">Reading the process table…</p>}
          <div style={{ height: lines.length * ROW_HEIGHT, position: 'relative' }}>
            <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
              {visible.map((line, i) => (
                <ProcessLineRow
                  key={line.row.pid}
                  line={line}
                  index={first + i}
                  selected={line.row.pid === selected}
                  tree={tree}
                  folded={folded.has(line.row.pid)}
                  onSelect={() => select(line.row.pid === selected ? null : line.row.pid)}
                  onToggle={() => toggleFold(line.row.pid)}
                />
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

function ProcessLineRow(props: {
  line: ProcessLine;
  index: number;
  selected: boolean;
  tree: boolean;
  folded: boolean;
  onSelect: () => void;
  onToggle: () => void;
}) {
  const { row: p, depth, hasChildren } = props.line;
  const io = ioRate(p);
  const command = p.cmdline || `[${p.name}]`;
  return (
    <div
      className={`proc-row${props.selected ? ' selected' : ''}${p.state === 'Z' ? ' zombie' : ''}`}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      onClick={props.onSelect}
      data-testid={`process-row-${p.pid}`}
    >
      <div className="proc-cell num" role="gridcell">
        {p.pid}
      </div>
      <div className="proc-cell" role="gridcell" title={p.uid === null ? undefined : `uid ${p.uid}`}>
        {p.user}
      </div>
      <div
        className="proc-cell proc-name"
        role="gridcell"
        title={command}
        style={{ paddingLeft: 6 + depth * 14 }}
      >
        {props.tree &&
          (hasChildren ? (
            <button
              type="button"
              className="proc-fold"
              aria-label={props.folded ? 'Show children' : 'Hide children'}
              onClick={(e) => {
                e.stopPropagation();
                props.onToggle();
              }}
            >
              {props.folded ? '▸' : '▾'}
            </button>
          ) : (
            <span className="proc-fold-space" />
          ))}
        <strong>{p.name}</strong> <span className="muted">{command}</span>
        {p.unit && <span className="tag">{p.unit}</span>}
      </div>
      <div className="proc-cell" role="gridcell" title={STATE_NAMES[p.state]}>
        {p.state} <span className="muted small">{STATE_NAMES[p.state]}</span>
      </div>
      <div className="proc-cell num" role="gridcell">
        {p.cpuPercent === null ? '…' : p.cpuPercent.toFixed(1)}
      </div>
      <div className="proc-cell num" role="gridcell">
        {p.memPercent.toFixed(1)}
      </div>
      <div className="proc-cell num" role="gridcell">
        {formatBytes(p.rssBytes)}
      </div>
      <div className="proc-cell num" role="gridcell">
        {p.threads}
      </div>
      <div className="proc-cell num" role="gridcell" title={`priority ${p.priority}`}>
        {p.nice}
      </div>
      <div className="proc-cell num" role="gridcell" title={new Date(p.startedAt).toLocaleString()}>
        {formatStarted(p.startedAt)}
      </div>
      <div
        className="proc-cell num"
        role="gridcell"
        title={io === null ? 'Not readable as this user' : undefined}
      >
        {io === null ? '–' : formatBytesPerSec(io)}
      </div>
    </div>
  );
}
