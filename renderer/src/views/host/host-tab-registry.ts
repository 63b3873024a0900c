// The tabs of a host view, in one list. A tab is `{ id, label, kind, Content }`:
//
//   kind 'metrics'  Content draws the live samples ({ hostId, samples, syncId }); History draws the
//                   same group over the app-wide time range from the store ({ hostId, syncId }).
//                   The host view subscribes to samples and shows a skeleton until they arrive.
//   kind 'tool'     Content gets { hostId, host, status } and renders at once, without waiting for
//                   samples (processes, services, logs, terminal, files). host is undefined for
//                   "This computer" (hostId 'local'); status is undefined until the first status.
//
// To add a tab, import your component and add ONE line to HOST_TABS, e.g.
//
//   { id: 'processes', label: 'Processes', kind: 'tool', Content: ProcessesTab },
//
// (a tool tab is best imported with lazyView, as below: it then loads when first opened.)
//
// The order on screen follows UI.md 18 whatever the order of the lines (TAB_ORDER below), so two
// branches adding a line each merge trivially. The tab is then reachable at "#/host/<id>/<tab id>",
// in the tab bar, with the arrow keys, and in the Ctrl+K palette ("<host> › <label>"). Only register
// tabs whose content exists: a link to a tab that is not registered says so instead of a blank.
import type { ComponentType } from 'react';
import type { Host, HostStatus } from '../../../../common/schemas/hosts';
import type { Sample } from '../../../../common/schemas/sample';
import {
  CpuHistory,
  DisksHistory,
  MemoryHistory,
  NetworkHistory,
  OverviewHistory,
} from '../history/tab-history';
import { CpuTab } from './tabs/CpuTab';
import { DisksTab } from './tabs/DisksTab';
import { MemoryTab } from './tabs/MemoryTab';
import { NetworkTab } from './tabs/NetworkTab';
import { OverviewTab } from './tabs/OverviewTab';
import { lazyView } from '../../lib/lazy-view';

// Tool tabs load when first opened (lazyView), so the first chart never waits for them.
const ProcessesTab = lazyView(() => import('../processes/ProcessesTab').then((m) => m.ProcessesTab));
const ServicesTab = lazyView(() => import('../services/ServicesTab').then((m) => m.ServicesTab));
const LogsTab = lazyView(() => import('../services/LogsTab').then((m) => m.LogsTab));
const TerminalTab = lazyView(() => import('../terminal/TerminalTab').then((m) => m.TerminalTab));
const FilesTab = lazyView(() => import('../files/FilesTab').then((m) => m.FilesTab));

export interface MetricTabProps {
  hostId: string;
  /** The live window, oldest first; never empty. */
  samples: Sample[];
  /** Charts given this id share one crosshair. */
  syncId: string;
  /** The saved host (undefined for "This computer") and its connection status, for facts and cost. */
  host?: Host | undefined;
  status?: HostStatus | undefined;
}

export interface MetricHistoryProps {
  hostId: string;
  syncId: string;
  /** The saved host (undefined for "This computer"): its tags decide which alert rules apply. */
  host?: Host | undefined;
}

export interface ToolTabProps {
  hostId: string;
  /** The saved host; undefined for "This computer". */
  host: Host | undefined;
  status: HostStatus | undefined;
}

interface TabBase {
  /** The URL segment: "#/host/<hostId>/<id>". Lowercase letters, digits and "-". */
  id: string;
  label: string;
  /** Extra words the command palette matches (e.g. "ps top kill"). */
  keywords?: string;
}

export interface MetricsTab extends TabBase {
  kind: 'metrics';
  Content: ComponentType<MetricTabProps>;
  History: ComponentType<MetricHistoryProps>;
}

export interface ToolTab extends TabBase {
  kind: 'tool';
  Content: ComponentType<ToolTabProps>;
}

export type HostTab = MetricsTab | ToolTab;

/** UI.md 18: the order of a host's tabs. Ids not listed go after these, in registration order. */
export const TAB_ORDER = [
  'overview',
  'cpu',
  'memory',
  'network',
  'disks',
  'processes',
  'services',
  'logs',
  'terminal',
  'files',
] as const;

const REGISTERED: HostTab[] = [
  { id: 'overview', label: 'Overview', kind: 'metrics', Content: OverviewTab, History: OverviewHistory },
  { id: 'cpu', label: 'CPU', kind: 'metrics', Content: CpuTab, History: CpuHistory, keywords: 'load cores' },
  {
    id: 'memory',
    label: 'Memory',
    kind: 'metrics',
    Content: MemoryTab,
    History: MemoryHistory,
    keywords: 'ram swap',
  },
  { id: 'network', label: 'Network', kind: 'metrics', Content: NetworkTab, History: NetworkHistory },
  {
    id: 'disks',
    label: 'Disks',
    kind: 'metrics',
    Content: DisksTab,
    History: DisksHistory,
    keywords: 'storage io',
  },
  {
    id: 'processes',
    label: 'Processes',
    kind: 'tool',
    Content: ProcessesTab,
    keywords: 'ps top kill signal renice',
  },
  {
    id: 'services',
    label: 'Services',
    kind: 'tool',
    Content: ServicesTab,
    keywords: 'systemd systemctl units daemons',
  },
  { id: 'logs', label: 'Logs', kind: 'tool', Content: LogsTab, keywords: 'journal journalctl' },
  {
    id: 'terminal',
    label: 'Terminal',
    kind: 'tool',
    Content: TerminalTab,
    keywords: 'shell ssh console xterm',
  },
  { id: 'files', label: 'Files', kind: 'tool', Content: FilesTab, keywords: 'sftp upload download browse' },
];

export function orderTabs(tabs: readonly HostTab[]): HostTab[] {
  const rank = (id: string): number => {
    const i = (TAB_ORDER as readonly string[]).indexOf(id);
    return i === -1 ? TAB_ORDER.length : i;
  };
  return tabs
    .map((tab, index) => ({ tab, index }))
    .sort((a, b) => rank(a.tab.id) - rank(b.tab.id) || a.index - b.index)
    .map((x) => x.tab);
}

export const HOST_TABS: readonly HostTab[] = orderTabs(REGISTERED);

export const DEFAULT_TAB = HOST_TABS[0]!;

export function findTab(id: string | undefined): HostTab | undefined {
  return id === undefined ? DEFAULT_TAB : HOST_TABS.find((t) => t.id === id);
}
