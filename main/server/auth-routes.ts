// The sign-in endpoints of `hyperion serve` (they work before any WebSocket exists): first-admin
// setup, password, second factor, 2FA enrolment, new password, access-key links and sign-out.
// Every POST is JSON from this server's own Origin; the cookie is SameSite=Strict — together that
// is the CSRF defence (a form on another site can send neither).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AUTH_PATHS,
  AuthState,
  EnrolRequest,
  KeyRequest,
  LoginRequest,
  PasswordRequest,
  SetupRequest,
  TotpRequest,
} from '../../common/schemas/accounts';
import { AccountError } from '../core/accounts/account-error';
import type { RequestContext } from '../core/accounts/accounts-service';
import { addressScope } from '../core/accounts/login-throttle';
import type { StepResult } from '../core/accounts/sign-in';
import { sameText } from '../core/accounts/tokens';
import type { Core } from '../core/core';
import type { Logger } from '../core/log';
import { checkOrigin } from './access';
import {
  clearedSessionCookie,
  readCookie,
  sessionCookie,
  sessionCookieName,
  type CookieOptions,
} from './cookies';
import { HttpFailure, readJson, sendEmpty, sendJson } from './http-json';

export interface AuthRoutesOptions {
  core: Core;
  hosts: () => ReadonlySet<string>;
  scheme: 'http' | 'https';
  cookie: () => CookieOptions;
  /** The one-time token of the setup link, while no account exists. */
  setupToken: string;
  log: Logger;
}

const STATUS: Record<string, number> = {
  invalid_input: 400,
  invalid_credentials: 401,
  invalid_code: 401,
  expired: 401,
  forbidden: 403,
  setup_done: 409,
  not_found: 404,
  locked: 423,
  rate_limited: 429,
  internal: 500,
};

const PATHS = new Set<string>(Object.values(AUTH_PATHS));

export function isAuthPath(path: string): boolean {
  return PATHS.has(path);
}

function contextOf(req: IncomingMessage): RequestContext {
  const agent = req.headers['user-agent'];
  return { address: req.socket.remoteAddress, userAgent: typeof agent === 'string' ? agent : undefined };
}

export function createAuthRoutes(options: AuthRoutesOptions) {
  const { core } = options;
  const flow = core.signIn;

  const sessionToken = (req: IncomingMessage): string | undefined =>
    readCookie(req, sessionCookieName(options.cookie()));

  const answer = (res: ServerResponse, result: StepResult): void => {
    const headers: Record<string, string> = {};
    if (result.issued) {
      headers['Set-Cookie'] = sessionCookie(options.cookie(), result.issued.token, result.issued.maxAgeSec);
    }
    sendJson(res, 200, result.step, headers);
  };

  const setup = async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    const body = await readJson(req, SetupRequest);
    const throttle = core.accounts.throttle;
    const scope = [addressScope(ctx.address)];
    const verdict = throttle.check(scope, core.accounts.now());
    if (!verdict.ok)
      throw new AccountError(
        'rate_limited',
        'Too many wrong setup links: wait a moment.',
        verdict.retryAfterMs,
      );
    if (core.accounts.hasAccounts()) {
      throw new AccountError('setup_done', 'Hyperion is set up already: sign in with your account.');
    }
    if (!sameText(body.setupToken, options.setupToken)) {
      throttle.fail(scope, core.accounts.now());
      core.audit.record({
        actor: body.username,
        via: 'http',
        address: ctx.address ?? null,
        action: 'auth.setup',
        target: body.username,
        args: { username: body.username },
        result: 'refused',
        error: 'wrong setup token',
      });
      throw new AccountError('forbidden', 'This setup link is not the one hyperion serve printed.');
    }
    answer(res, await flow.setup(body.username, body.password, ctx));
  };

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>
  > = {
    [AUTH_PATHS.setup]: setup,
    [AUTH_PATHS.login]: async (req, res, ctx) => {
      const body = await readJson(req, LoginRequest);
      answer(res, await flow.login(body.username, body.password, ctx));
    },
    [AUTH_PATHS.totp]: async (req, res, ctx) => {
      const body = await readJson(req, TotpRequest);
      const proof = 'otp' in body ? { otp: body.otp } : { recoveryCode: body.recoveryCode };
      answer(res, await flow.secondFactor(body.ticket, proof, ctx));
    },
    [AUTH_PATHS.enrol]: async (req, res, ctx) => {
      const body = await readJson(req, EnrolRequest);
      answer(res, await flow.enrol(body.ticket, body.otp, ctx));
    },
    [AUTH_PATHS.password]: async (req, res, ctx) => {
      const body = await readJson(req, PasswordRequest);
      answer(res, await flow.choosePassword(body.ticket, body.newPassword, ctx));
    },
    [AUTH_PATHS.key]: async (req, res, ctx) => {
      const body = await readJson(req, KeyRequest);
      answer(res, flow.exchangeKey(body.key, ctx));
    },
    [AUTH_PATHS.logout]: async (req, res, ctx) => {
      const token = sessionToken(req);
      if (token) flow.logout(token, ctx);
      sendEmpty(res, 204, { 'Set-Cookie': clearedSessionCookie(options.cookie()) });
    },
  };

  const state = (req: IncomingMessage): AuthState => {
    const token = sessionToken(req);
    const identity = token ? core.accounts.identifySession(token) : undefined;
    return {
      signedIn: identity !== undefined,
      user: identity ? { username: identity.username, role: identity.role } : null,
      setupRequired: !core.accounts.hasAccounts(),
    };
  };

  /** Answers one request to an AUTH_PATHS path. */
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const ctx = contextOf(req);
    try {
      if (path === AUTH_PATHS.session) {
        if (req.method !== 'GET')
          throw new HttpFailure(405, { code: 'invalid_input', message: 'Use GET.' }, { Allow: 'GET' });
        sendJson(res, 200, AuthState.parse(state(req)));
        return;
      }
      if (req.method !== 'POST') {
        throw new HttpFailure(405, { code: 'invalid_input', message: 'Use POST.' }, { Allow: 'POST' });
      }
      const refusal = checkOrigin(req, options.hosts(), options.scheme);
      if (refusal) {
        options.log.warn('sign-in request refused', { reason: refusal.reason, address: ctx.address });
        throw new HttpFailure(403, {
          code: 'forbidden',
          message: 'Requests must come from Hyperion’s own page.',
        });
      }
      await routes[path]!(req, res, ctx);
    } catch (err) {
      if (err instanceof HttpFailure) {
        sendJson(res, err.status, err.body, err.headers);
        return;
      }
      if (err instanceof AccountError) {
        const headers: Record<string, string> =
          err.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) } : {};
        sendJson(res, STATUS[err.code] ?? 400, err.toJSON(), headers);
        return;
      }
      options.log.error('sign-in endpoint failed', { path, error: String(err) });
      sendJson(res, 500, { code: 'internal', message: 'Something went wrong inside Hyperion.' });
    }
  };
}
