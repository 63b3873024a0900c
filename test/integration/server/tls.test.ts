// `startServer` with a certificate and key (as --tls-cert and --tls-key give): HTTPS and WSS on
// loopback, a Secure __Host- cookie, HSTS, and an http:// Origin refused. The certificate is made
// here with openssl for 127.0.0.1 and trusted by these clients only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTH_PATHS } from '../../../common/schemas/accounts';
import { silentLogger } from '../../../main/core/log';
import { bindWarnings, startServer, type RunningServer } from '../../../main/server/server';
import { authRequest, createFirstAdmin, signedInClient } from '../../helpers/accounts';
import { createTestCore, type TestCore } from '../../helpers/core';

const SETUP = 'tls_setup_token_0123456789abcdef';
let dir: string;
let test: TestCore;
let server: RunningServer;
let ca: Buffer;
/** The admin's session cookie, from the first test. */
let adminCookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-tls-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>tls</title>');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(join(dir, 'cert.pem'));
  test = await createTestCore();
  server = await startServer({
    core: test.core,
    rendererDir: renderer,
    port: 0,
    bind: '127.0.0.1',
    log: silentLogger,
    setupToken: SETUP,
    tls: { cert: ca, key: readFileSync(join(dir, 'key.pem')) },
  });
});

afterAll(async () => {
  await server?.close();
  await test?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve over TLS', () => {
  it('prints an https setup link and signs in with a Secure, __Host- cookie and HSTS', async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/#setup=${SETUP}`);
    const state = await authRequest(server.origin, AUTH_PATHS.session, undefined, { ca });
    expect(state.status).toBe(200);
    expect(state.headers['strict-transport-security']).toBe('max-age=31536000');
    const { cookie } = await createFirstAdmin(server.origin, SETUP, { ca });
    adminCookie = cookie;
    expect(cookie.startsWith(`__Host-hyperion-${server.port}=`)).toBe(true);
    const login = await authRequest(
      server.origin,
      AUTH_PATHS.login,
      { username: 'admin', password: 'wrong one' },
      { ca },
    );
    expect(login.status).toBe(401);
    const { client, socket } = await signedInClient(server.origin, { cookie, ca });
    expect((await client.call('accounts.me', {})).user.username).toBe('admin');
    socket.terminate();
  });

  it('refuses an http:// Origin on the https server (WebSocket and sign-in)', async () => {
    const cookie = adminCookie;
    const http = `http://127.0.0.1:${server.port}`;
    const post = await authRequest(
      server.origin,
      AUTH_PATHS.login,
      { username: 'admin', password: 'x' },
      { ca, origin: http },
    );
    expect(post.status).toBe(403);
    const ws = await signedInClient(server.origin, { cookie, ca, origin: http }).then(
      () => 'opened',
      (err: Error) => err.message,
    );
    expect(ws).toMatch(/HTTP 403/);
  });

  it('does not speak plain HTTP on the TLS port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/' }, (res) =>
        resolve(`HTTP ${res.statusCode}`),
      );
      req.on('error', (err) => resolve(err.message));
      req.end();
    });
    expect(outcome).not.toMatch(/^HTTP 200/);
  });
});

describe('bind warnings', () => {
  it('warns about a reachable address without TLS, not about loopback or TLS', () => {
    expect(bindWarnings('0.0.0.0', false)[0]).toMatch(/without TLS.*--tls-cert/);
    expect(bindWarnings('192.0.2.10', false)).toHaveLength(1);
    expect(bindWarnings('127.0.0.1', false)).toEqual([]);
    expect(bindWarnings('::1', false)).toEqual([]);
    expect(bindWarnings('0.0.0.0', true)).toEqual([]);
  });
});
