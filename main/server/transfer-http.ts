// The bytes of uploads and downloads for a browser under `serve`, streamed over plain HTTP: PUT
// /api/transfer/TICKET/INDEX carries one file of an upload, GET /api/transfer/TICKET a download.
// Who may do it was decided when the ticket was issued, by a contract call over the authorized
// WebSocket (and audited there); the ticket is unguessable, bound to one transfer and short-lived.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { TRANSFER_HTTP_PATH } from '../../common/contracts/files';
import { ApiError, type ErrorCode } from '../../common/errors';
import type { TransferTickets } from '../core/files/tickets';
import type { Logger } from '../core/log';

export interface TransferHttpOptions {
  tickets: TransferTickets;
  /** host:port values the browser may use (the same list as the WebSocket's Origin check). */
  hosts: ReadonlySet<string>;
  log: Logger;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  timeout: 408,
  conflict: 409,
  disconnected: 502,
  unavailable: 503,
};

/** Headers of a downloaded file: never rendered by the browser, never cached. */
const DOWNLOAD_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Referrer-Policy': 'no-referrer',
};

/** `attachment` with the name as ASCII (for old clients) and exactly, percent-encoded (RFC 6266). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_').replace(/^\.+/, '_') || 'download';
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const error =
    err instanceof ApiError ? err : new ApiError('internal', 'Something went wrong inside Hyperion.');
  sendJson(res, STATUS[error.code] ?? 500, { error: error.toJSON() });
}

function originAllowed(origin: string, hosts: ReadonlySet<string>): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && hosts.has(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/** Handles the request if it is a transfer's; answers false to let the server go on. */
export function handleTransferRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: TransferHttpOptions,
): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (!path.startsWith(TRANSFER_HTTP_PATH)) return false;
  const match = /^([A-Za-z0-9_-]{32,64})(?:\/(\d{1,7}))?$/.exec(path.slice(TRANSFER_HTTP_PATH.length));
  if (!match) {
    sendJson(res, 404, { error: { code: 'not_found', message: 'There is no such transfer.' } });
    return true;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, options.hosts)) {
    sendJson(res, 403, { error: { code: 'forbidden', message: `Origin "${origin}" is not allowed.` } });
    return true;
  }
  const [, ticketId, index] = match;
  if (req.method === 'PUT' && index !== undefined) {
    const ticket = options.tickets.take(ticketId!);
    if (!ticket || ticket.kind !== 'upload') {
      req.resume();
      sendJson(res, 404, {
        error: { code: 'not_found', message: 'This upload is over or its link expired.' },
      });
      return true;
    }
    ticket.feed.provide(Number(index), req).then(
      () => sendJson(res, 200, { stored: true }),
      (err: unknown) => {
        req.resume();
        sendError(res, err);
      },
    );
    return true;
  }
  if (req.method === 'GET' && index === undefined) {
    const ticket = options.tickets.take(ticketId!);
    if (!ticket || ticket.kind !== 'download') {
      sendJson(res, 404, {
        error: { code: 'not_found', message: 'This download was used or its link expired.' },
      });
      return true;
    }
    res.writeHead(200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': ticket.type === 'tar' ? 'application/x-tar' : 'application/octet-stream',
      'Content-Disposition': contentDisposition(ticket.filename),
      ...(ticket.size !== null ? { 'Content-Length': ticket.size } : {}),
    });
    // The browser cancelled or closed the tab: the transfer stops.
    res.on('close', () => {
      if (!res.writableFinished) ticket.cancel();
    });
    ticket.start(res).then(
      (transfer) => {
        // A failure after the headers cuts the response short, so the browser marks the download failed.
        if (transfer.state !== 'succeeded' && !res.writableFinished) res.destroy();
      },
      (err: unknown) => {
        options.log.error('download failed', { error: String(err) });
        res.destroy();
      },
    );
    return true;
  }
  req.resume();
  res
    .writeHead(405, { Allow: index === undefined ? 'GET' : 'PUT', 'Content-Type': 'text/plain' })
    .end('Method not allowed\n');
  return true;
}

/**
 * A download as a fetch Response (the desktop window's app:// protocol, which has no Node response
 * object): undefined when the path is not a transfer's. The bytes stream as they are read.
 */
export function transferDownloadResponse(pathname: string, tickets: TransferTickets): Response | undefined {
  if (!pathname.startsWith(TRANSFER_HTTP_PATH)) return undefined;
  const id = pathname.slice(TRANSFER_HTTP_PATH.length);
  const ticket = /^[A-Za-z0-9_-]{32,64}$/.test(id) ? tickets.take(id) : undefined;
  if (!ticket || ticket.kind !== 'download') {
    return new Response(
      JSON.stringify({
        error: { code: 'not_found', message: 'This download was used or its link expired.' },
      }),
      {
        status: 404,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      },
    );
  }
  const body = new PassThrough();
  body.on('close', () => {
    if (!body.writableFinished) ticket.cancel();
  });
  void ticket.start(body).then((transfer) => {
    if (transfer.state !== 'succeeded' && !body.destroyed)
      body.destroy(new Error(transfer.error ?? 'The download failed.'));
  });
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      ...DOWNLOAD_HEADERS,
      'Content-Type': ticket.type === 'tar' ? 'application/x-tar' : 'application/octet-stream',
      'Content-Disposition': contentDisposition(ticket.filename),
      ...(ticket.size !== null ? { 'Content-Length': String(ticket.size) } : {}),
    },
  });
}
