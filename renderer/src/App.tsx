// The application frame: the left rail, the top bar, and the current view.
import { useCallback, useState } from 'react';
import type { AppInfo } from '../../common/api';
import type { Host } from '../../common/schemas/hosts';
import { useOnConnected } from './api/context';
import { ConnectionBanner, ConnectionPill } from './components/ConnectionBanner';
import { routeHref, useHashRoute } from './hooks/useHashRoute';
import { useHosts } from './hooks/useHosts';
import { STATE_LABELS } from './lib/state-labels';
import { FleetView } from './views/fleet/FleetView';
import { HostPage } from './views/host/HostPage';
import { HostDialog } from './views/hosts/HostDialog';
import { ImportDialog } from './views/hosts/ImportDialog';
import { SettingsView } from './views/settings/SettingsView';
import { AccountPage } from './views/accounts/AccountPage';
import { RailAccount, UsersRailLink } from './views/accounts/RailAccount';
import { UsersPage } from './views/accounts/UsersPage';

export const LOCAL_HOST_ID = 'local';

type DialogState = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; host: Host } | { kind: 'import' };

export function App() {
  const route = useHashRoute();
  const hostsState = useHosts();
  const [info, setInfo] = useState<AppInfo>();
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });

  useOnConnected(useCallback((c) => void c.call('app.info', {}).then(setInfo, () => undefined), []));

  const currentHost = route.page === 'host' ? hostsState.hosts.find((h) => h.id === route.hostId) : undefined;
  const title =
    route.page === 'fleet'
      ? 'Fleet'
      : route.page === 'settings'
        ? 'Settings'
        : route.page === 'account'
          ? 'Account'
          : route.page === 'users'
            ? 'Users'
            : route.hostId === LOCAL_HOST_ID
              ? 'This computer'
              : (currentHost?.name ?? route.hostId);

  return (
    <div className="app">
      <nav className="rail" aria-label="Main">
        <div className="brand">
          <img src="./favicon.svg" alt="" width={24} height={24} />
          <span>Hyperion</span>
        </div>
        <a
          className={`rail-link${route.page === 'fleet' ? ' active' : ''}`}
          href="#/fleet"
          aria-current={route.page === 'fleet' ? 'page' : undefined}
        >
          Fleet
        </a>
        <h3 className="rail-heading">Hosts</h3>
        <ul className="rail-hosts">
          <RailHost
            id={LOCAL_HOST_ID}
            name="This computer"
            state="local"
            active={route.page === 'host' && route.hostId === LOCAL_HOST_ID}
          />
          {hostsState.hosts.map((h) => (
            <RailHost
              key={h.id}
              id={h.id}
              name={h.name}
              state={hostsState.statuses.get(h.id)?.state ?? 'connecting'}
              active={route.page === 'host' && route.hostId === h.id}
            />
          ))}
        </ul>
        <a
          className={`rail-link${route.page === 'settings' ? ' active' : ''}`}
          href="#/settings"
          aria-current={route.page === 'settings' ? 'page' : undefined}
        >
          Settings
        </a>
        <UsersRailLink active={route.page === 'users'} />
        <RailAccount active={route.page === 'account'} />
        <div className="rail-footer muted small">{info ? `v${info.version} · ${info.platform}` : ''}</div>
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="crumbs">
            {route.page === 'host' ? (
              <>
                <a href="#/fleet" className="muted">
                  Fleet
                </a>{' '}
                <span className="muted">/</span> {title}
              </>
            ) : (
              title
            )}
          </div>
          <ConnectionPill />
        </header>
        <main>
          {route.page === 'fleet' && (
            <FleetView
              hostsState={hostsState}
              onAddHost={() => setDialog({ kind: 'add' })}
              onImport={() => setDialog({ kind: 'import' })}
            />
          )}
          {route.page === 'settings' && (
            <SettingsView hostNames={new Map(hostsState.hosts.map((h) => [h.id, h.name]))} />
          )}
          {route.page === 'account' && <AccountPage />}
          {route.page === 'users' && <UsersPage />}
          {route.page === 'host' && (
            <HostPage
              key={route.hostId}
              hostId={route.hostId}
              host={currentHost}
              status={hostsState.statuses.get(route.hostId)}
              onEdit={(host) => setDialog({ kind: 'edit', host })}
              onRemoved={() => {
                hostsState.reload();
                window.location.hash = '#/fleet';
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
            window.location.hash = routeHref({ page: 'host', hostId: host.id });
          }}
        />
      )}
      {dialog.kind === 'import' && (
        <ImportDialog onClose={() => setDialog({ kind: 'none' })} onImported={hostsState.reload} />
      )}
      <ConnectionBanner />
    </div>
  );
}

function RailHost({
  id,
  name,
  state,
  active,
}: {
  id: string;
  name: string;
  state: keyof typeof STATE_LABELS;
  active: boolean;
}) {
  const { icon, label, tone } = STATE_LABELS[state];
  return (
    <li>
      <a
        className={`rail-link${active ? ' active' : ''}`}
        href={routeHref({ page: 'host', hostId: id })}
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
