// The session cookie's attributes, and reading it back from a Cookie header.
import type { IncomingMessage } from 'node:http';
import {
  clearedSessionCookie,
  readCookie,
  sessionCookie,
  sessionCookieName,
} from '../../../../main/server/cookies';

const TOKEN = 'A'.repeat(43);
const req = (cookie?: string) =>
  ({ headers: cookie === undefined ? {} : { cookie } }) as unknown as IncomingMessage;

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, for the whole site, with its lifetime; Secure and __Host- under TLS', () => {
    expect(sessionCookie({ port: 7420, tls: false }, TOKEN, 3600)).toBe(
      `hyperion-7420=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600`,
    );
    expect(sessionCookie({ port: 443, tls: true }, TOKEN, 60)).toBe(
      `__Host-hyperion-443=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure`,
    );
    expect(clearedSessionCookie({ port: 7420, tls: false })).toMatch(/^hyperion-7420=; .*Max-Age=0/);
  });

  it('is named per port, so two servers on one host keep their own', () => {
    expect(sessionCookieName({ port: 7420, tls: false })).not.toBe(
      sessionCookieName({ port: 7421, tls: false }),
    );
  });

  it('is read from among other cookies, and only when it looks like one of ours', () => {
    expect(readCookie(req(`theme=dark; hyperion-7420=${TOKEN}; x=1`), 'hyperion-7420')).toBe(TOKEN);
    expect(readCookie(req(`hyperion-7421=${TOKEN}`), 'hyperion-7420')).toBeUndefined();
    expect(readCookie(req('hyperion-7420=short'), 'hyperion-7420')).toBeUndefined();
    expect(
      readCookie(req('hyperion-7420=bad value with spaces and more text'), 'hyperion-7420'),
    ).toBeUndefined();
    expect(readCookie(req(), 'hyperion-7420')).toBeUndefined();
  });
});
