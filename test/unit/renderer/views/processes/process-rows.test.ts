// The process table's logic: live events applied, filters, sorting with stable ties, the tree by
// parent (a match keeps its ancestors), folding, and the order held while a row is selected.
import type { ProcessRow } from '../../../../../common/schemas/processes';
import {
  applyProcessEvent,
  flatLines,
  holdOrder,
  treeLines,
} from '../../../../../renderer/src/views/processes/process-rows';

const info = { ts: 0, cores: 2, memTotalBytes: 1, readMs: 1, bytes: 1, notes: [] };
const NONE = { text: '', user: '', state: '' };

function p(pid: number, ppid: number, name: string, extra: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid,
    ppid,
    uid: 0,
    user: 'root',
    name,
    cmdline: `/usr/bin/${name}`,
    state: 'S',
    cpuPercent: 0,
    memPercent: 0,
    rssBytes: 0,
    vszBytes: 0,
    threads: 1,
    nice: 0,
    priority: 20,
    startedAt: 0,
    startTicks: pid,
    readBytesPerSec: null,
    writeBytesPerSec: null,
    unit: null,
    userUnit: null,
    ...extra,
  };
}

const rows = [
  p(1, 0, 'systemd'),
  p(50, 1, 'nginx', { cpuPercent: 5, unit: 'nginx.service', user: 'www-data' }),
  p(51, 50, 'nginx-worker', { cpuPercent: 30, user: 'www-data' }),
  p(52, 50, 'nginx-worker', { cpuPercent: 30, user: 'www-data' }),
  p(80, 1, 'sshd', { state: 'R' }),
  p(2, 0, 'kthreadd', { cmdline: '' }),
];

describe('process rows', () => {
  it('applies snapshots and changes', () => {
    let table = applyProcessEvent(new Map(), { kind: 'snapshot', info, processes: rows });
    expect(table.size).toBe(6);
    table = applyProcessEvent(table, {
      kind: 'changes',
      info,
      upserts: [p(90, 1, 'new'), { ...rows[1]!, cpuPercent: 9 }],
      removed: [51],
    });
    expect([...table.keys()].sort((a, b) => a - b)).toEqual([1, 2, 50, 52, 80, 90]);
    expect(table.get(50)!.cpuPercent).toBe(9);
    expect(applyProcessEvent(table, { kind: 'unavailable', message: 'down' }).size).toBe(6);
  });

  it('filters by words, user and state; sorts with ties broken by PID', () => {
    const byCpu = flatLines(rows, NONE, { key: 'cpuPercent', descending: true }).map((l) => l.row.pid);
    expect(byCpu).toEqual([51, 52, 50, 1, 2, 80]);
    expect(
      flatLines(rows, { ...NONE, text: 'nginx.service' }, { key: 'pid', descending: false }).map(
        (l) => l.row.pid,
      ),
    ).toEqual([50]);
    expect(
      flatLines(rows, { ...NONE, text: 'NGINX worker' }, { key: 'pid', descending: false }),
    ).toHaveLength(2);
    expect(flatLines(rows, { ...NONE, user: 'www-data' }, { key: 'pid', descending: false })).toHaveLength(3);
    expect(
      flatLines(rows, { ...NONE, state: 'R' }, { key: 'pid', descending: false }).map((l) => l.row.pid),
    ).toEqual([80]);
    // Kernel threads sort by "[name]" in the command column, as it is shown.
    const byCmd = flatLines(rows, NONE, { key: 'cmdline', descending: false }).map((l) => l.row.pid);
    expect(byCmd).toEqual([2, 50, 51, 52, 80, 1]);
  });

  it('draws the tree by parent, keeps a match’s ancestors, and folds', () => {
    const sort = { key: 'pid' as const, descending: false };
    const tree = treeLines(rows, NONE, sort).map((l) => `${'  '.repeat(l.depth)}${l.row.pid}`);
    expect(tree).toEqual(['1', '  50', '    51', '    52', '  80', '2']);
    const match = treeLines(rows, { ...NONE, text: 'worker' }, sort).map((l) => l.row.pid);
    expect(match).toEqual([1, 50, 51, 52]);
    const folded = treeLines(rows, NONE, sort, new Set([50])).map((l) => l.row.pid);
    expect(folded).toEqual([1, 50, 80, 2]);
    // A parent loop (PID reuse) cannot hang the walk.
    const loop = treeLines([p(7, 8, 'a'), p(8, 7, 'b')], NONE, sort);
    expect(loop.length).toBeLessThanOrEqual(2);
  });

  it('holds the order while a row is selected: new rows go last, gone rows drop out', () => {
    const lines = flatLines(rows, NONE, { key: 'cpuPercent', descending: true });
    const held = [80, 1, 50, 51, 99];
    expect(holdOrder(lines, held).map((l) => l.row.pid)).toEqual([80, 1, 50, 51, 52, 2]);
  });
});
