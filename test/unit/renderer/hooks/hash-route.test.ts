// The hash router: every view linkable, a host's tab in the URL, counts linking to their rows.
import { describe, expect, it } from 'vitest';
import {
  hostHref,
  pageHref,
  parseRoute,
  routeHref,
  type Route,
} from '../../../../renderer/src/hooks/useHashRoute';

describe('parseRoute', () => {
  it('defaults to the fleet and knows rail pages by id', () => {
    expect(parseRoute('')).toEqual({ page: 'page', id: 'fleet', path: [], params: {} });
    expect(parseRoute('#/')).toMatchObject({ page: 'page', id: 'fleet' });
    expect(parseRoute('#/settings')).toEqual({ page: 'page', id: 'settings', path: [], params: {} });
    // An id the app does not know stays what it is: the frame says "no such page" rather than guess.
    expect(parseRoute('#/alerts/rule/7?host=web1')).toEqual({
      page: 'page',
      id: 'alerts',
      path: ['rule', '7'],
      params: { host: 'web1' },
    });
  });

  it('reads a host with or without a tab, and its parameters', () => {
    expect(parseRoute('#/host/web-1-abc123')).toEqual({
      page: 'host',
      hostId: 'web-1-abc123',
      tab: undefined,
      params: {},
    });
    expect(parseRoute('#/host/web1/cpu')).toMatchObject({ page: 'host', hostId: 'web1', tab: 'cpu' });
    expect(parseRoute('#/host/web1/processes?sort=cpu&pid=42')).toEqual({
      page: 'host',
      hostId: 'web1',
      tab: 'processes',
      params: { sort: 'cpu', pid: '42' },
    });
    // "#/host" alone is not a host: back to the fleet.
    expect(parseRoute('#/host')).toMatchObject({ page: 'page', id: 'fleet' });
  });

  it('never keeps an access token as a parameter and survives bad escapes', () => {
    expect(parseRoute('#/host/local?token=abc&x=1')).toMatchObject({ params: { x: '1' } });
    expect(parseRoute('#/host/%E0%A4%A/cpu')).toMatchObject({ hostId: '%E0%A4%A', tab: 'cpu' });
  });
});

describe('routeHref', () => {
  it('writes back what parseRoute reads', () => {
    const routes: Route[] = [
      { page: 'page', id: 'fleet', path: [], params: {} },
      { page: 'page', id: 'fleet', path: [], params: { state: 'problem', tag: 'db/eu' } },
      { page: 'host', hostId: 'web1', tab: undefined, params: {} },
      { page: 'host', hostId: 'web1', tab: 'network', params: { iface: 'eth0' } },
      { page: 'page', id: 'audit', path: ['entry', 'a b'], params: {} },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('has short forms for hosts and pages', () => {
    expect(hostHref('web1')).toBe('#/host/web1');
    expect(hostHref('web1', 'cpu')).toBe('#/host/web1/cpu');
    expect(pageHref('fleet', { state: 'up', tag: '' })).toBe('#/fleet?state=up');
  });
});
