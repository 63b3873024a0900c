// Access rules of the WebSocket: Host, Origin and token checks, with request-shaped stand-ins.
import type { IncomingMessage } from 'node:http';
import {
  allowedHosts,
  bearerToken,
  checkUpgrade,
  createAccessToken,
  isLoopback,
  tokenFromRequest,
  tokensEqual,
} from '../../../../main/server/access';

const TOKEN = 'tok_0123456789abcdefABCDEF';
const hosts = allowedHosts('127.0.0.1', 4000);

function request(headers: Record<string, string | undefined>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

const good = {
  host: '127.0.0.1:4000',
  origin: 'http://127.0.0.1:4000',
  'sec-websocket-protocol': `hyperion.v1, hyperion.token.${TOKEN}`,
};

describe('allowedHosts', () => {
  it('adds every loopback name with the port for a loopback bind', () => {
    expect([...allowedHosts('127.0.0.1', 4000)].sort()).toEqual(
      ['127.0.0.1:4000', '[::1]:4000', 'localhost:4000'].sort(),
    );
    expect(allowedHosts('localhost', 81).has('127.0.0.1:81')).toBe(true);
  });

  it('also accepts the port-less Host browsers send for port 80', () => {
    expect(allowedHosts('127.0.0.1', 80).has('127.0.0.1')).toBe(true);
    expect(allowedHosts('127.0.0.1', 81).has('127.0.0.1')).toBe(false);
  });

  it('brackets an IPv6 bind address and keeps an already bracketed one', () => {
    expect(allowedHosts('::1', 4000).has('[::1]:4000')).toBe(true);
    expect(allowedHosts('::1', 4000).has('::1:4000')).toBe(false);
    expect([...allowedHosts('fd00::5', 4000)]).toEqual(['[fd00::5]:4000']);
    expect(allowedHosts('[fd00::5]', 4000).has('[fd00::5]:4000')).toBe(true);
  });

  it('does not add loopback names for a specific LAN address, and adds extra hosts lowercased', () => {
    const lan = allowedHosts('192.168.1.10', 4000, ['Console.Example.COM']);
    expect(lan.has('192.168.1.10:4000')).toBe(true);
    expect(lan.has('127.0.0.1:4000')).toBe(false);
    expect(lan.has('console.example.com')).toBe(true);
  });

  it('treats any wildcard bind like loopback for the local names', () => {
    expect(allowedHosts('0.0.0.0', 4000).has('localhost:4000')).toBe(true);
    expect(allowedHosts('::', 4000).has('[::]:4000')).toBe(true);
  });
});

describe('isLoopback', () => {
  it('knows the loopback names and the 127/8 range', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]']) expect(isLoopback(a)).toBe(true);
    for (const a of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopback(a)).toBe(false);
  });
});

describe('checkUpgrade', () => {
  it('lets a request with the right Host, Origin and token through', () => {
    expect(checkUpgrade(request(good), TOKEN, hosts)).toBeUndefined();
    expect(
      checkUpgrade(request({ ...good, host: 'LOCALHOST:4000', origin: 'http://[::1]:4000' }), TOKEN, hosts),
    ).toBeUndefined();
  });

  it.each([
    ['a missing Host', { host: undefined }],
    ['a foreign Host', { host: 'evil.example:4000' }],
    ['a Host with another port', { host: '127.0.0.1:4001' }],
  ])('refuses %s with 403', (_what, change) => {
    expect(checkUpgrade(request({ ...good, ...change }), TOKEN, hosts)?.status).toBe(403);
  });

  it.each([
    ['a missing Origin', undefined],
    ['a foreign Origin', 'http://evil.example:4000'],
    ['an Origin with another port', 'http://127.0.0.1:4001'],
    ['a file: Origin', 'file://'],
    ['a null Origin', 'null'],
    ['a ws: Origin', 'ws://127.0.0.1:4000'],
    ['an app: Origin', 'app://127.0.0.1:4000'],
  ])('refuses %s with 403', (_what, origin) => {
    expect(checkUpgrade(request({ ...good, origin }), TOKEN, hosts)?.status).toBe(403);
  });

  it.each([
    ['no token', 'hyperion.v1'],
    ['no subprotocol header at all', undefined],
    ['a wrong token of the same length', `hyperion.v1, hyperion.token.${TOKEN.replace('t', 'T')}`],
    ['a shorter token', `hyperion.v1, hyperion.token.${TOKEN.slice(1)}`],
    ['an empty token', 'hyperion.v1, hyperion.token.'],
  ])('refuses %s with 401', (_what, protocols) => {
    expect(
      checkUpgrade(request({ ...good, 'sec-websocket-protocol': protocols }), TOKEN, hosts)?.status,
    ).toBe(401);
  });

  it('checks Host and Origin before the token, so a stranger learns nothing about the token', () => {
    const refusal = checkUpgrade(
      request({ ...good, origin: 'http://evil.example', 'sec-websocket-protocol': '' }),
      TOKEN,
      hosts,
    );
    expect(refusal?.status).toBe(403);
  });
});

describe('tokens', () => {
  it('compares tokens exactly, including ones of different lengths', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensEqual(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    expect(tokensEqual('é', 'ab')).toBe(false); // same UTF-16 length, different byte length
  });

  it('creates long, URL-safe, different tokens', () => {
    const a = createAccessToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(createAccessToken()).not.toBe(a);
  });

  it('reads the token from the subprotocol list', () => {
    expect(tokenFromRequest(request(good))).toBe(TOKEN);
    expect(tokenFromRequest(request({ 'sec-websocket-protocol': 'hyperion.v1' }))).toBeUndefined();
  });

  it('parses an Authorization: Bearer header', () => {
    expect(bearerToken(request({ authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(bearerToken(request({}))).toBeUndefined();
    expect(bearerToken(request({ authorization: TOKEN }))).toBeUndefined();
    expect(bearerToken(request({ authorization: `Basic ${TOKEN}` }))).toBeUndefined();
    expect(bearerToken(request({ authorization: 'Bearer ' }))).toBeUndefined();
    expect(bearerToken(request({ authorization: `Bearer ${TOKEN} extra` }))).toBeUndefined();
    expect(bearerToken(request({ authorization: 'Bearer a.b' }))).toBeUndefined();
    // The scheme name is case-insensitive (RFC 9110).
    expect(bearerToken(request({ authorization: `bearer ${TOKEN}` }))).toBe(TOKEN);
  });
});
