// Signing in to a real `hyperion serve` from tests, as a person's browser would: the sign-in
// endpoints over HTTP (with this server's Origin), TOTP codes computed with Hyperion's own RFC 6238
// implementation, and WebSockets opened with the session cookie or an access key.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import { api, type Api } from '../../common/api';
import { connect, type ApiClient } from '../../common/rpc/client';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX, WS_PATH } from '../../common/rpc/websocket';
import { AUTH_PATHS, AuthStep, type Role } from '../../common/schemas/accounts';
import { base32Decode, hotp, totpCounter, TOTP_WINDOW } from '../../main/core/accounts/totp';
import { socketTransport } from './ws-client';

/** The password every test account gets (long enough for the policy). */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface AuthResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** `name=value` of the session cookie the response set, if it set one. */
  cookie: string | undefined;
}

export interface PostOptions {
  /** Default: the server's own origin. null: no Origin header. */
  origin?: string | null;
  cookie?: string;
  contentType?: string;
  /** For https servers with a test certificate. */
  ca?: string | Buffer;
  headers?: Record<string, string>;
}

/** POSTs JSON to a sign-in endpoint (or GETs /api/auth/session) and reads the answer. */
export function authRequest(
  origin: string,
  path: string,
  body: unknown,
  options: PostOptions = {},
): Promise<AuthResponse> {
  const url = new URL(path, origin);
  const isGet = body === undefined;
  const payload = isGet ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { ...options.headers };
  if (!isGet) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const sentOrigin = options.origin === undefined ? origin : options.origin;
  if (sentOrigin !== null) headers.Origin = sentOrigin;
  if (options.cookie) headers.Cookie = options.cookie;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: isGet ? 'GET' : 'POST', headers, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          const setCookie = res.headers['set-cookie']?.[0];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parsed,
            cookie: setCookie && !/Max-Age=0/.test(setCookie) ? setCookie.split(';')[0] : undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Expects a step (status 200) and returns it, typed. */
export async function authStep(
  origin: string,
  path: string,
  body: unknown,
  options: PostOptions = {},
): Promise<{ step: AuthStep; cookie: string | undefined }> {
  const res = await authRequest(origin, path, body, options);
  if (res.status !== 200) {
    throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { step: AuthStep.parse(res.body), cookie: res.cookie };
}

/**
 * An authenticator app for tests: codes of Hyperion's own TOTP (RFC 6238), each time step used at
 * most once — the server refuses a code twice — using the step ahead (within the ±1 window) when
 * the current one is spent, and waiting for the clock only when both are.
 */
export class TestAuthenticator {
  private lastCounter = -1;
  /**
   * `now`: the clock of the server under test, when a test moves it; `wait`: how to let time pass
   * when both usable steps are spent (a test with a movable clock moves it).
   */
  constructor(
    readonly secret: string,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The code of a given time step (for tests of the window). */
  codeAt(counter: number): string {
    return hotp(base32Decode(this.secret), counter);
  }

  /** Marks steps up to `counter` as used elsewhere (e.g. by a page that typed a code). */
  spent(counter: number): void {
    this.lastCounter = Math.max(this.lastCounter, counter);
  }

  async next(): Promise<string> {
    for (;;) {
      const now = totpCounter(this.now());
      const counter = Math.max(now - TOTP_WINDOW + 1, this.lastCounter + 1);
      if (counter <= now + TOTP_WINDOW) {
        this.lastCounter = counter;
        return this.codeAt(counter);
      }
      await this.wait(30_000 - (this.now() % 30_000) + 50);
    }
  }
}

export interface SocketOptions {
  /** `name=value` of a session cookie. */
  cookie?: string;
  /** An access key, sent as the token subprotocol. */
  key?: string;
  origin?: string;
  ca?: string | Buffer;
}

/** Opens the API WebSocket signed in with a cookie or a key, and returns a typed client on it. */
export async function signedInClient(
  origin: string,
  options: SocketOptions,
): Promise<{ client: ApiClient<Api>; socket: WebSocket }> {
  const url = new URL(WS_PATH, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const protocols = [PROTOCOL, ...(options.key ? [`${TOKEN_PROTOCOL_PREFIX}${options.key}`] : [])];
  const socket = new WebSocket(url, protocols, {
    origin: options.origin ?? origin,
    headers: options.cookie ? { Cookie: options.cookie } : {},
    ...(options.ca ? { ca: options.ca } : {}),
    handshakeTimeout: 5000,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`the WebSocket was refused: HTTP ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return { client: connect(api, socketTransport(socket)), socket };
}

export interface TestAccount {
  username: string;
  password: string;
  role: Role;
  /** Set for accounts with 2FA. */
  authenticator?: TestAuthenticator;
  recoveryCodes: string[];
  /** An access key of this account with its role: `#token=` links and scripts' sockets. */
  accessKey: string;
}

/** The first admin, through the setup link's token: password, then 2FA with the first code. */
export async function createFirstAdmin(
  origin: string,
  setupToken: string,
  options: {
    username?: string;
    password?: string;
    ca?: string | Buffer;
    now?: () => number;
    wait?: (ms: number) => Promise<void>;
  } = {},
): Promise<{ account: Omit<TestAccount, 'accessKey'>; cookie: string }> {
  const username = options.username ?? 'admin';
  const password = options.password ?? TEST_PASSWORD;
  const first = await authStep(
    origin,
    AUTH_PATHS.setup,
    { setupToken, username, password },
    { ca: options.ca },
  );
  if (first.step.next !== 'enrol') throw new Error(`setup led to ${first.step.next}, not enrol`);
  const authenticator = new TestAuthenticator(first.step.enrolment.secret, options.now, options.wait);
  const done = await authStep(
    origin,
    AUTH_PATHS.enrol,
    { ticket: first.step.ticket, otp: await authenticator.next() },
    { ca: options.ca },
  );
  if (done.step.next !== 'signed-in' || !done.cookie) throw new Error('enrolment did not sign in');
  return {
    account: {
      username,
      password,
      role: 'admin',
      authenticator,
      recoveryCodes: done.step.recoveryCodes ?? [],
    },
    cookie: done.cookie,
  };
}

/** Signs in with password (and a code when the account has 2FA); returns the session cookie. */
export async function signIn(
  origin: string,
  account: Pick<TestAccount, 'username' | 'password' | 'authenticator'>,
  options: { ca?: string | Buffer } = {},
): Promise<string> {
  let result = await authStep(
    origin,
    AUTH_PATHS.login,
    { username: account.username, password: account.password },
    options,
  );
  if (result.step.next === 'totp') {
    if (!account.authenticator)
      throw new Error(`${account.username} was asked for a code but has no authenticator`);
    result = await authStep(
      origin,
      AUTH_PATHS.totp,
      { ticket: result.step.ticket, otp: await account.authenticator.next() },
      options,
    );
  }
  if (result.step.next !== 'signed-in' || !result.cookie) {
    throw new Error(`signing in ${account.username} stopped at ${result.step.next}`);
  }
  return result.cookie;
}

/** An access key for an account, made on a signed-in socket. */
export async function makeAccessKey(
  client: ApiClient<Api>,
  password: string,
  role: Role,
  name = 'tests',
): Promise<string> {
  const { key } = await client.call('accounts.createAccessKey', { name, role, days: 30, password });
  return key;
}
