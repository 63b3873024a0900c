// Who may open the WebSocket: a valid access token, an allowed Origin, an allowed Host header.
// The token is the seam where accounts and sessions plug in later.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { TOKEN_PROTOCOL_PREFIX } from '../../common/rpc/websocket';

export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token arrives as a WebSocket subprotocol, so it never lands in a URL or a server log. */
export function tokenFromRequest(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** `Authorization: Bearer …`, used by the page to check its token before opening the socket. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^bearer ([A-Za-z0-9_-]+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(address: string): boolean {
  return LOOPBACK.has(address) || address.startsWith('127.');
}

/** host:port pairs a browser may legitimately use to reach this server. */
export function allowedHosts(bind: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  const bindName = bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
  const add = (name: string): void => {
    names.add(`${name}:${port}`);
    // Browsers leave the default port out of Host and Origin.
    if (port === 80) names.add(name);
  };
  add(bindName);
  if (isLoopback(bind) || bind === '0.0.0.0' || bind === '::') {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) add(name);
  }
  for (const host of extra) names.add(host.toLowerCase());
  return names;
}

export type AccessRefusal = { status: 401 | 403; reason: string };

export function checkUpgrade(
  req: IncomingMessage,
  expectedToken: string,
  hosts: ReadonlySet<string>,
): AccessRefusal | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { status: 403, reason: `Host "${host}" is not allowed` };
  const origin = req.headers.origin;
  if (!origin) return { status: 403, reason: 'a browser Origin header is required' };
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    originHost = url.host.toLowerCase();
  } catch {
    return { status: 403, reason: `Origin "${origin}" is not allowed` };
  }
  if (!hosts.has(originHost)) return { status: 403, reason: `Origin "${origin}" is not allowed` };
  const token = tokenFromRequest(req);
  if (!token || !tokensEqual(token, expectedToken)) {
    return { status: 401, reason: 'a valid access token is required' };
  }
  return undefined;
}
