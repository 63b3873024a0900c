// A real `startServer` on 127.0.0.1 with the real core: the WebSocket API, its access checks,
// and the static files beside it. The first admin is made through the setup token, as a person
// would; the sockets here use that admin's access key. (Sign-in itself: accounts.test.ts.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { api, type LiveEvent } from '../../../common/api';
import { connect } from '../../../common/rpc/client';
import type { Core } from '../../../main/core/core';
import { createTestCore, type TestCore } from '../../helpers/core';
import { silentLogger } from '../../../main/core/log';
import { startServer, type RunningServer } from '../../../main/server/server';
import { apiFailure } from '../../helpers/api-errors';
import { createFirstAdmin, makeAccessKey, signedInClient, TEST_PASSWORD } from '../../helpers/accounts';
import { rawRequest } from '../../helpers/http-request';
import {
  frames,
  openSocket,
  refusedStatus,
  socketTransport,
  type DialOptions,
} from '../../helpers/ws-client';

const SETUP_TOKEN = 'integration_setup_0123456789abcdef';
/** The admin's access key, made in beforeAll. */
let TOKEN: string;
const SECRET = 'secret outside the renderer folder';

let base: string;
let core: Core;
let testCore: TestCore | undefined;
let server: RunningServer;
let port: number;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'hyperion-server-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hyperion test page</title>');
  writeFileSync(join(rendererDir, 'assets', 'x.js'), 'console.log("x");');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  testCore = await createTestCore({ sampleIntervalMs: 200 });
  core = testCore.core;
  await core.start();
  server = await startServer({
    core,
    rendererDir,
    port: 0,
    bind: '127.0.0.1',
    log: silentLogger,
    setupToken: SETUP_TOKEN,
  });
  port = server.port;
  expect(server.url).toBe(`http://127.0.0.1:${port}/#setup=${SETUP_TOKEN}`);
  const { cookie } = await createFirstAdmin(server.origin, SETUP_TOKEN);
  const admin = await signedInClient(server.origin, { cookie });
  TOKEN = await makeAccessKey(admin.client, TEST_PASSWORD, 'admin');
  admin.socket.terminate();
});

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await server?.close();
  await testCore?.dispose();
  if (base) rmSync(base, { recursive: true, force: true });
});

async function open(): Promise<WebSocket> {
  const socket = await openSocket({ port, token: TOKEN });
  sockets.push(socket);
  return socket;
}

describe('WebSocket API', () => {
  it('opens with an access key and the right Origin, speaks hyperion.v1 and answers app.info', async () => {
    const socket = await open();
    expect(socket.protocol).toBe('hyperion.v1');
    const client = connect(api, socketTransport(socket));
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ name: 'Hyperion', version: 'test', sampleIntervalMs: 200 });
    // Once the admin exists, the printed URL is the sign-in page: the setup token is spent.
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
  });

  it('streams metrics.live: a snapshot, then new samples', async () => {
    const client = connect(api, socketTransport(await open()));
    const events: LiveEvent[] = [];
    client.subscribe(
      'metrics.live',
      { hosts: ['local'], historySec: 60 },
      { onEvent: (e) => events.push(e) },
    );
    await vi.waitFor(() => expect(events.some((e) => !e.snapshot && e.samples.length > 0)).toBe(true), {
      timeout: 3000,
      interval: 25,
    });
    expect(events[0]?.snapshot).toBe(true);
    expect(events.slice(1).every((e) => !e.snapshot)).toBe(true);
    const live = events.find((e) => !e.snapshot);
    expect(live?.samples[0]?.hostId).toBe('local');
  });

  const refusals: [string, (port: number) => Partial<DialOptions>, number][] = [
    ['no token', () => ({ token: undefined }), 401],
    ['a wrong key', () => ({ token: `${TOKEN.slice(0, -1)}X` }), 401],
    ['the spent setup token', () => ({ token: SETUP_TOKEN }), 401],
    ['a foreign Origin', (p) => ({ origin: `http://evil.example:${p}` }), 403],
    ['no Origin', () => ({ origin: null }), 403],
    ['a wrong Host header', (p) => ({ host: `evil.example:${p}` }), 403],
    ['a path other than /api', () => ({ path: '/other' }), 404],
  ];
  it.each(refusals)('refuses a handshake with %s', async (_what, change, status) => {
    expect(await refusedStatus({ port, token: TOKEN, ...change(port) })).toBe(status);
  });

  it('answers unreadable and binary frames with rejected, then still serves the same socket', async () => {
    const socket = await open();
    const inbox = frames(socket);
    socket.send('{"t":"call", not json');
    socket.send(Buffer.from([1, 2, 3]));
    const rejected = await Promise.all([
      inbox.next((m) => m.t === 'rejected'),
      inbox.next((m) => m.t === 'rejected'),
    ]);
    for (const reply of rejected) expect(reply).toMatchObject({ error: { code: 'invalid_message' } });
    socket.send(JSON.stringify({ t: 'call', id: 9, method: 'app.info', input: {} }));
    const result = await inbox.next((m) => m.id === 9);
    expect(result).toMatchObject({ t: 'result', output: { name: 'Hyperion' } });
  });

  it('answers bad input with a typed error and keeps serving this and other clients', async () => {
    const first = connect(api, socketTransport(await open()));
    const second = connect(api, socketTransport(await open()));
    const error = await apiFailure(first.call('metrics.latest', { host: 42 as unknown as string }));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ issues: [{ path: 'host' }] });
    await expect(second.call('app.info', {})).resolves.toMatchObject({ name: 'Hyperion' });
    await expect(first.call('metrics.latest', { host: 'nowhere' })).resolves.toBeNull();
  });
});

describe('HTTP side', () => {
  it('serves index.html with the security headers', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Hyperion test page');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('serves assets with a JavaScript type and long caching, and app routes with index.html', async () => {
    const asset = await fetch(`http://127.0.0.1:${port}/assets/x.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("x");');
    const route = await fetch(`http://127.0.0.1:${port}/hosts/local`);
    expect(await route.text()).toContain('Hyperion test page');
    expect((await fetch(`http://127.0.0.1:${port}/missing.js`)).status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/../package.json',
    '/%2e%2e/package.json',
    '/%00.js',
  ])('does not serve %s', async (path) => {
    const res = await rawRequest(port, path, { headers: { Host: `127.0.0.1:${port}` } });
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses a request with a foreign Host header', async () => {
    const page = await rawRequest(port, '/', { headers: { Host: 'evil.example' } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('Hyperion test page');
    const check = await rawRequest(port, '/api/auth/session', { headers: { Host: `evil.example:${port}` } });
    expect(check.status).toBe(403);
  });
});
