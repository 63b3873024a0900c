// @vitest-environment jsdom
// The idle app lock in the page: after the policy's idle time without input the app asks the core
// to lock and hides everything behind the lock screen; a code unlocks it. Input before then keeps
// it open. Over a scripted client, with fake timers.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY, type Me } from '../../../../../common/schemas/accounts';
import type { ClientSetup, HyperionClient } from '../../../../../renderer/src/api/client';
import { AccountShell } from '../../../../../renderer/src/views/accounts/AccountShell';

function me(): Me {
  return {
    user: {
      username: 'desktop',
      role: 'admin',
      twoFactor: true,
      recoveryCodesLeft: 10,
      twoFactorRequired: false,
      disabled: false,
      mustChangePassword: false,
      lockedUntil: null,
      createdAt: 0,
      createdBy: null,
      lastLoginAt: null,
      lastLoginAddress: null,
      activeSessions: 0,
    },
    kind: 'desktop',
    role: 'admin',
    session: null,
    policy: { ...DEFAULT_POLICY, appLock: { enabled: true, idleMinutes: 2 } },
    stepUpUntil: null,
    locked: false,
  };
}

function scriptedClient() {
  const calls: { method: string; input: unknown }[] = [];
  const client = {
    state: 'open',
    call: async (method: string, input: unknown) => {
      calls.push({ method, input });
      if (method === 'accounts.me') return me();
      if (method === 'accounts.lock') return { locked: true };
      if (method === 'accounts.unlock') return { locked: false };
      return {};
    },
    subscribe: () => () => {},
    onState: () => () => {},
    close: () => {},
  } as unknown as HyperionClient;
  const setup: ClientSetup = {
    client,
    onRetry: () => () => {},
    onSignedOut: () => () => {},
    mode: 'desktop',
  };
  return { setup, calls };
}

beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the idle app lock', () => {
  it('locks after the idle time, hides the app, and unlocks with a code', async () => {
    const { setup, calls } = scriptedClient();
    render(
      <AccountShell setup={setup}>
        <p>the app</p>
      </AccountShell>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(calls.some((c) => c.method === 'accounts.me')).toBe(true);
    // Input at 90 s restarts the idle clock: no lock at 2 min.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(90_000);
      fireEvent.keyDown(window, { key: 'a' });
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(calls.some((c) => c.method === 'accounts.lock')).toBe(false);
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(61_000);
    });
    expect(calls.filter((c) => c.method === 'accounts.lock')).toHaveLength(1);
    const lock = await screen.findByTestId('lock-screen');
    expect(lock.textContent).toContain('Hyperion is locked');
    fireEvent.change(lock.querySelector('input[name=otp]')!, { target: { value: '123456' } });
    await act(async () => {
      fireEvent.submit(lock.querySelector('form')!);
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(calls.find((c) => c.method === 'accounts.unlock')?.input).toEqual({ otp: '123456' });
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });
});
