// One host, live, in tabs per metric group: a keyboard-operable tab bar over one shared sample window.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Sample } from '../../../../common/schemas/sample';
import { EmptyState } from '../../components/Panel';
import { useLiveSamples } from '../../hooks/useLiveSamples';
import { formatUptime, formatZone } from '../../lib/format';
import { CpuTab } from './tabs/CpuTab';
import { DisksTab } from './tabs/DisksTab';
import { MemoryTab } from './tabs/MemoryTab';
import { NetworkTab } from './tabs/NetworkTab';
import { OverviewTab } from './tabs/OverviewTab';

const WINDOW_SEC = 300;

export const HOST_TABS = [
  { id: 'overview', label: 'Overview', Content: OverviewTab },
  { id: 'cpu', label: 'CPU', Content: CpuTab },
  { id: 'memory', label: 'Memory', Content: MemoryTab },
  { id: 'network', label: 'Network', Content: NetworkTab },
  { id: 'disks', label: 'Disks', Content: DisksTab },
] as const;
export type HostTabId = (typeof HOST_TABS)[number]['id'];

export function HostTabs({ hostId }: { hostId: string }) {
  const live = useLiveSamples(hostId, WINDOW_SEC);
  const [tab, setTab] = useState<HostTabId>('overview');
  const latest = live.samples[live.samples.length - 1];

  if (live.status === 'error') {
    return (
      <div className="view">
        <EmptyState title="Live data is not available">{live.error?.message}</EmptyState>
      </div>
    );
  }
  if (!latest) {
    return (
      <div className="view" aria-busy="true">
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
  return <HostTabsView samples={live.samples} hostId={hostId} tab={tab} onTab={setTab} />;
}

/** The tabs over a given window of samples: what HostTabs draws once samples arrive. */
export function HostTabsView(props: {
  samples: Sample[];
  hostId: string;
  tab: HostTabId;
  onTab: (tab: HostTabId) => void;
}) {
  const { samples, tab, onTab } = props;
  const latest = samples[samples.length - 1]!;
  const { host } = latest;
  const baseId = useId();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = HOST_TABS.find((t) => t.id === tab) ?? HOST_TABS[0];
  const Content = current.Content;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = HOST_TABS.findIndex((t) => t.id === tab);
    const last = HOST_TABS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    onTab(HOST_TABS[next]!.id);
    buttons.current[next]?.focus();
  };

  return (
    <div className="view">
      <header className="view-header">
        <div>
          <h1>{host.hostname}</h1>
          <p className="muted">
            {host.os} · kernel {host.kernel} · {host.cores} CPUs · up {formatUptime(host.uptimeSec)}
          </p>
        </div>
        <p className="muted small">
          Last {WINDOW_SEC / 60} min, every {(latest.intervalMs / 1000).toFixed(0)} s · times in{' '}
          {formatZone()}
        </p>
      </header>
      <div className="host-tabs" role="tablist" aria-label="Metric groups" onKeyDown={onKeyDown}>
        {HOST_TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.id}`}
            aria-selected={t.id === tab}
            aria-controls={`${baseId}-panel`}
            tabIndex={t.id === tab ? 0 : -1}
            className={`host-tab${t.id === tab ? ' active' : ''}`}
            onClick={() => onTab(t.id)}
            data-testid={`host-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="host-tab-panel"
        role="tabpanel"
        id={`${baseId}-panel`}
        aria-labelledby={`${baseId}-tab-${current.id}`}
        data-testid={`host-tab-panel-${current.id}`}
      >
        <Content samples={samples} syncId={`host-${props.hostId}`} />
      </div>
    </div>
  );
}
