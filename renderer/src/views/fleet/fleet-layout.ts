// How the fleet table lays out its rows: groups by tag, and an order that holds still while the
// user is pointing at or has selected a row (UI rule 20). Pure, so it is tested alone.
import { needsAttention, type FleetRow } from './fleet-rows';

export interface RowGroup {
  /** The tag, or null for hosts without tags ("Untagged"). */
  tag: string | null;
  rows: FleetRow[];
  attention: number;
}

/**
 * One group per tag, alphabetically, with "Untagged" last; a host with several tags is in each of
 * them. Rows keep the order they come in, so a group is sorted as the whole table is.
 */
export function groupRowsByTag(rows: readonly FleetRow[]): RowGroup[] {
  const byTag = new Map<string | null, FleetRow[]>();
  for (const row of rows) {
    const tags = row.tags.length > 0 ? [...new Set(row.tags)] : [null];
    for (const tag of tags) {
      const list = byTag.get(tag);
      if (list) list.push(row);
      else byTag.set(tag, [row]);
    }
  }
  return [...byTag.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([tag, list]) => ({ tag, rows: list, attention: list.filter(needsAttention).length }));
}

/**
 * Puts rows in a frozen order: those in `frozen` where they were, new ones after them in their
 * current order; rows that went away (filtered out, removed) simply drop out.
 */
export function keepOrder<R extends { id: string }>(rows: readonly R[], frozen: readonly string[]): R[] {
  const position = new Map(frozen.map((id, i) => [id, i]));
  const known = rows.filter((r) => position.has(r.id));
  known.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return known.concat(rows.filter((r) => !position.has(r.id)));
}

/** A row as drawn: a host may be drawn once per group, so its key says which group. */
export function rowKey(tag: string | null | undefined, id: string): string {
  return tag === undefined ? id : `${tag ?? ''}\u0000${id}`;
}

/** The key `step` rows away from `current` (clamped to the ends); the first or last if none. */
export function moveSelection(keys: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (keys.length === 0) return null;
  const at = current === null ? -1 : keys.indexOf(current);
  if (at === -1) return step === 1 ? keys[0]! : keys[keys.length - 1]!;
  return keys[Math.min(keys.length - 1, Math.max(0, at + step))]!;
}

/** Pinned hosts first (UI.md 20), each part in the order it came in. */
export function pinnedFirst(rows: readonly FleetRow[], pinned: ReadonlySet<string>): FleetRow[] {
  if (pinned.size === 0) return [...rows];
  return [...rows.filter((r) => pinned.has(r.id)), ...rows.filter((r) => !pinned.has(r.id))];
}
