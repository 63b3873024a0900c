// How each connection state reads and looks: a word and an icon, never colour alone.
import type { ConnectionState } from '../../../common/schemas/hosts';

export const STATE_LABELS: Record<
  ConnectionState,
  { label: string; icon: string; tone: 'ok' | 'warn' | 'bad' | 'muted' }
> = {
  local: { label: 'Up', icon: '●', tone: 'ok' },
  up: { label: 'Up', icon: '●', tone: 'ok' },
  connecting: { label: 'Connecting', icon: '◌', tone: 'muted' },
  auth_failed: { label: 'Login failed', icon: '✖', tone: 'bad' },
  host_key_unknown: { label: 'Verify host key', icon: '?', tone: 'warn' },
  host_key_mismatch: { label: 'Host key changed', icon: '⚠', tone: 'bad' },
  unreachable: { label: 'Unreachable', icon: '▼', tone: 'bad' },
  down: { label: 'Stopped', icon: '■', tone: 'muted' },
};

export const isProblem = (state: ConnectionState): boolean =>
  STATE_LABELS[state].tone === 'bad' || state === 'host_key_unknown';
