// @vitest-environment jsdom
// The two registries other features plug into: host tabs and rail pages, ordered per UI.md 18
// whatever the order of their lines.
import { describe, expect, it } from 'vitest';
import { orderPages, PAGE_ORDER, RAIL_PAGES, type RailPage } from '../../../../../renderer/src/rail-pages';
import {
  findTab,
  HOST_TABS,
  orderTabs,
  type HostTab,
} from '../../../../../renderer/src/views/host/host-tab-registry';

const Nothing = () => null;
const tool = (id: string): HostTab => ({ id, label: id, kind: 'tool', Content: Nothing });

describe('host tab registry', () => {
  it('registers the metric tabs, Overview first, each with live content and history', () => {
    const metrics = HOST_TABS.filter((t) => t.kind === 'metrics');
    expect(metrics.map((t) => t.id)).toEqual(['overview', 'cpu', 'memory', 'network', 'disks']);
    expect(HOST_TABS.slice(0, 5)).toEqual(metrics);
    for (const tab of metrics) {
      expect(tab.kind).toBe('metrics');
      if (tab.kind === 'metrics') expect(tab.History).toBeTypeOf('function');
    }
    expect(new Set(HOST_TABS.map((t) => t.id)).size).toBe(HOST_TABS.length);
    for (const tab of HOST_TABS) expect(tab.id).toMatch(/^[a-z0-9-]+$/);
  });

  it('puts tool tabs in UI.md order whatever order they were added in, unknown ones last', () => {
    const ordered = orderTabs([
      tool('files'),
      tool('zzz'),
      tool('terminal'),
      ...HOST_TABS.filter((t) => t.kind === 'metrics'),
      tool('processes'),
      tool('logs'),
      tool('services'),
    ]);
    expect(ordered.map((t) => t.id)).toEqual([
      'overview',
      'cpu',
      'memory',
      'network',
      'disks',
      'processes',
      'services',
      'logs',
      'terminal',
      'files',
      'zzz',
    ]);
  });

  it('finds a tab by id; no id means Overview, an unknown id nothing', () => {
    expect(findTab(undefined)?.id).toBe('overview');
    expect(findTab('memory')?.label).toBe('Memory');
    expect(findTab('no-such-tab')).toBeUndefined();
  });
});

describe('rail pages', () => {
  it('registers only pages that exist, in UI.md order', () => {
    const ids = RAIL_PAGES.map((p) => p.id);
    expect(ids).toEqual(PAGE_ORDER.filter((id) => ids.includes(id)));
    expect(ids).toContain('fleet');
    expect(ids).toContain('settings');
    expect(RAIL_PAGES.find((p) => p.id === 'settings')?.placement).toBe('end');
    const keys = RAIL_PAGES.flatMap((p) => (p.key ? [p.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('orders pages added in any order', () => {
    const page = (id: string): RailPage => ({ id, label: id, Content: Nothing });
    expect(
      orderPages([page('settings'), page('x'), page('audit'), page('fleet'), page('alerts')]).map(
        (p) => p.id,
      ),
    ).toEqual(['fleet', 'alerts', 'audit', 'settings', 'x']);
  });
});
