// Picks the way to reach the core: Electron's bridge when present, the WebSocket otherwise (after
// signing in: see views/accounts/BrowserGate). The rest of the renderer sees one ApiClient.
import { api, type Api } from '../../../common/api';
import { clientFromBridge, type HyperionBridge } from '../../../common/bridge';
import { connect, type ApiClient } from '../../../common/rpc/client';
import { WS_PATH } from '../../../common/rpc/websocket';
import { fetchAuthState } from './auth-http';
import { createBrowserWsTransport, type ReconnectInfo } from './ws-transport';

declare global {
  interface Window {
    hyperion?: HyperionBridge;
  }
}

export type HyperionClient = ApiClient<Api>;

export interface ClientSetup {
  client: HyperionClient;
  /** Reconnection attempts of the WebSocket (never called under Electron). */
  onRetry(listener: (info: ReconnectInfo) => void): () => void;
  /** The served app's session ended (never called under Electron). */
  onSignedOut(listener: (reason: string) => void): () => void;
  /** "desktop": the Electron window, owned by the workstation's user; "browser": hyperion serve. */
  readonly mode: 'desktop' | 'browser';
}

export function desktopClient(bridge: HyperionBridge): ClientSetup {
  return {
    client: clientFromBridge<Api>(bridge),
    onRetry: () => () => {},
    onSignedOut: () => () => {},
    mode: 'desktop',
  };
}

/** The WebSocket of `hyperion serve`, signed in by the session cookie. */
export function browserClient(): ClientSetup {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createBrowserWsTransport(`${scheme}://${window.location.host}${WS_PATH}`, {
    stillSignedIn: async () => (await fetchAuthState()).signedIn,
  });
  return {
    client: connect(api, transport),
    onRetry: (l) => transport.onRetry(l),
    onSignedOut: (l) => transport.onSignedOut(l),
    mode: 'browser',
  };
}
