// @vitest-environment jsdom
// The fleet table driven by keys alone, over an in-memory client: select, keep the order while
// selected, open, release, and jump to the filter box.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../../common/api';
import type { Host, HostStatus } from '../../../../../common/schemas/hosts';
import { ClientProvider } from '../../../../../renderer/src/api/context';
import type { ClientSetup, HyperionClient } from '../../../../../renderer/src/api/client';
import type { HostsState } from '../../../../../renderer/src/hooks/useHosts';
import { useHashRoute } from '../../../../../renderer/src/hooks/useHashRoute';
import { FleetView } from '../../../../../renderer/src/views/fleet/FleetView';
import { makeSample } from '../../../../helpers/samples';

/** A client whose only stream is metrics.live, fed by the test. */
function fakeClient() {
  const listeners = new Set<(event: LiveEvent) => void>();
  const client = {
    state: 'open',
    call: () => Promise.reject(new Error('no calls in this test')),
    subscribe: (stream: string, _params: unknown, callbacks: { onEvent: (e: LiveEvent) => void }) => {
      if (stream !== 'metrics.live') return () => {};
      listeners.add(callbacks.onEvent);
      return () => listeners.delete(callbacks.onEvent);
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
    subscribers: () => listeners.size,
    emit: (event: LiveEvent) => {
      for (const l of listeners) l(event);
    },
  };
}

function host(id: string, tags: string[]): Host {
  return { id, name: id, address: `${id}.example`, port: 22, tags } as unknown as Host;
}

const hosts = [host('web1', ['web']), host('db1', ['db'])];
const hostsState: HostsState = {
  hosts,
  statuses: new Map(
    hosts.map((h) => [
      h.id,
      { id: h.id, state: 'up', message: '', wireBytesPerSec: 100 } as unknown as HostStatus,
    ]),
  ),
  loaded: true,
  error: undefined,
  reload: () => {},
};

/** Host ids in the order the table shows them. */
function order(): string[] {
  return within(screen.getByTestId('fleet-table'))
    .getAllByRole('row')
    .map((tr) => tr.dataset.testid?.replace('fleet-row-', ''))
    .filter((id): id is string => id !== undefined);
}

function selectedRow(): string | undefined {
  return document.querySelector<HTMLElement>('tr[aria-selected=true]')?.dataset.testid;
}

/** The fleet as the app draws it: its filters come from the URL. */
function RoutedFleet() {
  const route = useHashRoute();
  return <FleetView hostsState={hostsState} params={route.params} onAddHost={() => {}} onImport={() => {}} />;
}

/** Waits for the hashchange a link click caused. */
const settle = () => act(() => new Promise<void>((r) => setTimeout(r, 0)));

const key = (k: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k });

describe('fleet keyboard', () => {
  let fake: ReturnType<typeof fakeClient>;

  async function tick(cpu: Record<string, number>, ts: number) {
    await act(async () => {
      fake.emit({
        snapshot: false,
        samples: Object.entries(cpu).map(([id, usage]) => makeSample(id, ts, usage)),
      });
      await new Promise((r) => setTimeout(r, 80));
    });
  }

  beforeEach(async () => {
    window.location.hash = '#/fleet';
    fake = fakeClient();
    render(
      <ClientProvider setup={fake.setup}>
        <RoutedFleet />
      </ClientProvider>,
    );
    await tick({ local: 50, web1: 10, db1: 90 }, 1000);
    // Busiest CPU first.
    fireEvent.click(screen.getByRole('button', { name: /^CPU/ }));
  });

  afterEach(cleanup);

  it('subscribes once for all hosts and draws a sparkline per figure', () => {
    expect(fake.subscribers()).toBe(1);
    expect(order()).toEqual(['db1', 'local', 'web1']);
    expect(screen.getByTestId('fleet-row-db1').querySelectorAll('svg.sparkline')).toHaveLength(3);
  });

  it('moves a visible selection with arrows and j/k, holding the order while selected', async () => {
    expect(screen.queryByTestId('order-paused')).toBeNull();
    key('ArrowDown');
    expect(selectedRow()).toBe('fleet-row-db1');
    expect(document.activeElement?.textContent).toBe('db1');
    expect(screen.getByTestId('order-paused').textContent).toMatch(/Order paused/);

    // web1 becomes the busiest: the rows stay put and the selection stays on db1.
    await tick({ local: 50, web1: 99, db1: 20 }, 2000);
    expect(order()).toEqual(['db1', 'local', 'web1']);
    expect(selectedRow()).toBe('fleet-row-db1');

    key('j');
    expect(selectedRow()).toBe('fleet-row-local');
    key('ArrowDown');
    key('ArrowDown');
    expect(selectedRow()).toBe('fleet-row-web1');
    key('k');
    expect(selectedRow()).toBe('fleet-row-local');

    // Releasing the selection lets the table sort again.
    key('Escape');
    expect(selectedRow()).toBeUndefined();
    expect(screen.queryByTestId('order-paused')).toBeNull();
    expect(order()).toEqual(['web1', 'local', 'db1']);
  });

  it('opens the selected host with Enter', () => {
    key('ArrowDown');
    key('ArrowDown');
    key('Enter');
    expect(window.location.hash).toBe('#/host/local');
  });

  it('focuses the filter box with "/" and leaves typed keys alone there', () => {
    key('/');
    const box = screen.getByRole('searchbox', { name: 'Filter hosts' });
    expect(document.activeElement).toBe(box);
    key('j');
    expect(selectedRow()).toBeUndefined();
  });

  it('filters by a tag chip and by a count, says which is on, and keeps it in the URL', async () => {
    fireEvent.click(within(screen.getByTestId('fleet-row-web1')).getByRole('button', { name: 'web' }));
    await settle();
    expect(window.location.hash).toBe('#/fleet?tag=web');
    expect(order()).toEqual(['web1']);
    expect(screen.getByRole('status').textContent).toBe('Showing 1 of 3 hosts');
    fireEvent.click(screen.getByRole('button', { name: /Stop filtering by tag web/ }));
    await settle();
    const up = screen.getByRole('link', { name: /Up$/ });
    expect(up.getAttribute('aria-current')).toBeNull();
    // Every count is a link to exactly its rows.
    expect(up.getAttribute('href')).toBe('#/fleet?state=up');
    window.location.hash = up.getAttribute('href')!;
    await settle();
    expect(screen.getByRole('link', { name: /Up$/ }).getAttribute('aria-current')).toBe('true');
    expect(order()).toHaveLength(3);
    window.location.hash = screen.getByRole('link', { name: /Need attention$/ }).getAttribute('href')!;
    await settle();
    expect(order()).toEqual([]);
  });

  it('groups by tag with a header per tag', () => {
    fireEvent.click(screen.getByRole('checkbox', { name: 'Group by tag' }));
    const headers = screen.getAllByTestId('fleet-group').map((g) => g.textContent);
    expect(headers).toEqual(['db · 1 host', 'web · 1 host', 'Untagged · 1 host']);
  });
});

describe('fleet keyboard from outside the table', () => {
  afterEach(cleanup);
  it('takes j from a focused checkbox', () => {
    const fake = fakeClient();
    render(
      <ClientProvider setup={fake.setup}>
        <FleetView hostsState={hostsState} onAddHost={() => {}} onImport={() => {}} />
      </ClientProvider>,
    );
    const box = screen.getByRole('checkbox', { name: 'Group by tag' });
    box.focus();
    fireEvent.keyDown(box, { key: 'j' });
    expect(selectedRow()).toBeDefined();
  });
});
