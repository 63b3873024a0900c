// Builds the fleet table's rows from hosts, statuses and latest samples. Pure, so it is tested alone.
import type { Host, HostStatus, ConnectionState } from '../../../../common/schemas/hosts';
import type { Sample } from '../../../../common/schemas/sample';
import type { HostAlertCounts } from '../../hooks/useActiveAlerts';

const NO_ALERTS: HostAlertCounts = { critical: 0, warning: 0, info: 0, pending: 0 };

export interface FleetRow {
  id: string;
  name: string;
  address: string;
  tags: string[];
  state: ConnectionState;
  message: string;
  cpu: number | undefined;
  memoryPercent: number | undefined;
  memoryUsed: number | undefined;
  memoryTotal: number | undefined;
  /** The fullest real filesystem. */
  disk: { mount: string; usedPercent: number } | undefined;
  /** Every filesystem, fullest first (UI.md 16: each filesystem in the row). */
  filesystems: { mount: string; usedPercent: number; usedBytes: number; sizeBytes: number }[];
  rxBytesPerSec: number | undefined;
  txBytesPerSec: number | undefined;
  load1: number | undefined;
  uptimeSec: number | undefined;
  wireBytesPerSec: number | null;
  /** Whether the numbers are current: a host that is not up shows its last values greyed. */
  stale: boolean;
  /** Connected, but no new sample for a while (3 intervals, at least 5 s): the data is stale. */
  late: boolean;
  /** When the newest sample was taken (ms), if any. */
  sampledAt: number | undefined;
  /** Firing alerts by severity, and pending ones. */
  alerts: HostAlertCounts;
}

export const LOCAL_ROW_ID = 'local';

export function fleetRows(
  hosts: readonly Host[],
  statuses: ReadonlyMap<string, HostStatus>,
  samples: ReadonlyMap<string, Sample>,
  options: { now?: number; alerts?: ReadonlyMap<string, HostAlertCounts> } = {},
): FleetRow[] {
  const entries: { id: string; name: string; address: string; tags: string[] }[] = [
    { id: LOCAL_ROW_ID, name: 'This computer', address: 'local', tags: [] },
    ...hosts.map((h) => ({
      id: h.id,
      name: h.name,
      address: h.port === 22 ? h.address : `${h.address}:${h.port}`,
      tags: h.tags,
    })),
  ];
  return entries.map(({ id, name, address, tags }) => {
    const status = statuses.get(id);
    const sample = samples.get(id);
    const state: ConnectionState = status?.state ?? (id === LOCAL_ROW_ID ? 'local' : 'connecting');
    const memory = sample?.memory;
    const fullest = sample?.disks.filesystems.reduce<{ mount: string; usedPercent: number } | undefined>(
      (best, fs) =>
        !best || fs.usedPercent > best.usedPercent ? { mount: fs.mount, usedPercent: fs.usedPercent } : best,
      undefined,
    );
    const external = sample?.network.interfaces.filter((i) => i.name !== 'lo') ?? [];
    return {
      id,
      name,
      address,
      tags,
      state,
      message: status?.message ?? '',
      cpu: sample?.cpu.total.usage,
      memoryPercent:
        memory && memory.totalBytes > 0 ? (memory.usedBytes / memory.totalBytes) * 100 : undefined,
      memoryUsed: memory?.usedBytes,
      memoryTotal: memory?.totalBytes,
      disk: fullest,
      filesystems: (sample?.disks.filesystems ?? [])
        .map((f) => ({
          mount: f.mount,
          usedPercent: f.usedPercent,
          usedBytes: f.usedBytes,
          sizeBytes: f.sizeBytes,
        }))
        .sort((a, b) => b.usedPercent - a.usedPercent),
      rxBytesPerSec: sample ? external.reduce((sum, i) => sum + i.rxBytesPerSec, 0) : undefined,
      txBytesPerSec: sample ? external.reduce((sum, i) => sum + i.txBytesPerSec, 0) : undefined,
      load1: sample?.cpu.load[0],
      uptimeSec: sample?.host.uptimeSec,
      wireBytesPerSec: status?.wireBytesPerSec ?? null,
      stale: !(state === 'up' || state === 'local'),
      late: isLate(state, sample, status, options.now),
      sampledAt: sample?.ts,
      alerts: options.alerts?.get(id) ?? NO_ALERTS,
    };
  });
}

