// The services list's logic: filters by text and state, and the tone of an active state.
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

export function filterUnits(units: readonly UnitSummary[], text: string, state: StateFilter): UnitSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return units.filter((u) => {
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
