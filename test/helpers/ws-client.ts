// Opens `ws` clients against a real Hyperion server: the handshake outcome, raw frames, and a
// Transport so the typed RPC client can ride a real socket.
import WebSocket from 'ws';
import { Listeners, type Transport } from '../../common/rpc/transport';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX, WS_PATH } from '../../common/rpc/websocket';

export interface DialOptions {
  port: number;
  /** Omitted: no token subprotocol is offered. */
  token?: string;
  /** Omitted: the browser-like default http://127.0.0.1:PORT; null: no Origin header at all. */
  origin?: string | null;
  /** Overrides the Host header. */
  host?: string;
  path?: string;
}

export type DialResult = { opened: true; socket: WebSocket } | { opened: false; status: number };

export function dial(options: DialOptions): Promise<DialResult> {
  const protocols = [PROTOCOL];
  if (options.token !== undefined) protocols.push(`${TOKEN_PROTOCOL_PREFIX}${options.token}`);
  const origin = options.origin === undefined ? `http://127.0.0.1:${options.port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${options.port}${options.path ?? WS_PATH}`, protocols, {
    ...(origin === null ? {} : { origin }),
    ...(options.host === undefined ? {} : { headers: { Host: options.host } }),
    handshakeTimeout: 5000,
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      res.resume();
      req.destroy();
    });
    // After a refusal, destroying the request makes ws report an error we no longer care about.
    socket.on('error', (error) => reject(error));
  });
}

/** Dials and expects a refused handshake; resolves with the HTTP status. */
export async function refusedStatus(options: DialOptions): Promise<number> {
  const result = await dial(options);
  if (result.opened) {
    result.socket.terminate();
    throw new Error('the handshake was expected to fail, but the socket opened');
  }
  return result.status;
}

/** Dials and expects an open socket. */
export async function openSocket(options: DialOptions): Promise<WebSocket> {
  const result = await dial(options);
  if (!result.opened) throw new Error(`the handshake failed with HTTP ${result.status}`);
  return result.socket;
}

/** Collects parsed JSON text frames, and waits for one that matches. */
export function frames(socket: WebSocket) {
  const received: unknown[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data, isBinary) => {
    received.push(isBinary ? { binary: true } : JSON.parse(data.toString()));
    for (const wake of [...waiters]) wake();
  });
  const next = <T = Record<string, unknown>>(match: (m: T) => boolean, timeoutMs = 3000): Promise<T> =>
    new Promise((resolve, reject) => {
      const look = (): boolean => {
        const index = received.findIndex((m) => match(m as T));
        if (index < 0) return false;
        const [found] = received.splice(index, 1);
        resolve(found as T);
        return true;
      };
      if (look()) return;
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
      }, timeoutMs);
      const wake = (): void => {
        if (!look()) return;
        clearTimeout(timer);
        waiters.delete(wake);
      };
      waiters.add(wake);
    });
  return { received, next };
}

/** A client-side Transport over an open `ws` socket, JSON text frames as the server expects. */
export function socketTransport(socket: WebSocket): Transport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[string]>();
  socket.on('message', (data) => messages.emit(JSON.parse(data.toString())));
  socket.on('close', (code) => closes.emit(String(code)));
  return {
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    onOpen: () => () => {},
    close: () => socket.close(),
  };
}