/** Up (or this computer) but its newest sample is older than three intervals and 5 s. */
function isLate(
  state: ConnectionState,
  sample: Sample | undefined,
  status: HostStatus | undefined,
  now: number | undefined,
): boolean {
  if (now === undefined || !(state === 'up' || state === 'local')) return false;
  const interval = status?.sampleIntervalMs ?? sample?.intervalMs ?? 1000;
  const limit = Math.max(5_000, 3 * interval);
  // Just connected and not sampled yet is not late: the status says since when it is up.
  const since = sample?.ts ?? status?.since ?? now;
  return now - since > limit;
}

export type SortKey =
  'state' | 'name' | 'cpu' | 'memoryPercent' | 'disk' | 'network' | 'load1' | 'uptimeSec' | 'alerts';

const STATE_ORDER: Record<ConnectionState, number> = {
  host_key_mismatch: 0,
  auth_failed: 1,
  unreachable: 2,
  host_key_unknown: 3,
  connecting: 4,
  down: 5,
  up: 6,
  local: 7,
};

function sortValue(row: FleetRow, key: SortKey): number | string {
  switch (key) {
    case 'state':
      return STATE_ORDER[row.state];
    case 'name':
      return row.name.toLowerCase();
    case 'disk':
      return row.disk?.usedPercent ?? -1;
    case 'network':
      return (row.rxBytesPerSec ?? -1) + (row.txBytesPerSec ?? 0);
    case 'alerts':
      return row.alerts.critical * 1e6 + row.alerts.warning * 1e3 + row.alerts.info;
    default:
      return row[key] ?? -1;
  }
}

export function sortRows(rows: readonly FleetRow[], key: SortKey, descending: boolean): FleetRow[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return descending ? -order : order;
  });
}

export type StateFilter = 'all' | 'up' | 'down' | 'stale' | 'problem' | 'connecting';
export type AlertFilter = 'critical' | 'warning';

export interface RowFilter {
  text: string;
  state: StateFilter;
  /** Only hosts carrying exactly this tag; undefined for any. */
  tag?: string | undefined;
  /** Only hosts with a firing alert of this severity. */
  alerts?: AlertFilter | undefined;
}

export const isUp = (row: FleetRow): boolean => row.state === 'up' || row.state === 'local';

/** Cannot be reached, or stopped: the "Down" count. */
export const isDown = (row: FleetRow): boolean => row.state === 'unreachable' || row.state === 'down';

/** Down, unreachable, refused or waiting for a host key: what the "Need attention" count holds. */
export const needsAttention = (row: FleetRow): boolean => !isUp(row) && row.state !== 'connecting';

export function filterRows(rows: readonly FleetRow[], filter: RowFilter): FleetRow[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter((row) => {
    if (filter.state === 'up' && !isUp(row)) return false;
    if (filter.state === 'down' && !isDown(row)) return false;
    if (filter.state === 'stale' && !row.late) return false;
    if (filter.state === 'problem' && !needsAttention(row)) return false;
    if (filter.alerts !== undefined && row.alerts[filter.alerts] === 0) return false;
    if (filter.state === 'connecting' && row.state !== 'connecting') return false;
    if (filter.tag !== undefined && !row.tags.includes(filter.tag)) return false;
    if (!needle) return true;
    return (
      row.name.toLowerCase().includes(needle) ||
      row.address.toLowerCase().includes(needle) ||
      row.tags.some((t) => t.toLowerCase().includes(needle))
    );
  });
}
