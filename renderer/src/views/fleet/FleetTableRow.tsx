// One host's row of the fleet table: state, name and tags, then each figure as a bar or number
// with its last two minutes beside it.
import { StateBadge } from '../../components/StateBadge';
import { routeHref } from '../../hooks/useHashRoute';
import type { RecentSeries } from '../../hooks/useRecentSamples';
import {
  formatBitsPerSec,
  formatBytes,
  formatBytesPerSec,
  formatLoad,
  formatPercent,
  formatUptime,
} from '../../lib/format';
import { HostAlertsBadge } from '../alerts/HostAlertsBadge';
import { LOCAL_ROW_ID, type FleetRow } from './fleet-rows';
import { Sparkline } from './Sparkline';

interface Props {
  row: FleetRow;
  rowKey: string;
  recent: RecentSeries | undefined;
  windowMs: number;
  selected: boolean;
  tagFilter: string | undefined;
  onTag: (tag: string) => void;
  onSelect: (rowKey: string) => void;
}

export function FleetTableRow({
  row,
  rowKey,
  recent,
  windowMs,
  selected,
  tagFilter,
  onTag,
  onSelect,
}: Props) {
  const href = routeHref({ page: 'host', hostId: row.id });
  const className = [row.stale ? 'stale' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  return (
    <tr
      className={className || undefined}
      data-testid={`fleet-row-${row.id}`}
      data-row-key={rowKey}
      aria-selected={selected}
      onFocus={() => onSelect(rowKey)}
    >
      <td>
        <StateBadge state={row.state} message={row.message} />
      </td>
      <td>
        <a href={href} className="host-link">
          {row.name}
        </a>
        <HostAlertsBadge hostId={row.id} />
        <div className="muted small host-meta">
          <span className="host-address">{row.address}</span>
          {row.tags.map((t) => (
            <button
              key={t}
              type="button"
              className="tag"
              aria-pressed={tagFilter === t}
              title={tagFilter === t ? 'Show all tags again' : `Show only hosts tagged “${t}”`}
              onClick={() => onTag(t)}
            >
              {t}
            </button>
          ))}
        </div>
      </td>
      <td>
        <span className="trend-cell">
          <Meter value={row.cpu} label={`CPU of ${row.name}`} />
          {recent && <Sparkline ts={recent.ts} values={recent.cpu} windowMs={windowMs} max={100} />}
        </span>
      </td>
      <td
        title={
          row.memoryUsed !== undefined
            ? `${formatBytes(row.memoryUsed)} of ${formatBytes(row.memoryTotal)}`
            : undefined
        }
      >
        <span className="trend-cell">
          <Meter value={row.memoryPercent} label={`Memory of ${row.name}`} />
          {recent && <Sparkline ts={recent.ts} values={recent.memory} windowMs={windowMs} max={100} />}
        </span>
      </td>
      <td title={row.disk?.mount}>
        <Meter value={row.disk?.usedPercent} label={`Fullest disk of ${row.name}`} />
        {row.disk && <div className="muted small">{row.disk.mount}</div>}
      </td>
      <td className="num">
        <span className="trend-cell">
          {recent && <Sparkline ts={recent.ts} values={recent.network} windowMs={windowMs} />}
          <span>
            {row.rxBytesPerSec === undefined
              ? '–'
              : `${formatBitsPerSec(row.rxBytesPerSec)} / ${formatBitsPerSec(row.txBytesPerSec)}`}
          </span>
        </span>
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
