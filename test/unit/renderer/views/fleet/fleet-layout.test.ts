import { describe, expect, it } from 'vitest';
import {
  groupRowsByTag,
  keepOrder,
  moveSelection,
  pinnedFirst,
  rowKey,
} from '../../../../../renderer/src/views/fleet/fleet-layout';
import { filterRows, type FleetRow } from '../../../../../renderer/src/views/fleet/fleet-rows';

function row(id: string, tags: string[] = [], state: FleetRow['state'] = 'up'): FleetRow {
  return {
    id,
    name: id,
    address: `${id}.example`,
    tags,
    state,
    message: '',
    cpu: undefined,
    memoryPercent: undefined,
    memoryUsed: undefined,
    memoryTotal: undefined,
    disk: undefined,
    filesystems: [],
    rxBytesPerSec: undefined,
    txBytesPerSec: undefined,
    load1: undefined,
    uptimeSec: undefined,
    wireBytesPerSec: null,
    stale: false,
    late: false,
    sampledAt: undefined,
    alerts: { critical: 0, warning: 0, info: 0, pending: 0 },
  };
}

describe('groupRowsByTag', () => {
  it('groups alphabetically, puts untagged hosts last and a many-tagged host under each tag', () => {
    const groups = groupRowsByTag([
      row('web1', ['web', 'prod']),
      row('db1', ['db', 'prod'], 'unreachable'),
      row('laptop'),
      row('web2', ['web'], 'connecting'),
    ]);
    expect(groups.map((g) => [g.tag, g.rows.map((r) => r.id), g.attention])).toEqual([
      ['db', ['db1'], 1],
      ['prod', ['web1', 'db1'], 1],
      ['web', ['web1', 'web2'], 0],
      [null, ['laptop'], 0],
    ]);
  });

  it('lists a host once per tag even when the tag is repeated', () => {
    expect(groupRowsByTag([row('a', ['x', 'x'])])[0]!.rows).toHaveLength(1);
  });

  it('returns no groups for no rows', () => {
    expect(groupRowsByTag([])).toEqual([]);
  });
});

describe('keepOrder', () => {
  const rows = (...ids: string[]) => ids.map((id) => ({ id }));

  it('keeps the frozen order when the live sort changed', () => {
    expect(keepOrder(rows('c', 'a', 'b'), ['a', 'b', 'c']).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('appends new rows in their current order and drops rows that went away', () => {
    expect(keepOrder(rows('e', 'c', 'd', 'a'), ['a', 'b', 'c']).map((r) => r.id)).toEqual([
      'a',
      'c',
      'e',
      'd',
    ]);
  });

  it('hands back the rows themselves, with their newest values', () => {
    const fresh = { id: 'a', cpu: 99 };
    expect(keepOrder([fresh], ['a'])[0]).toBe(fresh);
  });
});

describe('moveSelection', () => {
  const keys = ['a', 'b', 'c'];
  it('starts at the first row going down and the last going up', () => {
    expect(moveSelection(keys, null, 1)).toBe('a');
    expect(moveSelection(keys, null, -1)).toBe('c');
  });
  it('moves one row and stops at the ends', () => {
    expect(moveSelection(keys, 'a', 1)).toBe('b');
    expect(moveSelection(keys, 'c', 1)).toBe('c');
    expect(moveSelection(keys, 'a', -1)).toBe('a');
  });
  it('restarts when the selected row is gone, and selects nothing in an empty table', () => {
    expect(moveSelection(keys, 'z', 1)).toBe('a');
    expect(moveSelection([], 'a', 1)).toBeNull();
  });
});

describe('rowKey', () => {
  it('tells apart the same host drawn under two tags', () => {
    expect(rowKey('web', 'h1')).not.toBe(rowKey('prod', 'h1'));
    expect(rowKey(null, 'h1')).not.toBe(rowKey(undefined, 'h1'));
    expect(rowKey(undefined, 'h1')).toBe('h1');
  });
});

describe('filterRows', () => {
  const all = [row('web1', ['web']), row('db1', ['db'], 'auth_failed'), row('new', [], 'connecting')];
  const ids = (filter: Parameters<typeof filterRows>[1]) => filterRows(all, filter).map((r) => r.id);

  it('filters by state as the counts count', () => {
    expect(ids({ text: '', state: 'up' })).toEqual(['web1']);
    expect(ids({ text: '', state: 'problem' })).toEqual(['db1']);
    expect(ids({ text: '', state: 'connecting' })).toEqual(['new']);
    expect(ids({ text: '', state: 'all' })).toEqual(['web1', 'db1', 'new']);
  });

  it('filters by exact tag, together with the text', () => {
    expect(ids({ text: '', state: 'all', tag: 'web' })).toEqual(['web1']);
    expect(ids({ text: 'db', state: 'all', tag: 'web' })).toEqual([]);
    expect(ids({ text: 'we', state: 'all', tag: 'we' })).toEqual([]);
  });
});

describe('pinnedFirst', () => {
  it('puts pinned hosts first, keeping the order of both parts', () => {
    const rows = ['a', 'b', 'c', 'd'].map((id) => row(id));
    const ids = (list: FleetRow[]) => list.map((r) => r.id);
    expect(ids(pinnedFirst(rows, new Set(['c', 'a'])))).toEqual(['a', 'c', 'b', 'd']);
    expect(ids(pinnedFirst(rows, new Set()))).toEqual(['a', 'b', 'c', 'd']);
  });
});
