// Accounts through the real server over HTTP and WebSocket, with the real core and SQLite file: the
// first admin through the setup link, password + TOTP sign-in, roles on every method, brute force
// slowed then locked, sessions that expire, Origin checks, step-up, and a tampered audit log.
// A movable clock stands in for waiting (the TOTP codes follow the same clock).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type WebSocket from 'ws';
import { api } from '../../../common/api';
import { roleAllows, type MethodDef, type Role } from '../../../common/contract';
import { AUTH_PATHS } from '../../../common/schemas/accounts';
import type { ThrottlePolicy } from '../../../main/core/accounts/login-throttle';
import { totpCounter } from '../../../main/core/accounts/totp';
import { DATABASE_FILE } from '../../../main/core/core';
import { silentLogger } from '../../../main/core/log';
import { startServer, type RunningServer } from '../../../main/server/server';
import {
  authRequest,
  authStep,
  createFirstAdmin,
  makeAccessKey,
  signedInClient,
  signIn,
  TEST_PASSWORD,
  TestAuthenticator,
  type TestAccount,
} from '../../helpers/accounts';
import { apiFailure } from '../../helpers/api-errors';
import { createTestCore, type TestCore } from '../../helpers/core';
import { refusedStatus } from '../../helpers/ws-client';

const SETUP_TOKEN = 'accounts_setup_token_0123456789';

interface Bench {
  server: RunningServer;
  test: TestCore;
  origin: string;
  clock: { offset: number; now: () => number; advance: (ms: number) => void };
  sockets: WebSocket[];
  admin: Omit<TestAccount, 'accessKey'> & { cookie: string };
  dispose(): Promise<void>;
}

