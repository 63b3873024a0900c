// The Alerts page of the rail: what fires now (acknowledge, silence), the history of every
// incident with its timeline, the rules with their editor and backtest, the channels with a test
// button, and the silences. Each part is a link: "#/alerts/history?host=web-1", "#/alerts/rules".
import type { RailPageProps } from '../../rail-pages';
import { navigate, pageHref } from '../../hooks/useHashRoute';
import { ActiveAlerts } from './ActiveAlerts';
import { ChannelsView } from './ChannelsView';
import { HistoryView } from './HistoryView';
import { IncidentDialog } from './IncidentDialog';
import { RulesView } from './RulesView';
import { SilencesView } from './SilencesView';
import { useAlertsFeed } from './useAlertsFeed';
import './alerts.css';

const SECTIONS = [
  { id: 'active', label: 'Active' },
  { id: 'history', label: 'History' },
  { id: 'rules', label: 'Rules' },
  { id: 'channels', label: 'Channels' },
  { id: 'silences', label: 'Silences' },
] as const;

type SectionId = (typeof SECTIONS)[number]['id'];

export function AlertsPage({ route, hosts }: RailPageProps) {
  const section: SectionId = SECTIONS.find((s) => s.id === route.path?.[0])?.id ?? 'active';
  const params = route.params ?? {};
  const feed = useAlertsFeed();
  const incident = params.incident ? Number(params.incident) : undefined;
  const hostNames = new Map<string, string>([
    ['local', 'This computer'],
    ...hosts.hosts.map((h) => [h.id, h.name] as const),
  ]);
  const tags = [...new Set(hosts.hosts.flatMap((h) => h.tags))].sort();
  const closeIncident = () => {
    const { incident: _i, ...rest } = params;
    navigate(pageHref('alerts', rest, section === 'active' ? [] : [section]));
  };

  return (
    <div className="view alerts-view" data-testid="alerts-view">
      <header className="view-header">
        <h1>Alerts</h1>
        <nav className="alerts-sections" aria-label="Alerts">
          {SECTIONS.map((s) => (
            <a
              key={s.id}
              href={pageHref('alerts', {}, s.id === 'active' ? [] : [s.id])}
              className={`pill-button${s.id === section ? ' active' : ''}`}
              aria-current={s.id === section ? 'page' : undefined}
              data-testid={`alerts-section-${s.id}`}
            >
              {s.label}
              {s.id === 'active' && feed.counts.firing + feed.counts.pending > 0 && (
                <span className="muted"> {feed.counts.firing + feed.counts.pending}</span>
              )}
            </a>
          ))}
        </nav>
      </header>
      {section === 'active' && (
        <ActiveAlerts
          key={params.severity ?? ''}
          feed={feed}
          hostFilter={params.host}
          severityFilter={params.severity}
          tags={tags}
        />
      )}
      {section === 'history' && <HistoryView params={params} hostNames={hostNames} />}
      {section === 'rules' && <RulesView hosts={hosts.hosts} tags={tags} />}
      {section === 'channels' && <ChannelsView />}
      {section === 'silences' && <SilencesView hostNames={hostNames} tags={tags} />}
      {incident !== undefined && Number.isInteger(incident) && (
        <IncidentDialog id={incident} onClose={closeIncident} />
      )}
    </div>
  );
}
