// The process table of this computer and the actions on it, through the API, against real child
// processes and the real /proc: the table lists them, CPU % shows a busy one, renice and signals
// take effect in /proc, a PID that became another process is refused, and each action is audited.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import type { api } from '../../../common/api';
import type { ApiError } from '../../../common/errors';
import type { ApiClient } from '../../../common/rpc/client';
import type { ProcessesLiveEvent, ProcessRow } from '../../../common/schemas/processes';
import { connectTestClient, createTestCore, type TestCore } from '../../helpers/core';

let testCore: TestCore;
let client: ApiClient<typeof api>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  testCore = await createTestCore();
  await testCore.core.start();
  client = connectTestClient(testCore.core).client;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  client?.close();
  await testCore?.dispose();
});

function child(script: string): ChildProcess {
  const c = spawn('/bin/sh', ['-c', script, 'hyperion-test-child'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

function procStat(pid: number): { state: string; nice: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0]!, nice: Number(rest[16]) };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

const exited = (c: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve(c.signalCode);
    c.once('exit', (_code, signal) => resolve(signal));
  });

async function row(pid: number): Promise<ProcessRow> {
  const { processes } = await client.call('processes.list', { host: 'local' });
  const found = processes.find((p) => p.pid === pid);
  if (!found) throw new Error(`PID ${pid} is not in the table`);
  return found;
}

describe('the local process table', () => {
  it('lists a real child with its parent, user, name, arguments and state', async () => {
    const c = child('exec sleep 1001');
    await vi.waitFor(() => expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8')).toContain('1001'));
    const r = await row(c.pid!);
    expect(r).toMatchObject({
      ppid: process.pid,
      user: 'root',
      uid: 0,
      name: 'sleep',
      cmdline: 'sleep 1001',
      threads: 1,
      nice: getPriority(),
      cpuPercent: null,
    });
    expect(['S', 'R']).toContain(r.state);
    expect(r.rssBytes).toBeGreaterThan(0);
    expect(Math.abs(r.startedAt - Date.now())).toBeLessThan(10_000);
  });

  it('streams a snapshot, then changes with CPU % for a busy process, only while watched', async () => {
    const busy = child('while :; do :; done');
    const idle = child('exec sleep 1009');
    const events: ProcessesLiveEvent[] = [];
    expect(testCore.core.processes.watchedHosts()).toEqual([]);
    const stop = client.subscribe(
      'processes.live',
      { host: 'local', intervalMs: 1000 },
      {
        onEvent: (e) => events.push(e),
      },
    );
    await vi.waitFor(() => expect(events.some((e) => e.kind === 'changes')).toBe(true), { timeout: 10_000 });
    expect(events[0]!.kind).toBe('snapshot');
    expect(testCore.core.processes.watchedHosts()).toEqual(['local']);
    await vi.waitFor(
      () => {
        const latest = events
          .flatMap((e) => (e.kind === 'changes' ? e.upserts : []))
          .filter((p) => p.pid === busy.pid)
          .at(-1);
        // A loaded machine may give the loop far less than a core; an idle process gets none.
        expect(latest?.cpuPercent).toBeGreaterThan(10);
      },
      { timeout: 10_000 },
    );
    const idleRow = events
      .flatMap((e) => (e.kind === 'changes' ? e.upserts : e.kind === 'snapshot' ? e.processes : []))
      .filter((p) => p.pid === idle.pid && p.cpuPercent !== null)
      .at(-1);
    expect(idleRow?.cpuPercent).toBe(0);
    idle.kill('SIGKILL');
    // A process that ends is announced as removed.
    busy.kill('SIGKILL');
    await exited(busy);
    await vi.waitFor(
      () => expect(events.some((e) => e.kind === 'changes' && e.removed.includes(busy.pid!))).toBe(true),
      { timeout: 10_000 },
    );
    stop();
    await vi.waitFor(() => expect(testCore.core.processes.watchedHosts()).toEqual([]));
  });

  it('renices a process and the new value is in /proc', async () => {
    const c = child('exec sleep 1002');
    await vi.waitFor(() => expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8')).toContain('1002'));
    const result = await client.call('processes.renice', { host: 'local', pid: c.pid!, nice: 7 });
    expect(result.nice).toBe(7);
    expect(procStat(c.pid!).nice).toBe(7);
    // Root may lower it again.
    await client.call('processes.renice', { host: 'local', pid: c.pid!, nice: -3 });
    expect(procStat(c.pid!).nice).toBe(-3);
  });

  it('stops, continues and terminates a process with signals', async () => {
    const c = child('exec sleep 1003');
    await vi.waitFor(() => expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8')).toContain('1003'));
    const { startTicks } = await row(c.pid!);
    await client.call('processes.signal', {
      host: 'local',
      pid: c.pid!,
      signal: 'STOP',
      expect: { startTicks },
    });
    await vi.waitFor(() => expect(procStat(c.pid!).state).toBe('T'));
    await client.call('processes.signal', {
      host: 'local',
      pid: c.pid!,
      signal: 'CONT',
      expect: { startTicks },
    });
    await vi.waitFor(() => expect(procStat(c.pid!).state).toBe('S'));
    const result = await client.call('processes.signal', { host: 'local', pid: c.pid!, signal: 'TERM' });
    expect(result.message).toContain(`PID ${c.pid}`);
    expect(await exited(c)).toBe('SIGTERM');
  });

  it('refuses a PID that now names another process, and one that does not exist', async () => {
    const c = child('exec sleep 1004');
    await vi.waitFor(() => expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8')).toContain('1004'));
    const { startTicks } = await row(c.pid!);
    const reused = await failure(
      client.call('processes.signal', {
        host: 'local',
        pid: c.pid!,
        signal: 'KILL',
        expect: { startTicks: startTicks + 1 },
      }),
    );
    expect(reused.code).toBe('conflict');
    expect(reused.message).toContain('nothing was done');
    expect(c.exitCode).toBeNull();
    expect(procStat(c.pid!).state).toBe('S');

    const missing = await failure(
      client.call('processes.signal', { host: 'local', pid: 4_194_000, signal: 'TERM' }),
    );
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('There is no process with PID 4194000 on this computer.');

    const noService = await failure(client.call('processes.restartService', { host: 'local', pid: c.pid! }));
    expect(noService.code).toBe('conflict');
    expect(noService.message).toContain('does not belong to a system service');
  });

  it('records every action in the audit log, allowed, failed or refused', async () => {
    const { entries } = await client.call('audit.list', { action: 'processes.' });
    const results = new Set(entries.map((e) => `${e.action}:${e.result}`));
    expect(results).toContain('processes.signal:ok');
    expect(results).toContain('processes.renice:ok');
    expect(results).toContain('processes.signal:failed');
    const stop = entries.find((e) => e.action === 'processes.signal' && e.args.signal === 'STOP')!;
    expect(stop.host).toBe('local');
    expect(stop.target).toMatch(/^\d+$/);
    const bad = await failure(client.call('processes.renice', { host: 'local', pid: 1, nice: 40 }));
    expect(bad.code).toBe('invalid_input');
    const { entries: after } = await client.call('audit.list', {
      action: 'processes.renice',
      result: 'refused',
    });
    expect(after[0]!.error).toContain('nice is at most 19');
  });
});
