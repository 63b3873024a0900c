// `hyperion serve`: the built renderer and the sign-in endpoints over HTTP(S), the API contract over
// a WebSocket opened with a session cookie (a page) or an access key (a script).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { api } from '../../common/api';
import type { Caller } from '../../common/contract';
import { serveConnection } from '../../common/rpc/server';
import { CLOSE_RECONNECT, CLOSE_SIGNED_OUT, PROTOCOL, WS_PATH } from '../../common/rpc/websocket';
import type { CredentialIdentity, EndedCredentials } from '../core/accounts/accounts-service';
import { newToken } from '../core/accounts/tokens';
import type { Core } from '../core/core';
import type { Logger } from '../core/log';
import { allowedHosts, checkHost, checkUpgrade, isLoopback, tokenFromRequest } from './access';
import { createAuthRoutes, isAuthPath } from './auth-routes';
import { readCookie, sessionCookieName, type CookieOptions } from './cookies';
import { serveStatic } from './static-files';
import { handleTransferRequest } from './transfer-http';
import { createWebSocketTransport } from './ws-transport';

export interface TlsFiles {
  /** PEM certificate chain and private key, as read from --tls-cert and --tls-key. */
  cert: Buffer | string;
  key: Buffer | string;
}

export interface ServerOptions {
  core: Core;
  rendererDir: string;
  port: number;
  bind: string;
  log: Logger;
  /** The setup link's one-time token (tests, HYPERION_SETUP_TOKEN); random otherwise. */
  setupToken?: string;
  /** Further host:port values the browser may use (a reverse proxy's name). */
  extraHosts?: string[];
  tls?: TlsFiles;
}

export interface RunningServer {
  /** Where to open Hyperion: the setup link while no account exists, the sign-in page after. */
  readonly url: string;
  /** `http(s)://host:port`, nothing else. */
  readonly origin: string;
  readonly port: number;
  /** The setup link's token, usable only while no account exists. */
  readonly setupToken: string;
  readonly setupRequired: boolean;
  readonly warnings: string[];
  close(): Promise<void>;
}

/** What `serve` warns about before it prints its URL. */
export function bindWarnings(bind: string, tls: boolean): string[] {
  if (isLoopback(bind) || tls) return [];
  return [
    `Hyperion is listening on ${bind}, which other machines can reach, without TLS: anyone on the network path can read the traffic, passwords and session cookies included. Pass --tls-cert and --tls-key, or bind to 127.0.0.1 behind a TLS proxy.`,
  ];
}

interface OpenConnection {
  caller: Caller;
  socket: WebSocket;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { core, log } = options;
  const setupToken = options.setupToken ?? newToken(24);
  const scheme = options.tls ? 'https' : 'http';
  let hosts = new Set<string>();
  let port = options.port;
  const cookie = (): CookieOptions => ({ port, tls: scheme === 'https' });
  const authRoutes = createAuthRoutes({
    core,
    hosts: () => hosts,
    scheme,
    cookie,
    setupToken,
    log,
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // A Host we do not answer to means DNS rebinding or a misdirected request: refuse it.
    if (checkHost(req, hosts)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: unknown Host\n');
      return;
    }
    if (scheme === 'https') res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    if (handleTransferRequest(req, res, { tickets: options.core.sshTools.tickets, hosts, log: options.log }))
      return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (isAuthPath(path)) {
      void authRoutes(req, res, path);
      return;
    }
    serveStatic(options.rendererDir, req, res);
  };
  const http: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, onRequest)
    : createHttpServer(onRequest);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.bind, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  hosts = allowedHosts(options.bind, port, options.extraHosts, scheme === 'https');

  const connections = new Set<OpenConnection>();
  const offEnded = core.accounts.onEnded((ended: EndedCredentials) => {
    // After the current call's answer has gone out (a logout everywhere answers its caller first).
    setTimeout(() => closeEnded(ended), 20);
  });
  const closeEnded = (ended: EndedCredentials): void => {
    for (const conn of connections) {
      const cred = conn.caller.credential;
      const gone =
        (cred?.kind === 'session' && ended.sessions.includes(cred.id)) ||
        (cred?.kind === 'key' && ended.keys.includes(cred.id));
      // Close reasons are at most 123 bytes.
      const reason = ended.reason.slice(0, 120);
      if (gone) conn.socket.close(CLOSE_SIGNED_OUT, reason);
      else if (ended.users.includes(conn.caller.id)) conn.socket.close(CLOSE_RECONNECT, reason);
    }
  };

  const identify = (req: IncomingMessage): CredentialIdentity | undefined => {
    const session = readCookie(req, sessionCookieName(cookie()));
    if (session) {
      const identity = core.accounts.identifySession(session);
      if (identity) return identity;
    }
    const key = tokenFromRequest(req);
    return key ? core.accounts.identifyKey(key) : undefined;
  };

  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const refusal =
      path === WS_PATH
        ? checkUpgrade(req, hosts, scheme)
        : { status: 404 as const, reason: 'no such endpoint' };
    const identity = refusal ? undefined : identify(req);
    if (refusal || !identity) {
      const status = refusal?.status ?? 401;
      log.warn('websocket refused', {
        reason: refusal?.reason ?? 'not signed in',
        address: req.socket.remoteAddress,
      });
      const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const transport = createWebSocketTransport(ws);
      const caller: Caller = {
        id: identity.username,
        role: identity.role,
        via: 'websocket',
        address: req.socket.remoteAddress,
        credential: identity.credential,
      };
      const entry: OpenConnection = { caller, socket: ws };
      connections.add(entry);
      ws.once('close', () => connections.delete(entry));
      serveConnection(api, core.handlers, transport, caller, {
        ...core.serveOptions,
        onInternalError: (name, error) => log.error('handler failed', { name, error: String(error) }),
      });
    });
  });

  const warnings = bindWarnings(options.bind, options.tls !== undefined);
  const shownHost =
    isLoopback(options.bind) || options.bind === '0.0.0.0' || options.bind === '::'
      ? '127.0.0.1'
      : options.bind.includes(':')
        ? `[${options.bind}]`
        : options.bind;
  const origin = `${scheme}://${shownHost}:${port}`;

  return {
    get url() {
      return core.accounts.hasAccounts() ? `${origin}/` : `${origin}/#setup=${setupToken}`;
    },
    origin,
    port,
    setupToken,
    get setupRequired() {
      return !core.accounts.hasAccounts();
    },
    warnings,
    close: async () => {
      offEnded();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
