// The fleet's alert counts (UI.md 16: critical, warning beside up and down), each a link to the
// alerts behind it.
import { pageHref } from '../../hooks/useHashRoute';
import { useAlertsFeed } from './useAlertsFeed';

export function FleetAlertCounts() {
  const { counts } = useAlertsFeed();
  const item = (label: string, value: number, tone: 'bad' | 'warn') => (
    <li>
      <a
        className={`count${value ? ` tone-${tone}` : ''}`}
        href={pageHref('alerts')}
        title={`Show the ${label.toLowerCase()} alerts`}
        data-testid={`count-alerts-${label.toLowerCase()}`}
      >
        <span className="count-value">{value}</span>
        <span className="count-label">{label}</span>
      </a>
    </li>
  );
  return (
    <>
      {item('Critical', counts.critical, 'bad')}
      {item('Warning', counts.warning, 'warn')}
    </>
  );
}
