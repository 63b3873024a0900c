// A host's connection state as icon + word, with the full sentence as its tooltip.
import type { ConnectionState } from '../../../common/schemas/hosts';
import { STATE_LABELS } from '../lib/state-labels';

export function StateBadge({ state, message }: { state: ConnectionState; message?: string }) {
  const { label, icon, tone } = STATE_LABELS[state];
  return (
    <span className={`state-badge tone-${tone}`} title={message} data-testid="state-badge" data-state={state}>
      <span aria-hidden>{icon}</span> {label}
    </span>
  );
}
