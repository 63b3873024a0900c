// Which state and sentence each kind of failure leads to.
import { classifyFailure, stateForFailure } from '../../../../../main/core/ssh/connection-state';

const ctx = { label: 'web1:22', port: 22, wasUp: false };
const err = (message: string, extra: { code?: string; level?: string }) =>
  Object.assign(new Error(message), extra);

describe('classifyFailure', () => {
  it.each([
    ['ECONNREFUSED', 'refused', /refused the connection on port 22/],
    ['ENOTFOUND', 'dns', /could not be resolved/],
    ['EAI_AGAIN', 'dns', /could not be resolved/],
    ['ETIMEDOUT', 'timeout', /timed out/],
    ['EHOSTUNREACH', 'network', /no network route/],
  ])('%s → %s', (code, expected, sentence) => {
    const failure = classifyFailure(err(`connect ${code}`, { code, level: 'client-socket' }), ctx);
    expect(failure.code).toBe(expected);
    expect(failure.message).toMatch(sentence);
    expect(failure.details).toEqual({ cause: `connect ${code}` });
    expect(stateForFailure(failure)).toBe('unreachable');
  });

  it('an authentication failure waits for the person', () => {
    const failure = classifyFailure(
      err('All configured authentication methods failed', { level: 'client-authentication' }),
      ctx,
    );
    expect(failure.code).toBe('auth_failed');
    expect(stateForFailure(failure)).toBe('auth_failed');
  });

  it('a drop after login is a lost connection; timeouts and silence say how long', () => {
    expect(
      classifyFailure(err('read ECONNRESET', { code: 'ECONNRESET' }), { ...ctx, wasUp: true }).code,
    ).toBe('connection_lost');
    expect(classifyFailure(undefined, { ...ctx, timedOutAfterMs: 10_000 }).message).toMatch(/within 10 s/);
    expect(classifyFailure(undefined, { ...ctx, wasUp: true, silentAfterPings: 3 }).message).toMatch(
      /3 keepalives without a reply/,
    );
    expect(classifyFailure(undefined, ctx).code).toBe('connection_lost');
    expect(classifyFailure(err('no matching cipher', { level: 'handshake' }), ctx).code).toBe('protocol');
  });

  it('maps host key failures to their states', () => {
    expect(stateForFailure({ code: 'host_key_unknown', message: '' })).toBe('host_key_unknown');
    expect(stateForFailure({ code: 'host_key_mismatch', message: '' })).toBe('host_key_mismatch');
    expect(stateForFailure({ code: 'host_key_revoked', message: '' })).toBe('host_key_mismatch');
    expect(stateForFailure({ code: 'key_unreadable', message: '' })).toBe('auth_failed');
  });
});
