// Disk space per mount: a bar with amber/red thresholds, an icon and a word for the state, free and size.
import type { FilesystemSample } from '../../../../../common/schemas/metrics';
import { formatBytes, formatPercent } from '../../../lib/format';
import { spaceState, SPACE_CRITICAL_PERCENT, SPACE_WARN_PERCENT } from './rows';

export function SpaceBars({ filesystems }: { filesystems: readonly FilesystemSample[] }) {
  if (filesystems.length === 0) return <p className="muted">No local filesystem reported.</p>;
  return (
    <table className="compact-table space-table">
      <thead>
        <tr>
          <th>Mount</th>
          <th>
            Used{' '}
            <span className="muted small">
              (marks at {SPACE_WARN_PERCENT} % and {SPACE_CRITICAL_PERCENT} %)
            </span>
          </th>
          <th className="num">Free</th>
          <th className="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {filesystems.map((fs) => {
          const state = spaceState(fs.usedPercent);
          return (
            <tr key={fs.mount}>
              <td title={`${fs.device} (${fs.fsType})`}>{fs.mount}</td>
              <td className="space-cell">
                <span
                  className="space-bar"
                  role="meter"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={fs.usedPercent}
                  aria-label={`${fs.mount} used, ${state.label}`}
                >
                  <span
                    className={`space-bar-fill tone-${state.tone}`}
                    style={{ width: `${fs.usedPercent}%` }}
                  />
                  <span className="space-mark" style={{ left: `${SPACE_WARN_PERCENT}%` }} aria-hidden />
                  <span className="space-mark" style={{ left: `${SPACE_CRITICAL_PERCENT}%` }} aria-hidden />
                </span>
                <span className={`space-state tone-${state.tone}`} data-testid={`space-state-${fs.mount}`}>
                  <span aria-hidden>{state.icon}</span> {formatPercent(fs.usedPercent)}
                  {state.tone !== 'ok' && ` ${state.label}`}
                </span>
              </td>
              <td className="num">{formatBytes(fs.freeBytes)}</td>
              <td className="num">{formatBytes(fs.sizeBytes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
