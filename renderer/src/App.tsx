// The application frame: the left rail (rail-pages.tsx plus the hosts), the top bar, and the current
// view — a rail page or a host on one of its tabs (views/host/host-tab-registry.ts).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../common/api';
import type { Host } from '../../common/schemas/hosts';
import { useClient, useOnConnected } from './api/context';
import { useAppCommands, LOCAL_HOST_ID } from './app-commands';
import { CommandPalette } from './components/CommandPalette';
import { ShortcutHelp } from './components/ShortcutHelp';
import { ConnectionBanner, ConnectionPill } from './components/ConnectionBanner';
import { EmptyState } from './components/Panel';
import { hostHref, navigate, pageHref, useHashRoute, type Route } from './hooks/useHashRoute';
import { ActiveAlertsProvider } from './hooks/useActiveAlerts';
import { useHosts } from './hooks/useHosts';
import { setServerClock } from './lib/server-clock';
import { useNetworkUnit } from './lib/units';
import { ViewErrorBoundary } from './lib/lazy-view';
import { shortcutHelp } from './lib/shortcuts';
import { STATE_LABELS } from './lib/state-labels';
import { findPage, RAIL_PAGES, type AppActions, type RailPage } from './rail-pages';
import { findTab, HOST_TABS } from './views/host/host-tab-registry';
import { HostPage } from './views/host/HostPage';
import { HostDialog } from './views/hosts/HostDialog';
import { ImportDialog } from './views/hosts/ImportDialog';
import type { HostsState } from './hooks/useHosts';
import { SignOutButton } from './views/accounts/RailAccount';

export { LOCAL_HOST_ID };

type DialogState = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; host: Host } | { kind: 'import' };

export function App() {
  const route = useHashRoute();
  const hostsState = useHosts();
  const [info, setInfo] = useState<AppInfo>();
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const [overlay, setOverlay] = useState<'none' | 'palette' | 'help'>('none');
  const client = useClient();
  const networkUnit = useNetworkUnit();
  const mainRef = useRef<HTMLElement>(null);

  useOnConnected(
    useCallback((c) => {
      const sentAt = Date.now();
      void c.call('app.info', {}).then(
        (i) => {
          setServerClock(i.now, sentAt, Date.now());
          setInfo(i);
        },
        () => undefined,
      );
    }, []),
  );

  const actions = useMemo<AppActions>(
    () => ({
      addHost: () => setDialog({ kind: 'add' }),
      importHosts: () => setDialog({ kind: 'import' }),
      editHost: (host) => setDialog({ kind: 'edit', host }),
    }),
    [],
  );

  const openPalette = useCallback(() => setOverlay('palette'), []);
  const openHelp = useCallback(() => setOverlay('help'), []);
  const commands = useAppCommands({
    route,
    hosts: hostsState,
    actions,
    client,
    openPalette,
    openHelp,
    overlayOpen: overlay !== 'none',
    paletteOpen: overlay === 'palette',
  });

  const currentHost = route.page === 'host' ? hostsState.hosts.find((h) => h.id === route.hostId) : undefined;
  const page = route.page === 'page' ? findPage(route.id) : undefined;

  return (
    <ActiveAlertsProvider>
      <div className="app">
        {/* A button, not "#main": the fragment is the route. */}
        <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
          Skip to content
        </button>
        <nav className="rail" aria-label="Main">
          <div className="brand">
            <img src="./favicon.svg" alt="" width={24} height={24} />
            <span>Hyperion</span>
          </div>
          {RAIL_PAGES.filter((p) => p.placement !== 'end').map((p) => (
            <RailLink key={p.id} page={p} route={route} hosts={hostsState} />
          ))}
          <h3 className="rail-heading">Hosts</h3>
          <ul className="rail-hosts">
            <RailHost
              id={LOCAL_HOST_ID}
              name="This computer"
              state="local"
              tab={route.page === 'host' ? route.tab : undefined}
              active={route.page === 'host' && route.hostId === LOCAL_HOST_ID}
            />
            {hostsState.hosts.map((h) => (
              <RailHost
                key={h.id}
                id={h.id}
                name={h.name}
                state={hostsState.statuses.get(h.id)?.state ?? 'connecting'}
                tab={route.page === 'host' ? route.tab : undefined}
                active={route.page === 'host' && route.hostId === h.id}
              />
            ))}
          </ul>
          {RAIL_PAGES.filter((p) => p.placement === 'end').map((p) => (
            <RailLink key={p.id} page={p} route={route} hosts={hostsState} />
          ))}
          <div className="rail-footer muted small">{info ? `v${info.version} · ${info.platform}` : ''}</div>
        </nav>
        <div className="main">
          <header className="topbar">
            <Crumbs route={route} page={page} host={currentHost} />
            <div className="topbar-actions">
              <button
                type="button"
                className="palette-trigger"
                onClick={openPalette}
                aria-keyshortcuts="Control+K Meta+K"
                data-testid="open-palette"
              >
                Go to… <kbd>Ctrl</kbd>
                <kbd>K</kbd>
              </button>
              <button
                type="button"
                className="palette-trigger"
                onClick={openHelp}
                aria-label="Keyboard shortcuts"
                aria-keyshortcuts="?"
                data-testid="open-help"
              >
                <kbd>?</kbd>
              </button>
              <ConnectionPill />
              <SignOutButton />
            </div>
          </header>
          {/* A change of units redraws every view: formatters read the setting as they draw. */}
          <main key={networkUnit} ref={mainRef} tabIndex={-1} aria-label="Content">
            {route.page === 'page' &&
              (page ? (
                <ViewErrorBoundary key={route.id}>
                  <page.Content route={route} hosts={hostsState} actions={actions} />
                </ViewErrorBoundary>
              ) : (
                <div className="view">
                  <EmptyState title={`This version of Hyperion has no “${route.id}” page`}>
                    The link may come from a newer version. <a href={pageHref('fleet')}>Go to the fleet</a>.
                  </EmptyState>
                </div>
              ))}
            {route.page === 'host' && (
              <HostPage
                key={route.hostId}
                hostId={route.hostId}
                tabId={route.tab}
                host={currentHost}
                status={hostsState.statuses.get(route.hostId)}
                hostsLoaded={hostsState.loaded}
                onEdit={actions.editHost}
                onRemoved={() => {
                  hostsState.reload();
                  navigate(pageHref('fleet'));
                }}
              />
            )}
          </main>
        </div>
        {(dialog.kind === 'add' || dialog.kind === 'edit') && (
          <HostDialog
            host={dialog.kind === 'edit' ? dialog.host : undefined}
            hosts={hostsState.hosts}
            onClose={() => setDialog({ kind: 'none' })}
            onSaved={(host) => {
              setDialog({ kind: 'none' });
              hostsState.reload();
              navigate(hostHref(host.id));
            }}
          />
        )}
        {dialog.kind === 'import' && (
          <ImportDialog onClose={() => setDialog({ kind: 'none' })} onImported={hostsState.reload} />
        )}
        {overlay === 'palette' && (
          <CommandPalette items={commands.items} onClose={() => setOverlay('none')} />
        )}
        {overlay === 'help' && (
          <ShortcutHelp groups={shortcutHelp(RAIL_PAGES, HOST_TABS)} onClose={() => setOverlay('none')} />
        )}
        <ConnectionBanner />
      </div>
    </ActiveAlertsProvider>
  );
}

