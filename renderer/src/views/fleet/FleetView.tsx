// The fleet at a glance: counts first, then one row per host with its state and key figures.
import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/Panel';
import { StateBadge } from '../../components/StateBadge';
import type { HostsState } from '../../hooks/useHosts';
import { useLatestSamples } from '../../hooks/useLatestSamples';
import { routeHref } from '../../hooks/useHashRoute';
import {
  formatBitsPerSec,
  formatBytes,
  formatBytesPerSec,
  formatLoad,
  formatPercent,
  formatUptime,
} from '../../lib/format';
import { filterRows, fleetRows, LOCAL_ROW_ID, sortRows, type FleetRow, type SortKey } from './fleet-rows';

interface Props {
  hostsState: HostsState;
  onAddHost: () => void;
  onImport: () => void;
}

const COLUMNS: { key: SortKey; label: string; unit?: string }[] = [
  { key: 'state', label: 'State' },
  { key: 'name', label: 'Host' },
  { key: 'cpu', label: 'CPU', unit: '%' },
  { key: 'memoryPercent', label: 'Memory', unit: 'used' },
  { key: 'disk', label: 'Fullest disk', unit: '%' },
  { key: 'network', label: 'Network', unit: 'bit/s in / out' },
  { key: 'load1', label: 'Load', unit: '1 min' },
  { key: 'uptimeSec', label: 'Uptime' },
];

export function FleetView({ hostsState, onAddHost, onImport }: Props) {
  const { hosts, statuses, loaded } = hostsState;
  const ids = useMemo(() => [LOCAL_ROW_ID, ...hosts.map((h) => h.id)], [hosts]);
  const samples = useLatestSamples(ids);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'state',
    descending: false,
  });
  const [text, setText] = useState('');
  const [stateFilter, setStateFilter] = useState<'all' | 'up' | 'problem'>('all');

  const rows = useMemo(() => fleetRows(hosts, statuses, samples), [hosts, statuses, samples]);
  const shown = useMemo(
    () => sortRows(filterRows(rows, text, stateFilter), sort.key, sort.descending),
    [rows, text, stateFilter, sort],
  );
  const counts = useMemo(() => {
    const up = rows.filter((r) => r.state === 'up' || r.state === 'local').length;
    const connecting = rows.filter((r) => r.state === 'connecting').length;
    return { total: rows.length, up, connecting, problem: rows.length - up - connecting };
  }, [rows]);

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
      <div className="counts" role="list" aria-label="Host counts">
        <Count
          label="Hosts"
          value={counts.total}
          onClick={() => setStateFilter('all')}
          active={stateFilter === 'all'}
        />
        <Count
          label="Up"
          value={counts.up}
          tone="ok"
          onClick={() => setStateFilter('up')}
          active={stateFilter === 'up'}
        />
        <Count
          label="Need attention"
          value={counts.problem}
          tone={counts.problem ? 'bad' : undefined}
          onClick={() => setStateFilter('problem')}
          active={stateFilter === 'problem'}
        />
        {counts.connecting > 0 && <Count label="Connecting" value={counts.connecting} />}
      </div>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Filter by name, address or tag"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Filter hosts"
        />
      </div>
      {loaded && hosts.length === 0 && (
        <EmptyState title="Add your first server">
          Hyperion watches Linux servers over SSH with nothing installed on them. Add one by address, or
          import the hosts you already have in ~/.ssh/config.
        </EmptyState>
      )}
      <table className="fleet-table" data-testid="fleet-table">
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
                  onClick={() =>
                    setSort((s) => ({
                      key: c.key,
                      descending: s.key === c.key ? !s.descending : c.key !== 'name' && c.key !== 'state',
                    }))
                  }
                >
                  {c.label}
                  {c.unit && <span className="muted"> ({c.unit})</span>}
                </button>
              </th>
            ))}
            <th>Monitoring cost</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <FleetTableRow key={row.id} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Count(props: {
  label: string;
  value: number;
  tone?: 'ok' | 'bad';
  onClick?: () => void;
  active?: boolean;
}) {
  return (
    <button
      type="button"
      role="listitem"
      className={`count${props.active ? ' active' : ''}${props.tone ? ` tone-${props.tone}` : ''}`}
      onClick={props.onClick}
    >
      <span className="count-value">{props.value}</span>
      <span className="count-label">{props.label}</span>
    </button>
  );
}

function Meter({ value, label }: { value: number | undefined; label: string }) {
  if (value === undefined) return <span className="muted">–</span>;
  const tone = value >= 90 ? 'bad' : value >= 75 ? 'warn' : 'ok';
  return (
    <span className="meter-cell">
      <span
        className="mini-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(value)}
        aria-label={label}
      >
        <span className={`mini-bar-fill tone-${tone}`} style={{ width: `${Math.min(100, value)}%` }} />
      </span>
      <span className="num">{formatPercent(value)}</span>
    </span>
  );
}

function FleetTableRow({ row }: { row: FleetRow }) {
  const href = routeHref({ page: 'host', hostId: row.id });
  return (
    <tr className={row.stale ? 'stale' : undefined} data-testid={`fleet-row-${row.id}`}>
      <td>
        <StateBadge state={row.state} message={row.message} />
      </td>
      <td>
        <a href={href} className="host-link">
          {row.name}
        </a>
        <div className="muted small">
          {row.address}
          {row.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </div>
      </td>
      <td>
        <Meter value={row.cpu} label={`CPU of ${row.name}`} />
      </td>
      <td
        title={
          row.memoryUsed !== undefined
            ? `${formatBytes(row.memoryUsed)} of ${formatBytes(row.memoryTotal)}`
            : undefined
        }
      >
        <Meter value={row.memoryPercent} label={`Memory of ${row.name}`} />
      </td>
      <td title={row.disk?.mount}>
        <Meter value={row.disk?.usedPercent} label={`Fullest disk of ${row.name}`} />
        {row.disk && <div className="muted small">{row.disk.mount}</div>}
      </td>
      <td className="num">
        {row.rxBytesPerSec === undefined
          ? '–'
          : `${formatBitsPerSec(row.rxBytesPerSec)} / ${formatBitsPerSec(row.txBytesPerSec)}`}
      </td>
      <td className="num">{formatLoad(row.load1)}</td>
      <td className="num">{row.uptimeSec === undefined ? '–' : formatUptime(row.uptimeSec)}</td>
      <td className="num muted">
        {row.id === LOCAL_ROW_ID
          ? 'local'
          : row.wireBytesPerSec === null
            ? '–'
            : formatBytesPerSec(row.wireBytesPerSec)}
      </td>
    </tr>
  );
}
