// The fleet's rows and counts: down, stale (connected but silent), needing attention, and alerts
// per host — each a filter a count links to.
import { describe, expect, it } from 'vitest';
import type { Host, HostStatus } from '../../../../../common/schemas/hosts';
import type { ActiveAlert } from '../../../../../common/schemas/alerts';
import { alertsByHost } from '../../../../../renderer/src/hooks/useActiveAlerts';
import { filterRows, fleetRows, sortRows } from '../../../../../renderer/src/views/fleet/fleet-rows';
import { alertFilterOf, fleetHref, stateFilterOf } from '../../../../../renderer/src/views/fleet/FleetView';
import { makeSample } from '../../../../helpers/samples';

const NOW = 1_000_000;
const host = (id: string) =>
  ({ id, name: id, address: `${id}.example`, port: 22, tags: [] }) as unknown as Host;
const status = (id: string, state: HostStatus['state'], since = 0) =>
  ({ id, state, message: '', since, sampleIntervalMs: 1000, wireBytesPerSec: null }) as unknown as HostStatus;
const alert = (hostId: string, severity: ActiveAlert['severity'], state: ActiveAlert['state'] = 'firing') =>
  ({ key: `${hostId}-${severity}-${state}`, host: hostId, severity, state }) as ActiveAlert;

function rows() {
  const hosts = ['fresh', 'silent', 'gone', 'refused', 'new'].map(host);
  const statuses = new Map([
    ['fresh', status('fresh', 'up')],
    ['silent', status('silent', 'up')],
    ['gone', status('gone', 'unreachable')],
    ['refused', status('refused', 'auth_failed')],
    ['new', status('new', 'up', NOW - 1000)],
  ]);
  const samples = new Map([
    ['local', makeSample('local', NOW - 500)],
    ['fresh', makeSample('fresh', NOW - 900)],
    ['silent', makeSample('silent', NOW - 20_000)],
  ]);
  const alerts = alertsByHost(
    new Map(
      [
        alert('fresh', 'critical'),
        alert('fresh', 'warning'),
        alert('gone', 'warning'),
        alert('silent', 'critical', 'pending'),
      ].map((a) => [a.key, a]),
    ),
  );
  return fleetRows(hosts, statuses, samples, { now: NOW, alerts });
}

const ids = (list: { id: string }[]) => list.map((r) => r.id);
const all = { text: '' } as const;

describe('fleet rows', () => {
  it('tells a connected host that stopped sending samples (stale) from one just connected', () => {
    const list = rows();
    expect(ids(list.filter((r) => r.late))).toEqual(['silent']);
    expect(ids(filterRows(list, { ...all, state: 'stale' }))).toEqual(['silent']);
  });

  it('filters down, needing attention and up', () => {
    const list = rows();
    expect(ids(filterRows(list, { ...all, state: 'down' }))).toEqual(['gone']);
    expect(ids(filterRows(list, { ...all, state: 'problem' }))).toEqual(['gone', 'refused']);
    expect(ids(filterRows(list, { ...all, state: 'up' }))).toEqual(['local', 'fresh', 'silent', 'new']);
  });

  it('counts firing alerts per host by severity, pending apart, and filters and sorts by them', () => {
    const list = rows();
    expect(list.find((r) => r.id === 'fresh')!.alerts).toEqual({
      critical: 1,
      warning: 1,
      info: 0,
      pending: 0,
    });
    expect(list.find((r) => r.id === 'silent')!.alerts).toEqual({
      critical: 0,
      warning: 0,
      info: 0,
      pending: 1,
    });
    expect(ids(filterRows(list, { ...all, state: 'all', alerts: 'warning' }))).toEqual(['fresh', 'gone']);
    expect(ids(filterRows(list, { ...all, state: 'all', alerts: 'critical' }))).toEqual(['fresh']);
    expect(ids(sortRows(list, 'alerts', true)).slice(0, 2)).toEqual(['fresh', 'gone']);
  });

  it('reads and writes its filters as URL parameters', () => {
    expect(fleetHref({ state: 'stale', tag: 'db' })).toBe('#/fleet?state=stale&tag=db');
    expect(fleetHref({ alerts: 'critical' })).toBe('#/fleet?alerts=critical');
    expect(fleetHref({})).toBe('#/fleet');
    expect(stateFilterOf('down')).toBe('down');
    expect(stateFilterOf('bogus')).toBe('all');
    expect(alertFilterOf('info')).toBeUndefined();
  });
});
