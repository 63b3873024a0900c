// Hands the API client and the connection's state to every component.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ConnectionState } from '../../../common/rpc/client';
import type { ClientSetup, HyperionClient } from './client';
import type { ReconnectInfo } from './ws-transport';

const ClientContext = createContext<ClientSetup | undefined>(undefined);

export function ClientProvider({ setup, children }: { setup: ClientSetup; children: ReactNode }) {
  return <ClientContext.Provider value={setup}>{children}</ClientContext.Provider>;
}

export function useClient(): HyperionClient {
  const setup = useContext(ClientContext);
  if (!setup) throw new Error('useClient needs a ClientProvider');
  return setup.client;
}

export interface ConnectionStatus {
  state: ConnectionState | 'connecting';
  /** True once the connection has been lost at least once (to say "reconnected"). */
  everLost: boolean;
  retry: ReconnectInfo | undefined;
}

export function useConnectionStatus(): ConnectionStatus {
  const setup = useContext(ClientContext);
  if (!setup) throw new Error('useConnectionStatus needs a ClientProvider');
  const [status, setStatus] = useState<ConnectionStatus>(() => ({
    state: setup.client.state === 'open' ? 'open' : 'connecting',
    everLost: false,
    retry: undefined,
  }));
  useEffect(() => {
    const offState = setup.client.onState((state) =>
      setStatus((s) => ({
        state,
        everLost: s.everLost || state === 'closed',
        retry: state === 'open' ? undefined : s.retry,
      })),
    );
    const offRetry = setup.onRetry((retry) =>
      setStatus((s) => ({
        ...s,
        state: s.state === 'open' ? 'open' : s.everLost ? 'closed' : 'connecting',
        retry,
      })),
    );
    // The socket may have opened between the first render and this effect: catch up.
    if (setup.client.state === 'open') setStatus((s) => ({ ...s, state: 'open', retry: undefined }));
    return () => {
      offState();
      offRetry();
    };
  }, [setup]);
  return status;
}

/**
 * Runs `load` now if connected and again each time the connection (re)opens: a call made before
 * the socket is open fails, and one made before a drop may be stale.
 */
export function useOnConnected(load: (client: HyperionClient) => void): void {
  const client = useClient();
  useEffect(() => {
    if (client.state === 'open') load(client);
    return client.onState((state) => {
      if (state === 'open') load(client);
    });
  }, [client, load]);
}
