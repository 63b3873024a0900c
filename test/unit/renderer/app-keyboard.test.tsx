// @vitest-environment jsdom
// The whole app over an in-memory client, driven by keys: Ctrl+K finds and opens a host, "?" lists
// the shortcuts, digits switch the host's tab, and the time keys pause and resume live.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../common/api';
import type { Host, HostStatus } from '../../../common/schemas/hosts';
import type { ClientSetup, HyperionClient } from '../../../renderer/src/api/client';
import { App } from '../../../renderer/src/App';
import { AccountShell } from '../../../renderer/src/views/accounts/AccountShell';
import { TimeRangeProvider } from '../../../renderer/src/hooks/useTimeRange';
import { makeSample } from '../../helpers/samples';

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

function host(id: string, name: string, tags: string[] = []): Host {
  return {
    id,
    name,
    address: `${id}.example`,
    port: 22,
    username: 'ops',
    tags,
    auth: { method: 'agent', keyPath: null, hasSecret: false },
    proxyJump: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

const HOSTS = [host('web1', 'web-frontend', ['web']), host('db1', 'database', ['db'])];

function status(id: string, state: HostStatus['state']): HostStatus {
  return {
    id,
    state,
    message: state === 'up' ? 'Connected.' : 'Cannot reach it.',
    since: 0,
    nextRetryAt: null,
    rttMs: 3,
    wireBytesPerSec: 800,
    samplerCpuPercent: 0.2,
    sampleIntervalMs: 1000,
    hostKey: null,
  };
}

function fakeClient() {
  const live = new Set<(e: LiveEvent) => void>();
  const calls: string[] = [];
  const client = {
    state: 'open',
    call: (method: string) => {
      calls.push(method);
      if (method === 'app.info')
        return Promise.resolve({
          name: 'Hyperion',
          version: '0.1.0',
          platform: 'linux',
          hostname: 'ws',
          startedAt: 0,
          now: Date.now(),
          sampleIntervalMs: 1000,
        });
      if (method === 'hosts.list') return Promise.resolve(HOSTS);
      return Promise.reject(new Error(`no ${method} in this test`));
    },
    subscribe: (stream: string, _params: unknown, callbacks: { onEvent: (e: unknown) => void }) => {
      if (stream === 'hosts.status') {
        queueMicrotask(() =>
          callbacks.onEvent({
            snapshot: true,
            hosts: [status('web1', 'up'), status('db1', 'unreachable')],
            removed: [],
          }),
        );
        return () => {};
      }
      if (stream === 'metrics.live') {
        live.add(callbacks.onEvent);
        return () => live.delete(callbacks.onEvent);
      }
      return () => {};
    },
    onState: () => () => {},
    close: () => {},
  } as unknown as HyperionClient;
  const setup: ClientSetup = {
    client,
    onRetry: () => () => {},
    onSignedOut: () => () => {},
    mode: 'desktop',
  };
  return {
    setup,
    calls,
    emit: (event: LiveEvent) => {
      for (const l of live) l(event);
    },
  };
}

const settle = () => act(() => new Promise<void>((r) => setTimeout(r, 20)));
const press = (key: string, init: KeyboardEventInit = {}) =>
  fireEvent.keyDown(document.activeElement ?? document.body, { key, ...init });

describe('the app by keyboard', () => {
  let fake: ReturnType<typeof fakeClient>;

  beforeEach(async () => {
    window.location.hash = '#/fleet';
    localStorage.clear();
    fake = fakeClient();
    render(
      <AccountShell setup={fake.setup}>
        <TimeRangeProvider>
          <App />
        </TimeRangeProvider>
      </AccountShell>,
    );
    await settle();
  });
  afterEach(cleanup);

  it('opens the palette with Ctrl+K, finds a host by a few letters and opens it', async () => {
    press('k', { ctrlKey: true });
    const palette = screen.getByTestId('command-palette');
    const input = within(palette).getByRole('combobox');
    expect(document.activeElement).toBe(input);
    // Hosts, pages and actions are all there before typing.
    const names = within(palette)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(names.some((n) => n?.startsWith('web-frontend'))).toBe(true);
    expect(names.some((n) => n?.startsWith('Settings'))).toBe(true);
    expect(names.some((n) => n?.startsWith('Add a host'))).toBe(true);
    fireEvent.change(input, { target: { value: 'webfr' } });
    const first = within(palette).getAllByRole('option')[0]!;
    expect(first.textContent).toMatch(/^web-frontend/);
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(first.id);
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(window.location.hash).toBe('#/host/web1');
    expect(screen.queryByTestId('command-palette')).toBeNull();
  });

  it('reaches a host’s tab and an action from the palette, with arrows', async () => {
    press('k', { metaKey: true });
    const input = screen.getByRole('combobox');
    fireEvent.change(input, { target: { value: 'database disks' } });
    expect(screen.getAllByRole('option')[0]!.textContent).toBe('database › Disks');
    fireEvent.change(input, { target: { value: 'connect' } });
    // Only the unreachable host offers "Connect now".
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Connect database nowUnreachable',
    ]);
    fireEvent.change(input, { target: { value: 'nothing-like-this' } });
    expect(within(screen.getByTestId('command-palette')).getByRole('status').textContent).toMatch(
      /Nothing matches/,
    );
    fireEvent.change(input, { target: { value: 'sett' } });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(window.location.hash).toBe('#/settings');
  });

  it('lists every shortcut with "?", and goes to pages with g then a letter', async () => {
    press('?');
    const help = screen.getByTestId('shortcut-help');
    expect(help.textContent).toContain('Command palette');
    expect(help.textContent).toContain('Pause live, or resume it');
    expect(help.textContent).toContain('Overview tab of the host on screen');
    fireEvent.click(within(help).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
    press('g');
    press('s');
    await settle();
    expect(window.location.hash).toBe('#/settings');
    press('g');
    press('f');
    await settle();
    expect(window.location.hash).toBe('#/fleet');
  });

  it('switches tabs by digit, steps hosts with Shift+J, and pauses and resumes live', async () => {
    window.location.hash = '#/host/web1';
    await settle();
    await act(async () => {
      fake.emit({ snapshot: true, samples: [1000, 2000, 3000].map((ts) => makeSample('web1', ts)) });
    });
    expect(screen.getByTestId('range-live').textContent).toContain('LIVE');
    press('3');
    await settle();
    expect(window.location.hash).toBe('#/host/web1/memory');
    expect(screen.getByRole('tab', { name: 'Memory' }).getAttribute('aria-selected')).toBe('true');
    press('p');
    expect(screen.getByTestId('range-live').textContent).toContain('PAUSED');
    press('p');
    expect(screen.getByTestId('range-live').textContent).toContain('LIVE');
    press('.');
    expect(screen.getByTestId('range-5m').getAttribute('aria-pressed')).toBe('true');
    press('l');
    expect(screen.getByTestId('range-live').getAttribute('aria-pressed')).toBe('true');
    press('z');
    expect(screen.getByTestId('zone-host').getAttribute('aria-checked')).toBe('true');
    press('J', { shiftKey: true });
    await settle();
    // The next host in the rail, on the same tab.
    expect(window.location.hash).toBe('#/host/db1/memory');
  });

  it('types into the fleet filter without triggering shortcuts', async () => {
    const box = screen.getByRole('searchbox', { name: 'Filter hosts' });
    box.focus();
    fireEvent.keyDown(box, { key: 'g' });
    fireEvent.keyDown(box, { key: 's' });
    fireEvent.keyDown(box, { key: '?' });
    await settle();
    expect(window.location.hash).toBe('#/fleet');
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
  });
});
