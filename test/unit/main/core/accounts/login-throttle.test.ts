// Sign-in throttling on a real SQLite file: the waits double past the free failures, a lock after
// too many, per name and per address separately, surviving a reopen, lifted by an admin or by time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addressScope,
  DEFAULT_THROTTLE,
  LoginThrottle,
  requiredDelayMs,
  userScope,
} from '../../../../../main/core/accounts/login-throttle';
import { openDatabase, type Db } from '../../../../../main/core/store/database';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-throttle-'));
  db = openDatabase({ path: join(dir, 'h.db') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('requiredDelayMs', () => {
  it('is free for three failures of a name, then 1 s doubling up to a minute', () => {
    const waits = Array.from({ length: 12 }, (_, n) => requiredDelayMs(n, DEFAULT_THROTTLE));
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('gives an address (many people behind one proxy) ten free failures', () => {
    expect(requiredDelayMs(9, DEFAULT_THROTTLE, 'addr:10.0.0.1')).toBe(0);
    expect(requiredDelayMs(10, DEFAULT_THROTTLE, 'addr:10.0.0.1')).toBe(1000);
  });
});

describe('LoginThrottle', () => {
  const t0 = 1_700_000_000_000;
  const alice = [userScope('Alice '), addressScope('10.0.0.1')];

  it('names scopes case-insensitively, and an unknown address as such', () => {
    expect(userScope(' Alice')).toBe('user:alice');
    expect(addressScope(undefined)).toBe('addr:unknown');
  });

  it('asks for a wait after the free failures and says how long is left', () => {
    const throttle = new LoginThrottle(db);
    for (let i = 0; i < 3; i++) {
      expect(throttle.check(alice, t0 + i)).toEqual({ ok: true });
      throttle.fail(alice, t0 + i);
    }
    expect(throttle.check(alice, t0 + 500)).toEqual({
      ok: false,
      code: 'rate_limited',
      retryAfterMs: 1000 - (500 - 2),
      scope: 'user:alice',
    });
    expect(throttle.check(alice, t0 + 1002)).toEqual({ ok: true });
  });

  it('locks a name after ten failures, keeps the lock across a reopen, and lifts it after the lock time', () => {
    const throttle = new LoginThrottle(db);
    let locked: string[] = [];
    for (let i = 0; i < 10; i++) locked = throttle.fail(alice, t0 + i * 61_000);
    expect(locked).toEqual(['user:alice']);
    const reopened = new LoginThrottle(db);
    const verdict = reopened.check(alice, t0 + 10 * 61_000);
    expect(verdict).toMatchObject({ ok: false, code: 'locked', scope: 'user:alice' });
    expect(reopened.lockedUntil('user:alice', t0 + 10 * 61_000)).toBe(t0 + 9 * 61_000 + 15 * 60_000);
    expect(reopened.check(alice, t0 + 9 * 61_000 + 15 * 60_000 + 1)).toEqual({ ok: true });
  });

  it('forgets a name’s failures on success and after the window; an address keeps its own', () => {
    const throttle = new LoginThrottle(db);
    for (let i = 0; i < 3; i++) throttle.fail(alice, t0);
    throttle.succeed('user:alice');
    expect(throttle.check([userScope('alice')], t0 + 1)).toEqual({ ok: true });
    const count = (scope: string) =>
      (db.prepare('SELECT count(*) AS n FROM login_failures WHERE scope = ?').get(scope) as { n: number }).n;
    expect(count('addr:10.0.0.1')).toBe(3);
    for (let i = 0; i < 3; i++) throttle.fail([userScope('bob')], t0);
    expect(throttle.check([userScope('bob')], t0 + 15 * 60_000 + 1)).toEqual({ ok: true });
    throttle.prune(t0 + 15 * 60_000 + 1);
    expect(count('user:bob')).toBe(0);
  });

  it('lets an admin unlock a name at once', () => {
    const throttle = new LoginThrottle(db);
    for (let i = 0; i < 10; i++) throttle.fail(alice, t0 + i * 61_000);
    expect(throttle.unlock('user:alice')).toBe(true);
    expect(throttle.check([userScope('alice')], t0 + 10 * 61_000)).toEqual({ ok: true });
    expect(throttle.unlock('user:alice')).toBe(false);
  });
});
