// Access rules of the WebSocket and the sign-in endpoints: Host and Origin checks, and where an
// access key is read from, with request-shaped stand-ins. (Credentials: test/integration/server.)
import type { IncomingMessage } from 'node:http';
import {
  allowedHosts,
  checkOrigin,
  checkUpgrade,
  isLoopback,
  tokenFromRequest,
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
  it('lets a request with the right Host and Origin through', () => {
    expect(checkUpgrade(request(good), hosts)).toBeUndefined();
    expect(
      checkUpgrade(request({ ...good, host: 'LOCALHOST:4000', origin: 'http://[::1]:4000' }), hosts),
    ).toBeUndefined();
  });

  it.each([
    ['a missing Host', { host: undefined }],
    ['a foreign Host', { host: 'evil.example:4000' }],
    ['a Host with another port', { host: '127.0.0.1:4001' }],
  ])('refuses %s with 403', (_what, change) => {
    expect(checkUpgrade(request({ ...good, ...change }), hosts)?.status).toBe(403);
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
    expect(checkUpgrade(request({ ...good, origin }), hosts)?.status).toBe(403);
  });

  it('wants the scheme the server speaks: an http Origin is refused by an https server', () => {
    const tls = allowedHosts('127.0.0.1', 4000, [], true);
    expect(
      checkUpgrade(request({ ...good, origin: 'https://127.0.0.1:4000' }), tls, 'https'),
    ).toBeUndefined();
    expect(checkUpgrade(request(good), tls, 'https')?.status).toBe(403);
    expect(checkUpgrade(request({ ...good, origin: 'https://127.0.0.1:4000' }), hosts, 'http')?.status).toBe(
      403,
    );
  });
});

describe('checkOrigin (sign-in POSTs)', () => {
  it('accepts this server and refuses other sites, a missing Origin and "null"', () => {
    expect(checkOrigin(request({ origin: 'http://localhost:4000' }), hosts, 'http')).toBeUndefined();
    for (const origin of [undefined, 'null', 'http://evil.example', 'http://127.0.0.1:4001', 'not a url']) {
      expect(checkOrigin(request({ origin }), hosts, 'http')?.status).toBe(403);
    }
  });
});

describe('tokenFromRequest', () => {
  it('reads an access key from the subprotocol list', () => {
    expect(tokenFromRequest(request(good))).toBe(TOKEN);
    expect(tokenFromRequest(request({ 'sec-websocket-protocol': 'hyperion.v1' }))).toBeUndefined();
    expect(tokenFromRequest(request({}))).toBeUndefined();
  });
});
