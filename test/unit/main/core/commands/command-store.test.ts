// The command history on a real SQLite file: runs and their hosts round-trip, pages and search,
// bounded history, runs interrupted by a stop, and snippets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRun } from '../../../../../common/schemas/commands';
import { CommandStore } from '../../../../../main/core/commands/command-store';
import { openDatabase, type Db } from '../../../../../main/core/store/database';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-commands-'));
  db = openDatabase({ path: join(dir, 'h.db') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(id: string, startedAt: number, command = 'uptime', hosts = ['web-1', 'web-2']): CommandRun {
  const results = hosts.map((host) => ({
    host,
    name: host.toUpperCase(),
    state: 'queued' as const,
    exitCode: null,
    signal: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    outputBytes: 0,
    truncated: false,
    error: null,
  }));
  return {
    id,
    command,
    actor: 'desktop',
    state: 'running',
    startedAt,
    finishedAt: null,
    timeoutSec: 300,
    concurrency: 10,
    hosts: results,
    summary: { succeeded: 0, failed: 0, running: 0, queued: results.length },
  };
}

function finish(store: CommandStore, r: CommandRun, text = 'x'): void {
  r.hosts.forEach((h, i) =>
    store.updateHost(
      r.id,
      i,
      {
        ...h,
        state: i === 0 ? 'succeeded' : 'failed',
        exitCode: i,
        startedAt: 10,
        finishedAt: 25,
        outputBytes: text.length,
      },
      [{ stream: 'stdout', text }],
    ),
  );
  store.finishRun(r.id, 'finished', 30);
}

describe('CommandStore', () => {
  it('keeps a run, its hosts in order and each host’s output', () => {
    const store = new CommandStore(db);
    const r = run('run-aaaaaaaa', 1);
    store.insertRun(r);
    store.updateHost(
      r.id,
      1,
      {
        ...r.hosts[1]!,
        state: 'failed',
        exitCode: 2,
        startedAt: 10,
        finishedAt: 25,
        outputBytes: 9,
        error: 'Exited with status 2.',
      },
      [
        { stream: 'stdout', text: 'ok\n' },
        { stream: 'stderr', text: 'nö\n' },
      ],
    );
    const back = store.getRun(r.id)!;
    expect(back.hosts.map((h) => [h.host, h.name, h.state])).toEqual([
      ['web-1', 'WEB-1', 'queued'],
      ['web-2', 'WEB-2', 'failed'],
    ]);
    expect(back.hosts[1]).toMatchObject({ exitCode: 2, durationMs: 15, error: 'Exited with status 2.' });
    expect(back.summary).toEqual({ succeeded: 0, failed: 1, running: 0, queued: 1 });
    expect(store.output(r.id, 'web-2')).toEqual({
      host: 'web-2',
      chunks: [
        { stream: 'stdout', text: 'ok\n' },
        { stream: 'stderr', text: 'nö\n' },
      ],
      outputBytes: 9,
      truncated: false,
    });
    expect(store.output(r.id, 'web-9')).toBeUndefined();
  });

  it('pages the history newest first and finds runs by command words and by host', () => {
    const store = new CommandStore(db);
    for (let i = 1; i <= 5; i++)
      store.insertRun(
        run(`run-${i}aaaaaaa`, i * 100, i % 2 ? 'df -h' : 'uptime', i === 5 ? ['db-1'] : ['web-1']),
      );
    const first = store.history({ limit: 2 });
    expect(first.runs.map((r) => r.startedAt)).toEqual([500, 400]);
    expect(first.nextBefore).toBe(400);
    const second = store.history({ limit: 2, before: first.nextBefore! });
    expect(second.runs.map((r) => r.startedAt)).toEqual([300, 200]);
    expect(store.history({ limit: 10, text: 'DF' }).runs.map((r) => r.startedAt)).toEqual([500, 300, 100]);
    expect(store.history({ limit: 10, host: 'db-1' }).runs.map((r) => r.startedAt)).toEqual([500]);
    expect(store.history({ limit: 10, before: 100 })).toEqual({ runs: [], nextBefore: null });
  });

  it('keeps at most maxRuns finished runs and a bounded amount of output', () => {
    const store = new CommandStore(db, { maxRuns: 3, maxOutputBytes: 1_000_000 });
    for (let i = 1; i <= 5; i++) {
      const r = run(`run-${i}aaaaaaa`, i);
      store.insertRun(r);
      finish(store, r);
    }
    // The newest insert prunes: the run being inserted counts.
    expect(store.history({ limit: 10 }).runs.map((r) => r.startedAt)).toEqual([5, 4, 3]);

    const small = new CommandStore(db, { maxRuns: 100, maxOutputBytes: 2_500 });
    for (let i = 6; i <= 9; i++) {
      const r = run(`run-${i}aaaaaaa`, i);
      small.insertRun(r);
      finish(small, r, 'y'.repeat(500)); // 1000 bytes per run
    }
    const kept = small.history({ limit: 100 }).runs.map((r) => r.startedAt);
    expect(kept[0]).toBe(9);
    const bytes = (db.prepare('SELECT sum(kept_bytes) AS n FROM command_run_hosts').get() as { n: number }).n;
    // Pruning happens when a run starts, so at most one run's output sits above the limit.
    expect(bytes).toBeLessThanOrEqual(2_500 + 1_000);
  });

  it('marks runs left running by a stopped Hyperion as interrupted, hosts included', () => {
    const store = new CommandStore(db);
    const r = run('run-bbbbbbbb', 1);
    store.insertRun(r);
    store.updateHost(r.id, 0, { ...r.hosts[0]!, state: 'succeeded', exitCode: 0 });
    expect(store.markInterrupted(99)).toBe(1);
    const back = store.getRun(r.id)!;
    expect(back.state).toBe('interrupted');
    expect(back.finishedAt).toBe(99);
    expect(back.hosts.map((h) => h.state)).toEqual(['succeeded', 'interrupted']);
    expect(back.hosts[1]!.error).toMatch(/Hyperion stopped/);
    expect(store.markInterrupted(100)).toBe(0);
  });

  it('does not delete a running run; deletes a finished one', () => {
    const store = new CommandStore(db);
    const r = run('run-cccccccc', 1);
    store.insertRun(r);
    expect(store.deleteRun(r.id)).toBe(false);
    finish(store, r);
    expect(store.deleteRun(r.id)).toBe(true);
    expect(store.getRun(r.id)).toBeUndefined();
  });

  it('saves snippets by unique name, case-insensitively', () => {
    const store = new CommandStore(db);
    const a = store.saveSnippet({ name: 'Load', command: 'uptime', description: '' }, 1);
    store.saveSnippet({ name: 'disk', command: 'df -h', description: 'space' }, 2);
    expect(store.snippets().map((s) => s.name)).toEqual(['disk', 'Load']);
    expect(() => store.saveSnippet({ name: 'LOAD', command: 'w', description: '' }, 3)).toThrow(/already/);
    const changed = store.saveSnippet({ id: a.id, name: 'LOAD', command: 'w', description: '' }, 4);
    expect(changed).toMatchObject({ name: 'LOAD', command: 'w', createdAt: 1, updatedAt: 4 });
    expect(() =>
      store.saveSnippet({ id: 'missing-id-1', name: 'x', command: 'w', description: '' }, 5),
    ).toThrow(/does not exist/);
    expect(store.deleteSnippet(a.id)).toBe(true);
    expect(store.deleteSnippet(a.id)).toBe(false);
  });
});