async function bench(options: { setUp?: boolean; throttle?: Partial<ThrottlePolicy> } = {}): Promise<Bench> {
  const clock = {
    offset: 0,
    now: () => Date.now() + clock.offset,
    advance: (ms: number) => {
      clock.offset += ms;
    },
  };
  const base = mkdtempSync(join(tmpdir(), 'hyperion-accounts-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const test = await createTestCore({ accounts: { now: clock.now, throttle: options.throttle } });
  const server = await startServer({
    core: test.core,
    rendererDir,
    port: 0,
    bind: '127.0.0.1',
    log: silentLogger,
    setupToken: SETUP_TOKEN,
  });
  const sockets: WebSocket[] = [];
  let admin = undefined as unknown as Bench['admin'];
  if (options.setUp !== false) {
    // Codes follow the movable clock; waiting for the next one moves it rather than the test.
    const first = await createFirstAdmin(server.origin, SETUP_TOKEN, {
      now: clock.now,
      wait: async (ms) => clock.advance(ms),
    });
    admin = { ...first.account, cookie: first.cookie };
  }
  return {
    server,
    test,
    origin: server.origin,
    clock,
    sockets,
    admin,
    dispose: async () => {
      for (const s of sockets) s.terminate();
      await server.close();
      await test.dispose();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

async function open(b: Bench, options: { cookie?: string; key?: string }) {
  const opened = await signedInClient(b.origin, options);
  b.sockets.push(opened.socket);
  return opened;
}

/** A user made by the admin (no 2FA needed below admin by default), signed in; its cookie. */
async function userWithRole(b: Bench, role: Role, username: string = role): Promise<string> {
  const { client } = await open(b, { cookie: b.admin.cookie });
  await client.call('users.create', { username, role, password: TEST_PASSWORD, mustChangePassword: false });
  return signIn(b.origin, { username, password: TEST_PASSWORD });
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('the first admin, through the setup link', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench({ setUp: false });
  });
  afterAll(() => b.dispose());

  it('needs the printed token, creates the admin only once 2FA is confirmed, then the token grants nothing', async () => {
    const state = await authRequest(b.origin, AUTH_PATHS.session, undefined);
    expect(state.body).toEqual({ signedIn: false, user: null, setupRequired: true });

    const wrong = await authRequest(b.origin, AUTH_PATHS.setup, {
      setupToken: 'not_the_printed_token_at_all',
      username: 'root-admin',
      password: TEST_PASSWORD,
    });
    expect(wrong.status).toBe(403);

    const first = await authStep(b.origin, AUTH_PATHS.setup, {
      setupToken: SETUP_TOKEN,
      username: 'Alice',
      password: TEST_PASSWORD,
    });
    expect(first.step.next).toBe('enrol');
    if (first.step.next !== 'enrol') return;
    expect(first.step.username).toBe('alice');
    expect(first.step.enrolment.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(first.step.enrolment.qrDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');
    expect(first.step.enrolment.uri).toContain(`secret=${first.step.enrolment.secret}`);
    const app = new TestAuthenticator(first.step.enrolment.secret, b.clock.now);

    // A wrong first code creates nobody: the setup link still works.
    const bad = await authRequest(b.origin, AUTH_PATHS.enrol, { ticket: first.step.ticket, otp: '000000' });
    expect(bad.status).toBe(401);
    expect((await authRequest(b.origin, AUTH_PATHS.session, undefined)).body).toMatchObject({
      setupRequired: true,
    });

    const done = await authRequest(b.origin, AUTH_PATHS.enrol, {
      ticket: first.step.ticket,
      otp: await app.next(),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ next: 'signed-in', user: { username: 'alice', role: 'admin' } });
    expect((done.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    const setCookie = String(done.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^hyperion-${b.server.port}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=43200');
    expect(setCookie).not.toContain('Secure'); // plain http on loopback: the browser would drop it

    const cookie = done.cookie!;
    expect((await authRequest(b.origin, AUTH_PATHS.session, undefined, { cookie })).body).toEqual({
      signedIn: true,
      user: { username: 'alice', role: 'admin' },
      setupRequired: false,
    });
    // The setup token is spent: no second admin, and it opens no socket.
    const again = await authRequest(b.origin, AUTH_PATHS.setup, {
      setupToken: SETUP_TOKEN,
      username: 'mallory',
      password: TEST_PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(await refusedStatus({ port: b.server.port, token: SETUP_TOKEN })).toBe(401);
    expect(b.server.url).toBe(`${b.origin}/`);

    const { client } = await open(b, { cookie });
    const me = await client.call('accounts.me', {});
    expect(me).toMatchObject({
      kind: 'account',
      role: 'admin',
      user: { username: 'alice', twoFactor: true, recoveryCodesLeft: 10 },
    });
    const setup = await client.call('audit.list', { action: 'auth.' });
    const actions = setup.entries.map((e) => `${e.action} ${e.result} ${e.actor} ${e.via} ${e.address}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.setup refused root-admin http 127.0.0.1',
        'auth.setup ok alice http 127.0.0.1',
        'auth.totpEnabled ok alice http 127.0.0.1',
        'auth.login ok alice http 127.0.0.1',
      ]),
    );
  });
});

describe('signing in with a password and a code', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());
  // Wrong codes count as failed sign-ins (tested under "brute force"); each test starts clean.
  afterEach(() => {
    b.test.core.accounts.throttle.unlock('user:admin');
    b.test.core.accounts.throttle.unlock('addr:127.0.0.1');
  });

  const start = async () => {
    const step = await authStep(b.origin, AUTH_PATHS.login, { username: 'admin', password: TEST_PASSWORD });
    if (step.step.next !== 'totp') throw new Error(`expected the totp step, got ${step.step.next}`);
    expect(step.cookie).toBeUndefined(); // a password alone signs nobody in
    return step.step.ticket;
  };

  it('refuses a code outside the ±1 step window, accepts the current one once, and refuses its replay', async () => {
    const app = b.admin.authenticator!;
    const now = totpCounter(b.clock.now());
    const ticket = await start();
    for (const counter of [now - 2, now + 2]) {
      const res = await authRequest(b.origin, AUTH_PATHS.totp, { ticket, otp: app.codeAt(counter) });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_code' });
    }
    // One step ahead is inside the window (a phone a few seconds fast).
    app.spent(now);
    const good = app.codeAt(now + 1);
    const ok = await authRequest(b.origin, AUTH_PATHS.totp, { ticket, otp: good });
    expect(ok.status).toBe(200);
    expect(ok.cookie).toBeDefined();
    app.spent(now + 1);
    // The same code again, within its window, on a new sign-in: refused (RFC 6238 §5.2).
    const replay = await authRequest(b.origin, AUTH_PATHS.totp, { ticket: await start(), otp: good });
    expect(replay.status).toBe(401);
    expect(JSON.stringify(replay.body)).toMatch(/used already/);
  });

  it('accepts a recovery code once, then refuses it', async () => {
    const code = b.admin.recoveryCodes[0]!;
    const first = await authRequest(b.origin, AUTH_PATHS.totp, {
      ticket: await start(),
      recoveryCode: code.toLowerCase(),
    });
    expect(first.status).toBe(200);
    const second = await authRequest(b.origin, AUTH_PATHS.totp, {
      ticket: await start(),
      recoveryCode: code,
    });
    expect(second.status).toBe(401);
    const { client } = await open(b, { cookie: first.cookie! });
    expect((await client.call('accounts.me', {})).user.recoveryCodesLeft).toBe(9);
  });

  it('answers a wrong password and an unknown name alike', async () => {
    const wrong = await authRequest(b.origin, AUTH_PATHS.login, {
      username: 'admin',
      password: 'not it at all',
    });
    const unknown = await authRequest(b.origin, AUTH_PATHS.login, {
      username: 'nobody',
      password: 'not it at all',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('makes a new user choose a password, then signs in without 2FA where the policy allows', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    await client.call('users.create', {
      username: 'oscar',
      role: 'operator',
      password: 'first password 123',
    });
    const first = await authStep(b.origin, AUTH_PATHS.login, {
      username: 'oscar',
      password: 'first password 123',
    });
    expect(first.step.next).toBe('change-password');
    if (first.step.next !== 'change-password') return;
    const short = await authRequest(b.origin, AUTH_PATHS.password, {
      ticket: first.step.ticket,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    const done = await authStep(b.origin, AUTH_PATHS.password, {
      ticket: first.step.ticket,
      newPassword: 'oscar’s own passphrase',
    });
    expect(done.step).toMatchObject({ next: 'signed-in', user: { username: 'oscar', role: 'operator' } });
    const old = await authRequest(b.origin, AUTH_PATHS.login, {
      username: 'oscar',
      password: 'first password 123',
    });
    expect(old.status).toBe(401);
  });

  it('sets 2FA up at sign-in when the policy requires it for the role', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    await client.call('accounts.setPolicy', {
      ...(await client.call('accounts.policy', {})),
      twoFactorFor: 'operators',
    });
    await client.call('users.create', {
      username: 'olga',
      role: 'operator',
      password: TEST_PASSWORD,
      mustChangePassword: false,
    });
    const first = await authStep(b.origin, AUTH_PATHS.login, { username: 'olga', password: TEST_PASSWORD });
    expect(first.step.next).toBe('enrol');
    if (first.step.next !== 'enrol') return;
    const app = new TestAuthenticator(first.step.enrolment.secret, b.clock.now);
    const done = await authStep(b.origin, AUTH_PATHS.enrol, {
      ticket: first.step.ticket,
      otp: await app.next(),
    });
    expect(done.step).toMatchObject({ next: 'signed-in', user: { username: 'olga' } });
    // Next time she is asked for a code.
    const again = await authStep(b.origin, AUTH_PATHS.login, { username: 'olga', password: TEST_PASSWORD });
    expect(again.step.next).toBe('totp');
    await client.call('accounts.setPolicy', {
      ...(await client.call('accounts.policy', {})),
      twoFactorFor: 'admins',
    });
  });
});

describe('brute force', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());

  const attempt = (password: string) =>
    authRequest(b.origin, AUTH_PATHS.login, { username: 'admin', password });

  it('is slowed after three failures, then locked after ten; the lock holds even the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(`guess ${i}`)).status).toBe(401);
    // The fourth try right away is not even checked: wait about a second.
    const slowed = await attempt(TEST_PASSWORD);
    expect(slowed.status).toBe(429);
    const wait = (slowed.body as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(Number(slowed.headers['retry-after'])).toBe(1);
    // Each further failure doubles the wait: 1 s, 2 s, 4 s, … (the clock moves instead of the test waiting).
    const waits: number[] = [];
    for (let i = 3; i < 9; i++) {
      const early = await attempt('still guessing');
      expect(early.status).toBe(429);
      const ms = (early.body as { retryAfterMs: number }).retryAfterMs;
      waits.push(Math.round(ms / 1000));
      b.clock.advance(ms);
      expect((await attempt(`guess ${i}`)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32]);
    b.clock.advance(60_000);
    const tenth = await attempt('guess 9');
    expect(tenth.status).toBe(423);
    expect(tenth.body).toMatchObject({ code: 'locked' });
    const locked = await attempt(TEST_PASSWORD);
    expect(locked.status).toBe(423);
    expect((locked.body as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(14 * 60_000);

    const { client } = await open(b, { cookie: b.admin.cookie });
    const users = await client.call('users.list', {});
    expect(users.find((u) => u.username === 'admin')?.lockedUntil).toBeGreaterThan(b.clock.now());
    const audited = await client.call('audit.list', { action: 'auth.lockout' });
    expect(audited.entries).toHaveLength(1);
    expect(audited.entries[0]).toMatchObject({ actor: 'admin', address: '127.0.0.1', result: 'refused' });
    const failures = await client.call('audit.list', { action: 'auth.login', result: 'refused' });
    expect(failures.entries.length).toBe(10);
    expect(failures.entries.every((e) => e.address === '127.0.0.1' && e.error === 'wrong password')).toBe(
      true,
    );
    // No password reaches the log.
    expect(JSON.stringify(failures.entries)).not.toContain('guess');

    // Fifteen minutes later the lock is gone.
    b.clock.advance(15 * 60_000);
    const after = await attempt(TEST_PASSWORD);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ next: 'totp' });
  });

  it('lets an admin lift an account’s lock at once', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    await client.call('users.create', {
      username: 'lena',
      role: 'viewer',
      password: TEST_PASSWORD,
      mustChangePassword: false,
    });
    for (let i = 0; i < 10; i++) {
      const res = await authRequest(b.origin, AUTH_PATHS.login, { username: 'lena', password: 'nope' });
      if (res.status === 429) {
        b.clock.advance((res.body as { retryAfterMs: number }).retryAfterMs);
        i--;
      }
    }
    const lena = { username: 'lena', password: TEST_PASSWORD };
    expect((await authRequest(b.origin, AUTH_PATHS.login, lena)).status).toBe(423);
    const unlocked = await client.call('users.unlock', { username: 'lena' });
    expect(unlocked.lockedUntil).toBeNull();
    // The address those ten failures came from still waits its turn; then Lena is in.
    let after = await authRequest(b.origin, AUTH_PATHS.login, lena);
    if (after.status === 429) {
      b.clock.advance((after.body as { retryAfterMs: number }).retryAfterMs);
      after = await authRequest(b.origin, AUTH_PATHS.login, lena);
    }
    expect(after.status).toBe(200);
  });
});

describe('brute force from one address across names', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench({ throttle: { addressFreeFailures: 4, addressLockAfter: 8 } });
  });
  afterAll(() => b.dispose());

  it('slows, then locks, an address that tries many names, whatever the name', async () => {
    let slowed = 0;
    for (let i = 0; i < 8; i++) {
      const res = await authRequest(b.origin, AUTH_PATHS.login, { username: `user${i}`, password: 'x' });
      if (res.status === 429) {
        slowed++;
        b.clock.advance((res.body as { retryAfterMs: number }).retryAfterMs);
        i--;
      } else expect(res.status).toBe(i === 7 ? 423 : 401);
    }
    expect(slowed).toBeGreaterThan(0);
    const blocked = await authRequest(b.origin, AUTH_PATHS.login, {
      username: 'admin',
      password: TEST_PASSWORD,
    });
    expect(blocked.status).toBe(423);
    expect(JSON.stringify(blocked.body)).toMatch(/from your address/);
  });
});

describe('roles, on every method over the WebSocket', () => {
  let b: Bench;
  const cookies: Partial<Record<Role, string>> = {};
  beforeAll(async () => {
    b = await bench();
    cookies.admin = b.admin.cookie;
    cookies.viewer = await userWithRole(b, 'viewer', 'vera');
    cookies.operator = await userWithRole(b, 'operator', 'otto');
  });
  afterAll(() => b.dispose());

  it('refuses a viewer calling an operator method, and the refusal is in the audit log', async () => {
    const viewer = (await open(b, { cookie: cookies.viewer })).client;
    const error = await apiFailure(viewer.call('hosts.reconnect', { id: 'web-1' }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/Your role \(viewer\) may not use hosts\.reconnect; it needs operator/);
    // Reading is fine.
    await expect(viewer.call('hosts.list', {})).resolves.toEqual([]);
    await expect(viewer.call('audit.verify', {})).resolves.toMatchObject({ ok: true });
    const admin = (await open(b, { cookie: cookies.admin })).client;
    const audited = await admin.call('audit.list', { action: 'hosts.reconnect' });
    expect(audited.entries[0]).toMatchObject({
      actor: 'vera',
      via: 'websocket',
      address: '127.0.0.1',
      host: 'web-1',
      result: 'refused',
    });
  });

  it.each(['viewer', 'operator'] as const)(
    'refuses a %s every method that needs more, before any input is read',
    async (role) => {
      const { client } = await open(b, { cookie: cookies[role] });
      const above = Object.entries(api.methods).filter(([, def]) => !roleAllows(role, def.role));
      expect(above.length).toBeGreaterThan(role === 'viewer' ? 30 : 15);
      for (const [name] of above) {
        const error = await apiFailure(client.call(name as never, {} as never));
        expect({ name, code: error.code }).toEqual({ name, code: 'forbidden' });
      }
      // And every stream above the role is refused too.
      for (const [name, def] of Object.entries(api.streams)) {
        if (roleAllows(role, def.role)) continue;
        const refused = await new Promise<string>((resolve) =>
          client.subscribe(name as never, {} as never, {
            onEvent: () => resolve('event'),
            onError: (e) => resolve(e.code),
          }),
        );
        expect({ name, refused }).toEqual({ name, refused: 'forbidden' });
      }
    },
  );

  it('lets each role reach the methods it is declared for (refused only by their input)', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const { client } = await open(b, { cookie: cookies[role] });
      const allowed = Object.entries(api.methods).filter(
        ([, def]) => def.role === role && (def as MethodDef).mutating,
      );
      for (const [name] of allowed.slice(0, 8)) {
        const error = await apiFailure(client.call(name as never, { not: 'valid' } as never));
        expect({ name, code: error.code }).toEqual({ name, code: 'invalid_input' });
      }
    }
  });

  it('a role change reconnects the user’s sockets, which then act with the new role', async () => {
    const { socket } = await open(b, { cookie: cookies.viewer });
    const gone = closed(socket);
    const admin = (await open(b, { cookie: cookies.admin })).client;
    await admin.call('users.setRole', { username: 'vera', role: 'operator' });
    expect((await gone).code).toBe(4001);
    const again = (await open(b, { cookie: cookies.viewer })).client;
    expect((await again.call('accounts.me', {})).role).toBe('operator');
    const roleChange = await admin.call('audit.list', { action: 'users.setRole' });
    expect(roleChange.entries[0]).toMatchObject({
      actor: 'admin',
      target: 'vera',
      result: 'ok',
      args: { role: 'operator' },
    });
    await admin.call('users.setRole', { username: 'vera', role: 'viewer' });
  });

  it('never lets the last admin go', async () => {
    const admin = (await open(b, { cookie: cookies.admin })).client;
    const error = await apiFailure(admin.call('users.setRole', { username: 'admin', role: 'viewer' }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/only admin/);
    expect((await apiFailure(admin.call('users.remove', { username: 'admin' }))).code).toBe('forbidden');
  });

  it('an access key acts with its own role, at most its owner’s', async () => {
    const admin = (await open(b, { cookie: cookies.admin })).client;
    const key = await makeAccessKey(admin, TEST_PASSWORD, 'viewer', 'wall screen');
    const wall = (await open(b, { key })).client;
    expect((await wall.call('accounts.me', {})).role).toBe('viewer');
    expect((await apiFailure(wall.call('users.list', {}))).code).toBe('forbidden');
    const operator = (await open(b, { cookie: cookies.operator })).client;
    const tooMuch = await apiFailure(
      operator.call('accounts.createAccessKey', {
        name: 'x',
        role: 'admin',
        days: 1,
        password: TEST_PASSWORD,
      }),
    );
    expect(tooMuch.code).toBe('forbidden');
    // Revoking closes the key's connections and the key opens no more.
    const [info] = await admin.call('accounts.accessKeys', {});
    const wallSocket = b.sockets[b.sockets.length - 2]!;
    const gone = closed(wallSocket);
    await admin.call('accounts.revokeAccessKey', { id: info!.id });
    expect((await gone).code).toBe(4401);
    expect(await refusedStatus({ port: b.server.port, token: key })).toBe(401);
  });
});

describe('sessions', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());

  it('refuses a session idle longer than the policy allows, on the open socket and for new ones', async () => {
    const cookie = await signIn(b.origin, b.admin);
    const { client, socket } = await open(b, { cookie });
    await expect(client.call('accounts.heartbeat', {})).resolves.toMatchObject({
      expiresAt: expect.any(Number),
    });
    const gone = closed(socket);
    b.clock.advance(61 * 60_000);
    const error = await apiFailure(client.call('hosts.list', {}));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/60 minutes without activity/);
    expect((await gone).code).toBe(4401);
    expect((await authRequest(b.origin, AUTH_PATHS.session, undefined, { cookie })).body).toMatchObject({
      signedIn: false,
    });
    const status = await new Promise<number>((resolve, reject) => {
      signedInClient(b.origin, { cookie }).then(
        () => reject(new Error('opened')),
        (err: Error) => resolve(Number(/HTTP (\d+)/.exec(err.message)?.[1])),
      );
    });
    expect(status).toBe(401);
  });

  it('ends an active session at its absolute limit, however busy it is', async () => {
    const cookie = await signIn(b.origin, b.admin);
    const { client } = await open(b, { cookie });
    // Busy all day: a heartbeat every 50 minutes keeps it from idling…
    for (let elapsed = 0; elapsed < 11.5 * 60; elapsed += 50) {
      b.clock.advance(50 * 60_000);
      await client.call('accounts.heartbeat', {});
    }
    // …but 12 hours after sign-in it ends.
    b.clock.advance(40 * 60_000);
    const error = await apiFailure(client.call('accounts.heartbeat', {}));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/12-hour limit/);
  });

  it('signs out everywhere: every socket of the user closes and the cookies open nothing', async () => {
    const first = await signIn(b.origin, b.admin);
    const second = await signIn(b.origin, b.admin);
    const a = await open(b, { cookie: first });
    const c = await open(b, { cookie: second });
    expect((await a.client.call('accounts.sessions', {})).length).toBeGreaterThanOrEqual(2);
    const closes = [closed(a.socket), closed(c.socket)];
    await expect(a.client.call('accounts.logoutEverywhere', {})).resolves.toMatchObject({
      ended: expect.any(Number),
    });
    expect((await Promise.all(closes)).map((x) => x.code)).toEqual([4401, 4401]);
    for (const cookie of [first, second]) {
      expect((await authRequest(b.origin, AUTH_PATHS.session, undefined, { cookie })).body).toMatchObject({
        signedIn: false,
      });
    }
  });

  it('signs out with POST /api/auth/logout, which clears the cookie and is audited', async () => {
    const cookie = await signIn(b.origin, b.admin);
    const res = await authRequest(b.origin, AUTH_PATHS.logout, {}, { cookie });
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await authRequest(b.origin, AUTH_PATHS.session, undefined, { cookie })).body).toMatchObject({
      signedIn: false,
    });
    const admin = (await open(b, { cookie: await signIn(b.origin, b.admin) })).client;
    expect((await admin.call('audit.list', { action: 'auth.logout' })).entries[0]).toMatchObject({
      actor: 'admin',
      result: 'ok',
    });
  });
});

describe('Origin checks and CSRF', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());

  it('refuses a WebSocket from a foreign Origin even with a valid session cookie', async () => {
    const error = await signedInClient(b.origin, {
      cookie: b.admin.cookie,
      origin: 'http://evil.example',
    }).then(
      () => 'opened',
      (err: Error) => err.message,
    );
    expect(error).toMatch(/HTTP 403/);
    expect(await refusedStatus({ port: b.server.port, origin: `http://evil.example:${b.server.port}` })).toBe(
      403,
    );
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['no Origin', { origin: null }, 403],
    ['a form post (not JSON)', { contentType: 'application/x-www-form-urlencoded' }, 415],
  ] as const)('refuses a sign-in POST with %s before checking anything', async (_what, options, status) => {
    const before = b.test.core.audit.list({ action: 'auth.login' }).entries.length;
    const res = await authRequest(
      b.origin,
      AUTH_PATHS.login,
      { username: 'admin', password: TEST_PASSWORD },
      options,
    );
    expect(res.status).toBe(status);
    expect(res.cookie).toBeUndefined();
    expect(b.test.core.audit.list({ action: 'auth.login' }).entries.length).toBe(before);
  });

  it('refuses GET on a POST endpoint and a body too large', async () => {
    expect((await authRequest(b.origin, AUTH_PATHS.login, undefined)).status).toBe(405);
    const huge = await authRequest(b.origin, AUTH_PATHS.login, {
      username: 'admin',
      password: 'x'.repeat(20_000),
    });
    expect(huge.status).toBe(413);
  });
});

describe('step-up for dangerous actions', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());

  it('asks for a fresh code before a dangerous call, then lets it and the next few minutes’ through', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    // Off by default: a dangerous call just runs (here it finds no such host).
    expect((await apiFailure(client.call('hosts.remove', { id: 'gone' }))).code).toBe('not_found');
    const policy = await client.call('accounts.policy', {});
    await client.call('accounts.setPolicy', { ...policy, stepUp: { enabled: true, validMinutes: 5 } });
    const asked = await apiFailure(client.call('hosts.remove', { id: 'gone' }));
    expect(asked.code).toBe('step_up_required');
    // Reads and harmless changes are not held up.
    await expect(client.call('hosts.list', {})).resolves.toEqual([]);
    expect((await apiFailure(client.call('accounts.stepUp', { otp: '000000' }))).code).toBe('invalid_input');
    const { until } = await client.call('accounts.stepUp', { otp: await b.admin.authenticator!.next() });
    expect(until).toBeGreaterThan(b.clock.now() + 4 * 60_000);
    expect((await apiFailure(client.call('hosts.remove', { id: 'gone' }))).code).toBe('not_found');
    expect((await apiFailure(client.call('hosts.remove', { id: 'gone' }))).code).toBe('not_found');
    b.clock.advance(5 * 60_000 + 1000);
    expect((await apiFailure(client.call('hosts.remove', { id: 'gone' }))).code).toBe('step_up_required');
    const audited = await client.call('audit.list', { action: 'hosts.remove', result: 'refused' });
    expect(audited.entries.length).toBe(2);
    expect(audited.entries[0]?.error).toMatch(/authenticator/);
    // A session of another browser has its own confirmation.
    const other = (await open(b, { cookie: await signIn(b.origin, b.admin) })).client;
    expect((await apiFailure(other.call('hosts.remove', { id: 'gone' }))).code).toBe('step_up_required');
  });

  it('cannot be turned on by someone without 2FA', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    await client.call('users.create', {
      username: 'ann',
      role: 'admin',
      password: TEST_PASSWORD,
      mustChangePassword: false,
    });
    const first = await authStep(b.origin, AUTH_PATHS.login, { username: 'ann', password: TEST_PASSWORD });
    // Admins always set up 2FA at their first sign-in: there is no admin without it.
    expect(first.step.next).toBe('enrol');
  });
});

describe('the audit log, served', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await bench();
  });
  afterAll(() => b.dispose());

  it('reports an edited row through audit.verify on the WebSocket', async () => {
    const { client } = await open(b, { cookie: b.admin.cookie });
    await apiFailure(client.call('hosts.remove', { id: 'nothing-here' }));
    const intact = await client.call('audit.verify', {});
    expect(intact.ok).toBe(true);
    expect(intact.checked).toBeGreaterThanOrEqual(4);
    const logins = await client.call('audit.list', { action: 'auth.login' });
    const target = logins.entries[logins.entries.length - 1]!;
    // Someone with the database file rewrites who signed in.
    const db = new Database(join(b.test.dataDir, DATABASE_FILE));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?").run(target.seq);
    db.close();
    const broken = await client.call('audit.verify', {});
    expect(broken).toMatchObject({ ok: false, brokenAt: target.seq });
    expect(broken.message).toMatch(new RegExp(`entry ${target.seq} was changed`));
  });
});
