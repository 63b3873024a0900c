// One host's row of the fleet table: state, name and tags, then each figure as a bar or number
// with its last two minutes beside it.
import { StateBadge } from '../../components/StateBadge';
import { hostHref } from '../../hooks/useHashRoute';
import type { RecentSeries } from '../../hooks/useRecentSamples';
import {
  formatNetRate,
  formatBytes,
  formatBytesPerSec,
  formatLoad,
  formatPercent,
  formatUptime,
} from '../../lib/format';
import { LOCAL_ROW_ID, type FleetRow } from './fleet-rows';
import { Sparkline } from './Sparkline';

/** Filesystems drawn in a row; the rest are one click away on the host's Disks tab. */
const FS_SHOWN = 3;

interface Props {
  row: FleetRow;
  rowKey: string;
  recent: RecentSeries | undefined;
  windowMs: number;
  selected: boolean;
  tagFilter: string | undefined;
  onTag: (tag: string) => void;
  onSelect: (rowKey: string) => void;
  /** Where the row's alert badge leads: the alerts page for this host, or the host itself. */
  alertsHref?: string;
  pinned?: boolean;
  onPin?: (id: string) => void;
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
  alertsHref,
  pinned = false,
  onPin,
}: Props) {
  const href = hostHref(row.id);
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
        {onPin && (
          <button
            type="button"
            className={`pin-button${pinned ? ' pinned' : ''}`}
            aria-pressed={pinned}
            aria-label={pinned ? `Unpin ${row.name}` : `Pin ${row.name} to the top`}
            title={pinned ? 'Pinned to the top: click to unpin' : 'Pin to the top of the fleet'}
            onClick={() => onPin(row.id)}
            data-testid={`pin-${row.id}`}
          >
            {pinned ? '★' : '☆'}
          </button>
        )}
        <a href={href} className="host-link">
          {row.name}
        </a>
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
        {row.memoryUsed !== undefined && (
          <div className="muted small">
            {formatBytes(row.memoryUsed)} of {formatBytes(row.memoryTotal)}
          </div>
        )}
      </td>
      <td>
        {row.filesystems.length === 0 ? (
          <Meter value={undefined} label={`Disks of ${row.name}`} />
        ) : (
          <ul className="fs-list">
            {row.filesystems.slice(0, FS_SHOWN).map((f) => (
              <li
                key={f.mount}
                title={`${f.mount}: ${formatBytes(f.usedBytes)} of ${formatBytes(f.sizeBytes)}`}
              >
                <Meter value={f.usedPercent} label={`${f.mount} on ${row.name}`} />
                <span className="muted small fs-mount">{f.mount}</span>
              </li>
            ))}
            {row.filesystems.length > FS_SHOWN && (
              <li>
                <a className="small" href={hostHref(row.id, 'disks')}>
                  +{row.filesystems.length - FS_SHOWN} more
                </a>
              </li>
            )}
          </ul>
        )}
      </td>
      <td className="num">
        <span className="trend-cell">
          {recent && <Sparkline ts={recent.ts} values={recent.network} windowMs={windowMs} />}
          {row.rxBytesPerSec === undefined ? (
            <span>–</span>
          ) : (
            <span className="net-pair">
              <span>
                <span className="muted">in</span> {formatNetRate(row.rxBytesPerSec)}
              </span>
              <span>
                <span className="muted">out</span> {formatNetRate(row.txBytesPerSec)}
              </span>
            </span>
          )}
        </span>
      </td>
      <td className="num">{formatLoad(row.load1)}</td>
      <td className="num">{row.uptimeSec === undefined ? '–' : formatUptime(row.uptimeSec)}</td>
      <td data-testid={`fleet-alerts-${row.id}`}>
        <AlertBadges counts={row.alerts} href={alertsHref ?? href} name={row.name} />
      </td>
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

/** Firing alerts as icon + number badges (never colour alone), linking to the rows behind them. */
function AlertBadges({ counts, href, name }: { counts: FleetRow['alerts']; href: string; name: string }) {
  const parts = [
    { n: counts.critical, icon: '✖', tone: 'bad', word: 'critical' },
    { n: counts.warning, icon: '⚠', tone: 'warn', word: 'warning' },
    { n: counts.info, icon: 'ℹ', tone: 'muted', word: 'info' },
  ].filter((p) => p.n > 0);
  if (parts.length === 0) {
    return counts.pending > 0 ? (
      <span className="muted small" title="Crossing a threshold, not firing yet">
        {counts.pending} pending
      </span>
    ) : (
      <span className="muted" aria-label="No alerts">
        –
      </span>
    );
  }
  return (
    <a
      href={href}
      className="alert-badges"
      aria-label={`${name}: ${parts.map((p) => `${p.n} ${p.word}`).join(', ')} alerts firing`}
    >
      {parts.map((p) => (
        <span key={p.word} className={`alert-badge tone-${p.tone}`}>
          <span aria-hidden>{p.icon}</span> {p.n}
        </span>
      ))}
    </a>
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
