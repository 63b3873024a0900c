// The process table's logic, apart from drawing: applying live events, filtering, sorting, the tree
// by parent, and holding the order while a row is selected (UI.md 20).
import type { ProcessesLiveEvent, ProcessRow } from '../../../../common/schemas/processes';

export type ProcessSortKey =
  | 'pid'
  | 'ppid'
  | 'user'
  | 'name'
  | 'state'
  | 'cpuPercent'
  | 'memPercent'
  | 'rssBytes'
  | 'threads'
  | 'nice'
  | 'startedAt'
  | 'io'
  | 'cmdline';

export interface ProcessSort {
  key: ProcessSortKey;
  descending: boolean;
}

export interface ProcessFilter {
  /** Words that must all appear in the PID, name, command line, user or unit. */
  text: string;
  /** A user name, or '' for everyone. */
  user: string;
  /** A kernel state letter, or '' for every state. */
  state: string;
}

export const STATE_NAMES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk wait',
  Z: 'zombie',
  T: 'stopped',
  t: 'traced',
  I: 'idle',
  X: 'dead',
  x: 'dead',
  K: 'wakekill',
  W: 'waking',
  P: 'parked',
};

/** Applies one stream event to the table (a new Map, so React sees the change). */
export function applyProcessEvent(
  table: ReadonlyMap<number, ProcessRow>,
  event: ProcessesLiveEvent,
): Map<number, ProcessRow> {
  if (event.kind === 'snapshot') return new Map(event.processes.map((p) => [p.pid, p]));
  if (event.kind === 'unavailable') return new Map(table);
  const next = new Map(table);
  for (const pid of event.removed) next.delete(pid);
  for (const p of event.upserts) next.set(p.pid, p);
  return next;
}

export function ioRate(p: ProcessRow): number | null {
  if (p.readBytesPerSec === null && p.writeBytesPerSec === null) return null;
  return (p.readBytesPerSec ?? 0) + (p.writeBytesPerSec ?? 0);
}

function haystack(p: ProcessRow): string {
  return `${p.pid} ${p.name} ${p.cmdline} ${p.user} ${p.unit ?? ''} ${p.userUnit ?? ''}`.toLowerCase();
}

export function matchesFilter(p: ProcessRow, filter: ProcessFilter): boolean {
  if (filter.user && p.user !== filter.user) return false;
  if (filter.state && p.state !== filter.state) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(p);
  return words.every((w) => text.includes(w));
}

function value(p: ProcessRow, key: ProcessSortKey): number | string {
  switch (key) {
    case 'io':
      return ioRate(p) ?? -1;
    case 'cpuPercent':
      return p.cpuPercent ?? -1;
    case 'cmdline':
      return p.cmdline || `[${p.name}]`;
    default:
      return p[key];
  }
}

export function compareProcesses(a: ProcessRow, b: ProcessRow, sort: ProcessSort): number {
  const va = value(a, sort.key);
  const vb = value(b, sort.key);
  const order =
    typeof va === 'number' && typeof vb === 'number'
      ? va - vb
      : String(va).localeCompare(String(vb), undefined, { numeric: true });
  // Ties by PID, so rows with equal values never swap places between updates.
  return (sort.descending ? -order : order) || a.pid - b.pid;
}

export interface ProcessLine {
  row: ProcessRow;
  /** Depth in the tree view (0 in the flat list). */
  depth: number;
  /** In the tree view: whether it has children, shown or folded. */
  hasChildren: boolean;
}

export function flatLines(
  rows: readonly ProcessRow[],
  filter: ProcessFilter,
  sort: ProcessSort,
): ProcessLine[] {
  return rows
    .filter((r) => matchesFilter(r, filter))
    .sort((a, b) => compareProcesses(a, b, sort))
    .map((row) => ({ row, depth: 0, hasChildren: false }));
}

/**
 * The tree by parent: roots are processes whose parent is not in the table; siblings follow the
 * sort. With a filter, a matching process keeps its ancestors so it stays in its place.
 */
export function treeLines(
  rows: readonly ProcessRow[],
  filter: ProcessFilter,
  sort: ProcessSort,
  folded: ReadonlySet<number> = new Set(),
): ProcessLine[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const children = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const r of rows) {
    if (r.ppid !== r.pid && byPid.has(r.ppid)) {
      const list = children.get(r.ppid);
      if (list) list.push(r);
      else children.set(r.ppid, [r]);
    } else roots.push(r);
  }
  const filtering = filter.text !== '' || filter.user !== '' || filter.state !== '';
  const keep = new Set<number>();
  if (filtering) {
    for (const r of rows) {
      if (!matchesFilter(r, filter)) continue;
      let p: ProcessRow | undefined = r;
      const seen = new Set<number>();
      while (p && !keep.has(p.pid) && !seen.has(p.pid)) {
        seen.add(p.pid);
        keep.add(p.pid);
        p = p.ppid !== p.pid ? byPid.get(p.ppid) : undefined;
      }
    }
  }
  const lines: ProcessLine[] = [];
  const visited = new Set<number>();
  const walk = (list: ProcessRow[], depth: number) => {
    list.sort((a, b) => compareProcesses(a, b, sort));
    for (const r of list) {
      if (visited.has(r.pid) || (filtering && !keep.has(r.pid))) continue;
      visited.add(r.pid);
      const kids = children.get(r.pid) ?? [];
      lines.push({ row: r, depth, hasChildren: kids.length > 0 });
      if (!folded.has(r.pid)) walk(kids, depth + 1);
    }
  };
  walk(roots, 0);
  return lines;
}

/**
 * Keeps the previous order of PIDs that are still shown while a row is selected: rows do not move
 * under the pointer. New rows go to the end; rows that are gone drop out.
 */
export function holdOrder(lines: readonly ProcessLine[], previous: readonly number[]): ProcessLine[] {
  const byPid = new Map(lines.map((l) => [l.row.pid, l]));
  const held: ProcessLine[] = [];
  const seen = new Set<number>();
  for (const pid of previous) {
    const line = byPid.get(pid);
    if (line) {
      held.push(line);
      seen.add(pid);
    }
  }
  for (const line of lines) if (!seen.has(line.row.pid)) held.push(line);
  return held;
}

export function usersOf(rows: Iterable<ProcessRow>): string[] {
  return [...new Set([...rows].map((r) => r.user))].sort();
}
