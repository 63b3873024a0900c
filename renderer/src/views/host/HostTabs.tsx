// One host in tabs (host-tab-registry.ts): a keyboard-operable tab bar whose tab lives in the URL,
// and the panel of the current tab — live samples or stored history for metric tabs, the tool itself
// for tool tabs.
import { useId, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Host, HostStatus } from '../../../../common/schemas/hosts';
import type { Sample } from '../../../../common/schemas/sample';
import { EmptyState } from '../../components/Panel';
import { ViewErrorBoundary } from '../../lib/lazy-view';
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
        <ViewErrorBoundary key={props.tabId}>
          {!tab ? (
            <EmptyState title={`This version of Hyperion has no “${props.tabId}” section`}>
              The link may come from a newer version. <a href={hostHref(props.hostId)}>Open the overview</a>{' '}
              or pick a section above.
            </EmptyState>
          ) : tab.kind === 'metrics' ? (
            <MetricsPanel hostId={props.hostId} tab={tab} host={props.host} status={props.status} />
          ) : (
            <tab.Content hostId={props.hostId} host={props.host} status={props.status} />
          )}
        </ViewErrorBoundary>
      </div>
    </>
  );
}

/** A metric tab: its live charts (still while paused), or its history for any other range. */
function MetricsPanel(props: {
  hostId: string;
  tab: MetricsTab;
  host: Host | undefined;
  status: HostStatus | undefined;
}) {
  const { hostId, tab } = props;
  const { range } = useTimeRange();
  const syncId = `host-${hostId}`;
  if (range.kind === 'live' || range.kind === 'paused') {
    return <LiveMetrics hostId={hostId} tab={tab} syncId={syncId} host={props.host} status={props.status} />;
  }
  return <tab.History hostId={hostId} syncId={syncId} host={props.host} />;
}

/** The samples of a paused span; undefined when memory no longer reaches back to its start. */
export function pausedSlice(samples: Sample[], from: number, to: number): Sample[] | undefined {
  const first = samples[0];
  if (!first || first.ts - first.intervalMs * 1.5 > from) return undefined;
  const slice = samples.filter((s) => s.ts >= from && s.ts <= to);
  return slice.length >= 2 ? slice : undefined;
}

function LiveMetrics(props: {
  hostId: string;
  tab: MetricsTab;
  syncId: string;
  host: Host | undefined;
  status: HostStatus | undefined;
}) {
  const { hostId, tab, syncId } = props;
  const { range } = useTimeRange();
  const paused = range.kind === 'paused';
  const live = useLiveSamples(hostId, LIVE_WINDOW_SEC, paused);
  const shown = useMemo(
    () => (range.kind === 'paused' ? pausedSlice(live.samples, range.from, range.to) : live.samples),
    [live.samples, range],
  );
  if (live.status === 'error') {
    return (
      <EmptyState title="Live data is not available">
        {live.error?.message ?? 'The core refused the live feed.'}
      </EmptyState>
    );
  }
  if (live.samples.length === 0) return <MetricsSkeleton />;
  // Paused on a span memory no longer holds: the store has it.
  if (!shown) return <tab.History hostId={hostId} syncId={syncId} host={props.host} />;
  return (
    <LiveMetricsView
      hostId={hostId}
      tab={tab}
      samples={shown}
      syncId={syncId}
      host={props.host}
      status={props.status}
    />
  );
}

/** What a metric tab draws once samples are there (tests render this directly). */
export function LiveMetricsView(props: {
  hostId: string;
  tab: MetricsTab;
  samples: Sample[];
  syncId: string;
  host?: Host | undefined;
  status?: HostStatus | undefined;
}) {
  const { tab } = props;
  return (
    <tab.Content
      hostId={props.hostId}
      samples={props.samples}
      syncId={props.syncId}
      host={props.host}
      status={props.status}
    />
  );
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
