// Picks the way to reach the core: Electron's bridge when present, the WebSocket otherwise.
// The rest of the renderer sees one ApiClient and never knows which.
import { api, type Api } from '../../../common/api';
import { clientFromBridge, type HyperionBridge } from '../../../common/bridge';
import { connect, type ApiClient } from '../../../common/rpc/client';
import { TOKEN_CHECK_PATH, WS_PATH } from '../../../common/rpc/websocket';
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
}

const TOKEN_KEY = 'hyperion.token';

/**
 * Reads the access token from the URL fragment once, then keeps it for this tab only. The rest of
 * the fragment is a route and stays: "#/host/local?token=…" opens that view.
 */
export function takeAccessToken(location: Location, storage: Storage, history: History): string | undefined {
  const match = /([#&?])token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[2]) {
    storage.setItem(TOKEN_KEY, match[2]);
    const rest = location.hash.replace(match[0], match[1] === '#' ? '#' : '').replace(/^#$/, '');
    history.replaceState(null, '', location.pathname + location.search + rest);
    return match[2];
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

export type ClientProblem = { problem: 'missing-token' | 'invalid-token' };

/** Asks the server whether the token is still valid; a network failure is left to reconnection. */
async function tokenRejected(token: string): Promise<boolean> {
  try {
    const res = await fetch(TOKEN_CHECK_PATH, {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    return res.status === 401;
  } catch {
    return false;
  }
}

export async function createClient(): Promise<ClientSetup | ClientProblem> {
  if (window.hyperion) {
    return { client: clientFromBridge<Api>(window.hyperion), onRetry: () => () => {} };
  }
  const token = takeAccessToken(window.location, window.sessionStorage, window.history);
  if (!token) return { problem: 'missing-token' };
  if (await tokenRejected(token)) {
    window.sessionStorage.removeItem(TOKEN_KEY);
    return { problem: 'invalid-token' };
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createBrowserWsTransport(`${scheme}://${window.location.host}${WS_PATH}`, token);
  return { client: connect(api, transport), onRetry: (l) => transport.onRetry(l) };
}
