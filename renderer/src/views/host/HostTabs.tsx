// One host in tabs (host-tab-registry.ts): a keyboard-operable tab bar whose tab lives in the URL,
// and the panel of the current tab — live samples or stored history for metric tabs, the tool itself
// for tool tabs.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Host, HostStatus } from '../../../../common/schemas/hosts';
import type { Sample } from '../../../../common/schemas/sample';
import { EmptyState } from '../../components/Panel';
import { hostHref, navigate } from '../../hooks/useHashRoute';
import { useLiveSamples } from '../../hooks/useLiveSamples';
import { useTimeRange } from '../../hooks/useTimeRange';
import { HOST_TABS, type HostTab, type MetricsTab } from './host-tab-registry';

export const LIVE_WINDOW_SEC = 300;

/** The tab bar: ←/→/Home/End move between tabs (and focus), each tab is "#/host/<id>/<tab>". */
export function HostTabBar(props: {
  hostId: string;
  current: string;
  tabs?: readonly HostTab[];
  panelId: string;
  onSelect?: (tab: string) => void;
}) {
  const tabs = props.tabs ?? HOST_TABS;
  const select = props.onSelect ?? ((tab: string) => navigate(hostHref(props.hostId, tab)));
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === props.current);
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index >= last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index <= 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[next]!.id);
    buttons.current[next]?.focus();
  };
  return (
    <div className="host-tabs" role="tablist" aria-label="Host sections" onKeyDown={onKeyDown}>
      {tabs.map((t, i) => {
        const selected = t.id === props.current;
        return (
          <button
            key={t.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${props.panelId}-tab-${t.id}`}
            aria-selected={selected}
            aria-controls={props.panelId}
            tabIndex={selected || (i === 0 && !tabs.some((x) => x.id === props.current)) ? 0 : -1}
            className={`host-tab${selected ? ' active' : ''}${t.kind === 'tool' && i > 0 && tabs[i - 1]!.kind !== 'tool' ? ' host-tab-first-tool' : ''}`}
            onClick={() => select(t.id)}
            data-testid={`host-tab-${t.id}`}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}

/** The tab bar and the current tab's panel. `tab` undefined means "no such tab" (a stale link). */
export function HostTabs(props: {
  hostId: string;
  tabId: string;
  tab: HostTab | undefined;
  host: Host | undefined;
  status: HostStatus | undefined;
  /** Drawn between the tab bar and a metric tab's content (the time range bar). */
  metricsBar?: ReactNode;
}) {
  const panelId = useId();
  const { tab } = props;
  return (
    <>
      <HostTabBar hostId={props.hostId} current={props.tabId} panelId={panelId} />
      {tab?.kind === 'metrics' && props.metricsBar}
      <div
        className="host-tab-panel"
        role="tabpanel"
        id={panelId}
        aria-labelledby={tab ? `${panelId}-tab-${tab.id}` : undefined}
        aria-label={tab ? undefined : 'Unknown section'}
        data-testid={`host-tab-panel-${props.tabId}`}
      >
        {!tab ? (
          <EmptyState title={`This version of Hyperion has no “${props.tabId}” section`}>
            The link may come from a newer version. <a href={hostHref(props.hostId)}>Open the overview</a> or
            pick a section above.
          </EmptyState>
        ) : tab.kind === 'metrics' ? (
          <MetricsPanel hostId={props.hostId} tab={tab} />
        ) : (
          <tab.Content hostId={props.hostId} host={props.host} status={props.status} />
        )}
      </div>
    </>
  );
}

/** A metric tab: its live charts, or its history when the app-wide range is not live. */
function MetricsPanel({ hostId, tab }: { hostId: string; tab: MetricsTab }) {
  const { range } = useTimeRange();
  const syncId = `host-${hostId}`;
  if (range.kind !== 'live') return <tab.History hostId={hostId} syncId={syncId} />;
  return <LiveMetrics hostId={hostId} tab={tab} syncId={syncId} />;
}

function LiveMetrics({ hostId, tab, syncId }: { hostId: string; tab: MetricsTab; syncId: string }) {
  const live = useLiveSamples(hostId, LIVE_WINDOW_SEC);
  if (live.status === 'error') {
    return (
      <EmptyState title="Live data is not available">
        {live.error?.message ?? 'The core refused the live feed.'}
      </EmptyState>
    );
  }
  if (live.samples.length === 0) return <MetricsSkeleton />;
  return <LiveMetricsView hostId={hostId} tab={tab} samples={live.samples} syncId={syncId} />;
}

/** What a metric tab draws once samples are there (tests render this directly). */
export function LiveMetricsView(props: {
  hostId: string;
  tab: MetricsTab;
  samples: Sample[];
  syncId: string;
}) {
  const { tab } = props;
  return <tab.Content hostId={props.hostId} samples={props.samples} syncId={props.syncId} />;
}

export function MetricsSkeleton() {
  return (
    <div aria-busy="true" data-testid="metrics-skeleton">
      <div className="skeleton-row">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="skeleton skeleton-tile" />
        ))}
      </div>
      <div className="skeleton skeleton-chart" />
      <p className="muted">Taking the first samples…</p>
    </div>
  );
}
