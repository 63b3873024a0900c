// Who may open the WebSocket: an allowed Host header (DNS rebinding), a same-site Origin, and a
// credential — the browser's session cookie, or a script's access key as a subprotocol.
import type { IncomingMessage } from 'node:http';

import { TOKEN_PROTOCOL_PREFIX } from '../../common/rpc/websocket';

/** The access key arrives as a WebSocket subprotocol, so it never lands in a URL or a server log. */
export function tokenFromRequest(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(address: string): boolean {
  return LOOPBACK.has(address) || address.startsWith('127.');
}

/** host:port pairs a browser may legitimately use to reach this server. */
export function allowedHosts(
  bind: string,
  port: number,
  extra: readonly string[] = [],
  tls = false,
): Set<string> {
  const names = new Set<string>();
  const bindName = bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
  const defaultPort = tls ? 443 : 80;
  const add = (name: string): void => {
    names.add(`${name}:${port}`);
    // Browsers leave the default port out of Host and Origin.
    if (port === defaultPort) names.add(name);
  };
  add(bindName);
  if (isLoopback(bind) || bind === '0.0.0.0' || bind === '::') {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) add(name);
  }
  for (const host of extra) names.add(host.toLowerCase());
  return names;
}

export type AccessRefusal = { status: 401 | 403 | 404; reason: string };

export function checkHost(req: IncomingMessage, hosts: ReadonlySet<string>): AccessRefusal | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  return hosts.has(host) ? undefined : { status: 403, reason: `Host "${host}" is not allowed` };
}

/**
 * The Origin a browser sends with a WebSocket handshake and with every POST: it must be this
 * server, with this server's scheme. A missing Origin is refused too (browsers always send one on
 * these requests; a page of another site cannot remove it).
 */
export function checkOrigin(
  req: IncomingMessage,
  hosts: ReadonlySet<string>,
  scheme: 'http' | 'https',
): AccessRefusal | undefined {
  const origin = req.headers.origin;
  if (!origin) return { status: 403, reason: 'a browser Origin header is required' };
  try {
    const url = new URL(origin);
    if (url.protocol !== `${scheme}:`) throw new Error('scheme');
    if (hosts.has(url.host.toLowerCase())) return undefined;
  } catch {
    // refused below
  }
  return { status: 403, reason: `Origin "${origin.slice(0, 200)}" is not allowed` };
}

/** Host and Origin of a WebSocket handshake; the credential is checked by the caller. */
export function checkUpgrade(
  req: IncomingMessage,
  hosts: ReadonlySet<string>,
  scheme: 'http' | 'https' = 'http',
): AccessRefusal | undefined {
  return checkHost(req, hosts) ?? checkOrigin(req, hosts, scheme);
}
