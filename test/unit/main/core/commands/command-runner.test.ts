// The command runner against stand-in channels: characters split across chunks, the live snapshot's
// tail, a cancel while the host is still being reached, and unknown hosts refused up front.
import { PassThrough } from 'node:stream';
import type { CommandLiveEvent } from '../../../../../common/schemas/commands';
import { CommandRunner } from '../../../../../main/core/commands/command-runner';
import { CommandStore } from '../../../../../main/core/commands/command-store';
import type { Acquired, HostChannels } from '../../../../../main/core/commands/host-channels';
import type { ExecChannel, ExecExit } from '../../../../../main/core/ssh/exec-channel';
import { openDatabase, type Db } from '../../../../../main/core/store/database';

interface FakeChannel extends ExecChannel {
  stdout: PassThrough;
  stderr: PassThrough;
  finish(exit: ExecExit): void;
  signals: string[];
}

function fakeChannel(): FakeChannel {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let settle: (exit: ExecExit) => void = () => {};
  const exit = new Promise<ExecExit>((r) => (settle = r));
  const signals: string[] = [];
  return {
    stdin: new PassThrough(),
    stdout,
    stderr,
    exit,
    close: () => settle({ code: null, signal: null }),
    signal: (name) => {
      signals.push(name);
      if (name === 'TERM') {
        stdout.end();
        stderr.end();
        settle({ code: null, signal: 'SIGTERM' });
      }
    },
    signals,
    finish: (e) => {
      stdout.end();
      stderr.end();
      settle(e);
    },
  };
}

let db: Db;
beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
});
afterEach(() => db.close());

function runnerWith(acquire: HostChannels['acquire']) {
  return new CommandRunner({
    store: new CommandStore(db),
    hosts: { name: (id) => (id.startsWith('web') ? id.toUpperCase() : undefined), acquire },
    flushMs: 1,
    snapshotTailBytes: 8,
    killGraceMs: 10,
  });
}

const connectionWith = (channel: FakeChannel): Acquired => ({
  ok: true,
  connection: { label: 'web', exec: async () => ({ ok: true, value: channel }) },
  release: () => {},
});

describe('CommandRunner', () => {
  it('joins a character split across two chunks and tells stdout from stderr', async () => {
    const channel = fakeChannel();
    const runner = runnerWith(async () => connectionWith(channel));
    const started = runner.start(
      { command: 'echo', hosts: ['web-1'], concurrency: 1, timeoutSec: 60 },
      { id: 't', via: 'memory' },
    );
    await vi.waitFor(() => expect(runner.get(started.id).hosts[0]!.state).toBe('running'));
    await new Promise((r) => setImmediate(r));
    const euro = Buffer.from('€\n');
    channel.stdout.write(euro.subarray(0, 1));
    channel.stdout.write(euro.subarray(1));
    channel.stderr.write('warn\n');
    channel.finish({ code: 0, signal: null });
    const run = await runner.wait(started.id);
    expect(run.hosts[0]!.state).toBe('succeeded');
    expect(runner.output(run.id, 'web-1').chunks).toEqual([
      { stream: 'stdout', text: '€\n' },
      { stream: 'stderr', text: 'warn\n' },
    ]);
  });

  it('sends a snapshot with the tail of the output and says how much it left out', async () => {
    const channel = fakeChannel();
    const runner = runnerWith(async () => connectionWith(channel));
    const started = runner.start(
      { command: 'x', hosts: ['web-1'], concurrency: 1, timeoutSec: 60 },
      { id: 't', via: 'memory' },
    );
    await vi.waitFor(() => expect(runner.get(started.id).hosts[0]!.state).toBe('running'));
    await new Promise((r) => setImmediate(r));
    channel.stdout.write('0123456789abcdef');
    await vi.waitFor(() => expect(runner.output(started.id, 'web-1').chunks.length).toBe(1));
    const events: CommandLiveEvent[] = [];
    const off = runner.subscribe(started.id, (e) => events.push(e));
    expect(events[0]!.snapshot).toBe(true);
    expect(events[0]!.output).toEqual([{ host: 'web-1', stream: 'stdout', text: '89abcdef' }]);
    expect(events[0]!.omitted).toEqual({ 'web-1': 8 });
    channel.stdout.write('more');
    await vi.waitFor(() => expect(events.length).toBe(2));
    expect(events[1]!.output).toEqual([{ host: 'web-1', stream: 'stdout', text: 'more' }]);
    channel.finish({ code: 0, signal: null });
    await runner.wait(started.id);
    off();
  });

  it('cancels a host that is still being reached: it never runs', async () => {
    let release: (a: Acquired) => void = () => {};
    const channel = fakeChannel();
    const runner = runnerWith(
      (_id, signal) =>
        new Promise((resolve) => {
          release = resolve;
          signal.addEventListener('abort', () => resolve({ ok: false, error: 'aborted' }));
        }),
    );
    const started = runner.start(
      { command: 'x', hosts: ['web-1'], concurrency: 1, timeoutSec: 60 },
      { id: 't', via: 'memory' },
    );
    await vi.waitFor(() => expect(runner.get(started.id).hosts[0]!.state).toBe('running'));
    runner.cancel(started.id);
    release(connectionWith(channel));
    const run = await runner.wait(started.id);
    expect(run.state).toBe('cancelled');
    expect(run.hosts[0]).toMatchObject({ state: 'cancelled', error: 'Cancelled.', startedAt: null });
    expect(channel.signals).toEqual([]);
  });

  it('refuses a host it does not know before anything runs', () => {
    const runner = runnerWith(async () => ({ ok: false, error: 'x' }));
    expect(() =>
      runner.start(
        { command: 'x', hosts: ['web-1', 'db-1'], concurrency: 1, timeoutSec: 60 },
        { id: 't', via: 'memory' },
      ),
    ).toThrow(/no saved host with id "db-1"/);
    expect(new CommandStore(db).history({ limit: 5 }).runs).toEqual([]);
  });
});
