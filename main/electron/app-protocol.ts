// Serves the built renderer under app://hyperion/ so the window has a real origin and our CSP.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import type { TransferTickets } from '../core/files/tickets';
import { SECURITY_HEADERS } from '../server/security-headers';
import { transferDownloadResponse } from '../server/transfer-http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** `tickets` gives the core's transfer tickets once it runs: downloads from the Files tab. */
export function handleAppProtocol(rendererDir: string, tickets?: () => TransferTickets | undefined): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'hyperion') return new Response('Not found', { status: 404 });
    const transfers = request.method === 'GET' ? tickets?.() : undefined;
    const download = transfers && transferDownloadResponse(url.pathname, transfers);
    if (download) return download;
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    if (relative.split(sep).includes('..')) return new Response('Bad request', { status: 400 });
    const file = extname(relative) ? join(rendererDir, relative) : join(rendererDir, 'index.html');
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
