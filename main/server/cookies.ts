// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
// it), Secure under TLS, named per port so two Hyperions on one host keep their own.
import type { IncomingMessage } from 'node:http';

export interface CookieOptions {
  port: number;
  tls: boolean;
}

/** `__Host-` makes the browser insist on Secure, Path=/ and no Domain: only possible under TLS. */
export function sessionCookieName({ port, tls }: CookieOptions): string {
  return tls ? `__Host-hyperion-${port}` : `hyperion-${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function sessionCookie(options: CookieOptions, token: string, maxAgeSec: number): string {
  return [
    `${sessionCookieName(options)}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSec}`,
    ...(options.tls ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(options: CookieOptions): string {
  return [
    `${sessionCookieName(options)}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    'Max-Age=0',
    ...(options.tls ? ['Secure'] : []),
  ].join('; ');
}
