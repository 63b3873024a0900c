// The unit list's logic: filters by kind, text and state, and the tone of an active state.
import type { UnitSummary } from '../../../../common/schemas/services';

export type StateFilter = 'all' | 'running' | 'failed' | 'inactive' | 'enabled' | 'disabled';

export const STATE_FILTERS: { id: StateFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'running', label: 'Running' },
  { id: 'failed', label: 'Failed' },
  { id: 'inactive', label: 'Inactive' },
  { id: 'enabled', label: 'Enabled' },
  { id: 'disabled', label: 'Disabled' },
];

export type KindFilter = 'service' | 'timer' | 'socket' | 'all';

export const KIND_FILTERS: { id: KindFilter; label: string; noun: string }[] = [
  { id: 'service', label: 'Services', noun: 'services' },
  { id: 'timer', label: 'Timers', noun: 'timers' },
  { id: 'socket', label: 'Sockets', noun: 'sockets' },
  { id: 'all', label: 'All types', noun: 'units' },
];

/** A unit's type: what follows its last dot ("nginx.service" → "service"). */
export function unitKind(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

export function ofKind(units: readonly UnitSummary[], kind: KindFilter): UnitSummary[] {
  return kind === 'all' ? [...units] : units.filter((u) => unitKind(u.name) === kind);
}

export function filterUnits(
  units: readonly UnitSummary[],
  text: string,
  state: StateFilter,
  kind: KindFilter = 'all',
): UnitSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return units.filter((u) => {
    if (kind !== 'all' && unitKind(u.name) !== kind) return false;
    if (state === 'running' && u.active !== 'active') return false;
    if (state === 'failed' && u.active !== 'failed') return false;
    if (state === 'inactive' && u.active !== 'inactive') return false;
    if (state === 'enabled' && u.enabled !== 'enabled') return false;
    if (state === 'disabled' && u.enabled !== 'disabled') return false;
    const hay = `${u.name} ${u.description}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function activeTone(active: string): string {
  return active === 'active'
    ? 'tone-ok'
    : active === 'failed'
      ? 'tone-bad'
      : active.endsWith('ing')
        ? 'tone-warn'
        : 'tone-muted';
}
