// The audit page's filter: to and from the URL, and the live match of new entries, which must agree
// with what audit.list returns for the same filter.
import type { AuditEntry } from '../../../../../common/schemas/audit';
import {
  entryMatches,
  filterFromParams,
  paramsFromFilter,
} from '../../../../../renderer/src/views/audit/audit-filter';

const entry: AuditEntry = {
  seq: 7,
  ts: 1_700_000_000_000,
  actor: 'alice',
  via: 'websocket',
  address: '127.0.0.1',
  host: 'web-1',
  action: 'services.restart',
  target: 'nginx.service',
  args: { host: 'web-1', unit: 'nginx.service' },
  result: 'refused',
  error: 'Restarting nginx.service needs root or sudo on web-1.',
  hash: 'x',
};

describe('audit filter', () => {
  it('round-trips through the URL and drops what is not valid', () => {
    const filter = {
      host: 'web-1',
      action: 'services.',
      result: 'refused' as const,
      from: 5,
      to: 9,
      text: 'sudo',
    };
    expect(filterFromParams(paramsFromFilter(filter))).toEqual(filter);
    expect(filterFromParams({ result: 'maybe', from: '-3', to: 'x' })).toEqual({});
  });

  it('matches new entries as the query does', () => {
    expect(entryMatches(entry, {})).toBe(true);
    expect(entryMatches(entry, { action: 'services.' })).toBe(true);
    expect(entryMatches(entry, { action: 'services' })).toBe(false);
    expect(entryMatches(entry, { action: 'services.restart', host: 'web-1', result: 'refused' })).toBe(true);
    expect(entryMatches(entry, { host: 'web-2' })).toBe(false);
    expect(entryMatches(entry, { text: 'SUDO nginx' })).toBe(true);
    expect(entryMatches(entry, { text: 'apache' })).toBe(false);
    expect(entryMatches(entry, { from: entry.ts, to: entry.ts + 1 })).toBe(true);
    expect(entryMatches(entry, { to: entry.ts })).toBe(false);
  });
});
