// The application frame: the left rail, the top bar, and the current view.
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../common/api';
import { useClient } from './api/context';
import { ConnectionBanner, ConnectionPill } from './components/ConnectionBanner';
import { HostCpuView } from './views/host/HostCpuView';

export const LOCAL_HOST_ID = 'local';

export function App() {
  const client = useClient();
  const [info, setInfo] = useState<AppInfo>();
  useEffect(() => {
    // Asked again whenever the connection opens: the first call may race the socket.
    const load = () => void client.call('app.info', {}).then(setInfo, () => undefined);
    if (client.state === 'open') load();
    return client.onState((state) => state === 'open' && load());
  }, [client]);

  return (
    <div className="app">
      <nav className="rail" aria-label="Main">
        <div className="brand">
          <img src="./favicon.svg" alt="" width={24} height={24} />
          <span>Hyperion</span>
        </div>
        <h3 className="rail-heading">Hosts</h3>
        <ul>
          <li>
            <a className="rail-link active" aria-current="page" href="#/host/local">
              <span className="state-dot state-up" aria-hidden />
              This computer
              <span className="sr-only">(up)</span>
            </a>
          </li>
        </ul>
        <div className="rail-footer muted small">{info ? `v${info.version} · ${info.platform}` : ''}</div>
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="crumbs">
            <span className="muted">Hosts /</span> This computer <span className="muted">/ CPU</span>
          </div>
          <ConnectionPill />
        </header>
        <main>
          <HostCpuView hostId={LOCAL_HOST_ID} />
        </main>
      </div>
      <ConnectionBanner />
    </div>
  );
}
