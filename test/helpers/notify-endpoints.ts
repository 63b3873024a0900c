// Local stand-ins for the endpoints notifications go to, on loopback only: an HTTP server playing
// Slack and a webhook receiver, and an SMTP server (smtp-server) with STARTTLS or TLS and a login.
// Each can be stopped and started again on the same port, to play an outage.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  readonly port: number;
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  /** Status and body the next requests get (default 200 "ok"). */
  respond: (req: ReceivedRequest) => { status: number; body: string };
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  let server: Server | undefined;
  let port = 0;
  const receiver: HttpReceiver = {
    get port() {
      return port;
    },
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    requests: [],
    respond: () => ({ status: 200, body: 'ok' }),
    async start() {
      server = createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => {
          const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
          receiver.requests.push(received);
          const { status, body: answer } = receiver.respond(received);
          res.writeHead(status, { 'Content-Type': 'text/plain' }).end(answer);
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen({ host: '127.0.0.1', port }, () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await receiver.start();
  return receiver;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  /** Whether the session was encrypted when the mail came. */
  secure: boolean;
  raw: string;
}

export interface SmtpReceiver {
  readonly port: number;
  readonly mails: ReceivedMail[];
  readonly cert: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface SmtpOptions {
  /** TLS from the first byte (port 465 style) instead of STARTTLS. */
  implicitTls?: boolean;
  user?: string;
  password?: string;
}

/** A self-signed certificate for 127.0.0.1 / localhost, made with openssl for this run. */
export function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hyperion-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSmtpReceiver(options: SmtpOptions = {}): Promise<SmtpReceiver> {
  const { key, cert } = makeCertificate();
  let server: SMTPServer | undefined;
  let port = 0;
  const mails: ReceivedMail[] = [];
  const receiver: SmtpReceiver = {
    get port() {
      return port;
    },
    mails,
    cert,
    async start() {
      server = new SMTPServer({
        secure: options.implicitTls === true,
        key,
        cert,
        authOptional: options.user === undefined,
        // STARTTLS must come first: the login is refused over plain text.
        allowInsecureAuth: false,
        disabledCommands: options.user === undefined ? ['AUTH'] : [],
        logger: false,
        onAuth(auth, _session, done) {
          if (auth.username === options.user && auth.password === options.password)
            done(null, { user: auth.username });
          else
            done(
              Object.assign(new Error('Authentication failed: wrong user or password'), {
                responseCode: 535,
              }),
            );
        },
        onData(stream, session, done) {
          let raw = '';
          stream.setEncoding('utf8');
          stream.on('data', (c: string) => (raw += c));
          stream.on('end', () => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              user: session.user as string | undefined,
              secure: session.secure,
              raw,
            });
            done();
          });
        },
      });
      server.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        server!.server.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.server.address() as AddressInfo).port;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await receiver.start();
  return receiver;
}

/** The decoded text of one MIME part of a mail (quoted-printable or base64). */
export function mimePart(raw: string, contentType: 'text/plain' | 'text/html'): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  const part = parts.find((p) => new RegExp(`Content-Type:\\s*${contentType}`, 'i').test(p));
  if (!part) return '';
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(head ?? ''))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head ?? '')) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A header of a mail, unfolded. */
export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
}
