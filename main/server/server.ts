// `hyperion serve`: the built renderer over HTTP and the API contract over a WebSocket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { api } from '../../common/api';
import { serveConnection } from '../../common/rpc/server';
import type { Core } from '../core/core';
import type { Logger } from '../core/log';
import {
  allowedHosts,
  bearerToken,
  checkUpgrade,
  createAccessToken,
  isLoopback,
  tokensEqual,
} from './access';
import { PROTOCOL, TOKEN_CHECK_PATH, WS_PATH } from '../../common/rpc/websocket';
import { serveStatic } from './static-files';
import { handleTransferRequest } from './transfer-http';
import { createWebSocketTransport } from './ws-transport';

export interface ServerOptions {
  core: Core;
  rendererDir: string;
  port: number;
  bind: string;
  log: Logger;
  /** A fixed token (tests); a random one otherwise. */
  token?: string;
  /** Further host:port values the browser may use (a reverse proxy's name). */
  extraHosts?: string[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly warnings: string[];
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createAccessToken();
  let hosts = new Set<string>();
  const http: Server = createServer((req, res) => {
    // A Host we do not answer to means DNS rebinding or a misdirected request: refuse it.
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: unknown Host\n');
      return;
    }
    if (handleTransferRequest(req, res, { tickets: options.core.sshTools.tickets, hosts, log: options.log }))
      return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === TOKEN_CHECK_PATH) {
      const valid = bearerToken(req) !== undefined && tokensEqual(bearerToken(req) ?? '', token);
      res.writeHead(valid ? 204 : 401, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    serveStatic(options.rendererDir, req, res);
  });
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
  const port = (http.address() as AddressInfo).port;
  hosts = allowedHosts(options.bind, port, options.extraHosts);

  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const refusal =
      path === WS_PATH
        ? checkUpgrade(req, token, hosts)
        : { status: 404 as const, reason: 'no such endpoint' };
    if (refusal) {
      options.log.warn('websocket refused', { reason: refusal.reason, address: req.socket.remoteAddress });
      const text =
        refusal.status === 401 ? 'Unauthorized' : refusal.status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${refusal.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const transport = createWebSocketTransport(ws);
      serveConnection(
        api,
        options.core.handlers,
        transport,
        {
          id: 'token',
          role: 'admin',
          via: 'websocket',
          address: req.socket.remoteAddress,
        },
        {
          ...options.core.serveOptions,
          onInternalError: (name, error) =>
            options.log.error('handler failed', { name, error: String(error) }),
        },
      );
    });
  });

  const warnings: string[] = [];
  if (!isLoopback(options.bind)) {
    warnings.push(
      `Hyperion is listening on ${options.bind}, which other machines can reach, without TLS: anyone on the network path can read the traffic.`,
    );
  }
  const shownHost =
    isLoopback(options.bind) || options.bind === '0.0.0.0' || options.bind === '::'
      ? '127.0.0.1'
      : options.bind.includes(':')
        ? `[${options.bind}]`
        : options.bind;

  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    token,
    warnings,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
