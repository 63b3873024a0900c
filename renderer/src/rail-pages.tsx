// The pages of the left rail (UI.md 18: Fleet, Alerts, Audit, Settings), in one list.
//
// To add a page, import your view and add ONE line to RAIL_PAGES, e.g.
//
//   { id: 'alerts', label: 'Alerts', Content: AlertsPage, Badge: FiringAlertsBadge, key: 'a' },
//
// - id        the URL: "#/<id>[/more/path][?key=value…]" (route.path and route.params carry the rest,
//             so a count elsewhere can link to the exact rows: pageHref('alerts', { host: 'web1' }));
// - Content   gets RailPageProps: the route, the saved hosts with their states, and the app's actions;
// - Badge     optional: a small count drawn beside the label (render nothing when there is none);
// - key       optional: "g <key>" goes to the page (listed in the "?" help and the Ctrl+K palette);
// - placement 'end' puts the page below the host list (Settings).
// The order on screen follows UI.md 18 (PAGE_ORDER) whatever the order of the lines. Register only
// pages that exist: an unknown "#/<id>" says "no such page" instead of drawing a blank.
import type { ComponentType } from 'react';
import type { Host } from '../../common/schemas/hosts';
import type { HostsState } from './hooks/useHosts';
import type { PageRoute } from './hooks/useHashRoute';
import { AlertsBadge } from './views/alerts/AlertsBadge';
import { AccountBadge, useIsServedAdmin } from './views/accounts/RailAccount';
import { FleetView } from './views/fleet/FleetView';
import { SettingsView } from './views/settings/SettingsView';
import { lazyView } from './lib/lazy-view';

// Pages other than the fleet load when first opened (lazyView): the first chart never waits for them.
const AlertsPage = lazyView<RailPageProps>(() =>
  import('./views/alerts/AlertsPage').then((m) => m.AlertsPage),
);
const AuditPage = lazyView<RailPageProps>(() => import('./views/audit/AuditPage').then((m) => m.AuditPage));
const UsersPage = lazyView<RailPageProps>(() =>
  import('./views/accounts/UsersPage').then((m) => m.UsersPage),
);
const AccountPage = lazyView<RailPageProps>(() =>
  import('./views/accounts/AccountPage').then((m) => m.AccountPage),
);
const CommandsPage = lazyView<RailPageProps>(() =>
  import('./views/commands/CommandsPage').then((m) => m.CommandsPage),
);

/** What the app frame offers every page: the host dialogs it owns. */
export interface AppActions {
  addHost: () => void;
  importHosts: () => void;
  editHost: (host: Host) => void;
}

export interface RailPageProps {
  route: PageRoute;
  hosts: HostsState;
  actions: AppActions;
}

export interface RailPage {
  id: string;
  label: string;
  Content: ComponentType<RailPageProps>;
  Badge?: ComponentType<{ hosts: HostsState }>;
  /** "g <key>" opens the page. */
  key?: string;
  placement?: 'start' | 'end';
  /** Extra words the command palette matches. */
  keywords?: string;
  /** A hook saying whether the page is offered now (e.g. only to admins); shown when absent. */
  useShown?: () => boolean;
}

export const PAGE_ORDER = ['fleet', 'alerts', 'audit', 'commands', 'settings', 'users', 'account'] as const;

function FleetPage({ route, hosts, actions }: RailPageProps) {
  return (
    <FleetView
      hostsState={hosts}
      params={route.params}
      alertsPage={findPage('alerts')?.id}
      onAddHost={actions.addHost}
      onImport={actions.importHosts}
    />
  );
}

function SettingsPage({ hosts }: RailPageProps) {
  return <SettingsView hostNames={new Map(hosts.hosts.map((h) => [h.id, h.name]))} />;
}

const REGISTERED: RailPage[] = [
  { id: 'fleet', label: 'Fleet', Content: FleetPage, key: 'f', keywords: 'hosts overview servers' },
  {
    id: 'alerts',
    label: 'Alerts',
    Content: AlertsPage,
    Badge: AlertsBadge,
    key: 'a',
    keywords: 'rules incidents notifications silences',
  },
  {
    id: 'audit',
    label: 'Audit',
    Content: AuditPage,
    key: 'u',
    keywords: 'log history who actions export verify',
  },
  {
    id: 'commands',
    label: 'Commands',
    Content: CommandsPage,
    key: 'c',
    keywords: 'run exec ssh parallel snippets history',
  },
  {
    id: 'settings',
    label: 'Settings',
    Content: SettingsPage,
    key: 's',
    placement: 'end',
    keywords: 'preferences storage retention',
  },
  {
    id: 'users',
    label: 'Users',
    Content: UsersPage,
    key: 'm',
    placement: 'end',
    keywords: 'accounts roles people 2fa',
    useShown: useIsServedAdmin,
  },
  {
    id: 'account',
    label: 'Account',
    Content: AccountPage,
    Badge: AccountBadge,
    placement: 'end',
    keywords: 'password 2fa sessions sign out access keys',
  },
];

export function orderPages(pages: readonly RailPage[]): RailPage[] {
  const rank = (id: string): number => {
    const i = (PAGE_ORDER as readonly string[]).indexOf(id);
    return i === -1 ? PAGE_ORDER.length : i;
  };
  return pages
    .map((page, index) => ({ page, index }))
    .sort((a, b) => rank(a.page.id) - rank(b.page.id) || a.index - b.index)
    .map((x) => x.page);
}

export const RAIL_PAGES: readonly RailPage[] = orderPages(REGISTERED);

export const findPage = (id: string): RailPage | undefined => RAIL_PAGES.find((p) => p.id === id);
