// @vitest-environment jsdom
// The host tabs drawn from made-up samples: the tab bar by keys, "no errors" when a link is clean,
// and disk space states said in words, not colour alone.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkInterfaceSample } from '../../../../../../common/schemas/metrics';
import type { Sample } from '../../../../../../common/schemas/sample';
import { HOST_TABS } from '../../../../../../renderer/src/views/host/host-tab-registry';
import { HostTabBar, LiveMetricsView } from '../../../../../../renderer/src/views/host/HostTabs';
import { DisksTab } from '../../../../../../renderer/src/views/host/tabs/DisksTab';
import { NetworkTab } from '../../../../../../renderer/src/views/host/tabs/NetworkTab';
import { makeSample } from '../../../../../helpers/samples';

beforeAll(() => {
  // recharts' ResponsiveContainer measures its box; jsdom has no layout.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});
afterEach(cleanup);

function iface(name: string, over: Partial<NetworkInterfaceSample> = {}): NetworkInterfaceSample {
  return {
    name,
    rxBytesPerSec: 1000,
    txBytesPerSec: 500,
    rxPacketsPerSec: 10,
    txPacketsPerSec: 5,
    rxErrorsPerSec: 0,
    txErrorsPerSec: 0,
    rxDropsPerSec: 0,
    txDropsPerSec: 0,
    ...over,
  };
}

function samples(interfaces: (ts: number) => NetworkInterfaceSample[]): Sample[] {
  return [1000, 2000, 3000].map((ts) => {
    const s = makeSample('web1', ts);
    s.network = { interfaces: interfaces(ts) };
    s.disks = {
      filesystems: [fs('/', 50), fs('/var', 85), fs('/srv', 95)],
      devices: [
        { name: 'sda', readBytesPerSec: 1, writeBytesPerSec: 2, readIops: 1, writeIops: 1, busyPercent: 3 },
      ],
    };
    return s;
  });
}

function fs(mount: string, usedPercent: number) {
  const size = 100 * 2 ** 30;
  return {
    mount,
    device: `/dev/${mount.length}`,
    fsType: 'ext4',
    sizeBytes: size,
    usedBytes: (size * usedPercent) / 100,
    freeBytes: (size * (100 - usedPercent)) / 100,
    usedPercent,
    inodesTotal: 1,
    inodesUsed: 0,
  };
}

describe('NetworkTab', () => {
  it('says "no errors" for a clean interface and hides loopback until asked', () => {
    render(<NetworkTab samples={samples(() => [iface('lo'), iface('eth0')])} syncId="t" />);
    const eth0 = screen.getByTestId('interface-eth0-errors');
    expect(within(eth0).getByRole('status').textContent).toMatch(/No errors or drops/);
    expect(screen.queryByTestId('interface-lo')).toBeNull();
    fireEvent.click(screen.getByTestId('show-loopback'));
    expect(screen.getByTestId('interface-lo')).toBeTruthy();
    expect(within(screen.getByTestId('network-panel')).getByText('lo')).toBeTruthy();
  });

  it('draws errors instead of the "no errors" state once any appear', () => {
    render(
      <NetworkTab
        samples={samples((ts) => [iface('eth0', { rxErrorsPerSec: ts === 3000 ? 2 : 0 })])}
        syncId="t"
      />,
    );
    const eth0 = screen.getByTestId('interface-eth0-errors');
    expect(within(eth0).queryByText(/No errors or drops/)).toBeNull();
    expect(within(eth0).getByText(/errors in ↑/)).toBeTruthy();
  });
});

describe('DisksTab', () => {
  it('labels space thresholds in words and icons, with free and size', () => {
    render(<DisksTab samples={samples(() => [])} syncId="t" />);
    expect(screen.getByTestId('space-state-/').textContent).toMatch(/✓\s*50 %$/);
    expect(screen.getByTestId('space-state-/var').textContent).toMatch(/85 % warning/);
    expect(screen.getByTestId('space-state-/srv').textContent).toMatch(/95 % critical/);
    expect(screen.getByRole('meter', { name: '/srv used, critical' })).toBeTruthy();
    const row = screen.getByText('/var').closest('tr')!;
    expect(row.textContent).toContain('15.0 GiB');
    expect(row.textContent).toContain('100 GiB');
  });
});

describe('host tabs', () => {
  function Harness() {
    const [tab, setTab] = useState('overview');
    const current = HOST_TABS.find((t) => t.id === tab)!;
    return (
      <>
        <HostTabBar hostId="web1" current={tab} panelId="p" onSelect={setTab} />
        <div role="tabpanel" aria-labelledby={`p-tab-${tab}`}>
          {current.kind === 'metrics' && (
            <LiveMetricsView
              hostId="web1"
              tab={current}
              samples={samples(() => [iface('eth0')])}
              syncId="t"
            />
          )}
        </div>
      </>
    );
  }

  it('opens on Overview with the CPU chart, and moves between tabs with arrow keys', () => {
    render(<Harness />);
    const tabs = screen.getAllByRole('tab');
    // The metric groups first, in UI.md's order; the tools (processes, services, …) after them.
    expect(tabs.slice(0, 5).map((t) => t.textContent)).toEqual([
      'Overview',
      'CPU',
      'Memory',
      'Network',
      'Disks',
    ]);
    expect(tabs.slice(5).map((t) => t.textContent)).toEqual(
      HOST_TABS.filter((t) => t.kind === 'tool').map((t) => t.label),
    );
    expect(tabs[0]!.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('cpu-usage-panel')).toBeTruthy();

    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'CPU' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'CPU' }));
    expect(screen.getByTestId('core-grid')).toBeTruthy();

    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(tabs.at(-1)!.getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: 'Disks' }));
    expect(screen.getByTestId('filesystems-panel')).toBeTruthy();

    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
      screen.getByRole('tab', { name: 'Overview' }).id,
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Memory' }));
    expect(screen.getByTestId('memory-facts').textContent).toMatch(/Used2\.00 GiB of 8\.00 GiB \(25 %\)/);
  });

  it('navigates by URL when no handler is given: the tab is remembered in "#/host/<id>/<tab>"', () => {
    window.location.hash = '#/host/web1';
    render(<HostTabBar hostId="web1" current="overview" panelId="p" />);
    fireEvent.click(screen.getByRole('tab', { name: 'Network' }));
    expect(window.location.hash).toBe('#/host/web1/network');
  });
});