function Crumbs({ route, page, host }: { route: Route; page: RailPage | undefined; host: Host | undefined }) {
  if (route.page === 'page') return <div className="crumbs">{page?.label ?? 'Not found'}</div>;
  const name = route.hostId === LOCAL_HOST_ID ? 'This computer' : (host?.name ?? route.hostId);
  const tab = findTab(route.tab);
  return (
    <div className="crumbs">
      <a href={pageHref('fleet')} className="muted">
        Fleet
      </a>{' '}
      <span className="muted">/</span>{' '}
      {tab && tab.id !== 'overview' ? (
        <>
          <a href={hostHref(route.hostId)} className="muted">
            {name}
          </a>{' '}
          <span className="muted">/</span> {tab.label}
        </>
      ) : (
        name
      )}
    </div>
  );
}

function RailLink({ page, route, hosts }: { page: RailPage; route: Route; hosts: HostsState }) {
  const active = route.page === 'page' && route.id === page.id;
  const Badge = page.Badge;
  // Each link keeps its page for life (key = id), so the page's hook runs in a stable order.
  const shown = page.useShown?.() ?? true;
  if (!shown) return null;
  return (
    <a
      className={`rail-link${active ? ' active' : ''}`}
      href={pageHref(page.id)}
      aria-current={active ? 'page' : undefined}
      data-testid={`rail-${page.id}`}
    >
      <span className="rail-link-label">{page.label}</span>
      {Badge && <Badge hosts={hosts} />}
    </a>
  );
}

function RailHost({
  id,
  name,
  state,
  tab,
  active,
}: {
  id: string;
  name: string;
  state: keyof typeof STATE_LABELS;
  /** Going from host to host keeps the tab in view (CPU of one, then CPU of the next). */
  tab: string | undefined;
  active: boolean;
}) {
  const { icon, label, tone } = STATE_LABELS[state];
  return (
    <li>
      <a
        className={`rail-link${active ? ' active' : ''}`}
        href={hostHref(id, tab)}
        aria-current={active ? 'page' : undefined}
      >
        <span className={`state-icon tone-${tone}`} aria-hidden>
          {icon}
        </span>
        <span className="rail-host-name">{name}</span>
        <span className="sr-only">({label})</span>
      </a>
    </li>
  );
}
