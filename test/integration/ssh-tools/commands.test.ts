// Commands on many hosts through the API contract, against real sshd hosts on loopback: live output
// per host with stdout and stderr apart, exit codes and a summary, a concurrency limit, timeout and
// cancel that leave no process behind on the host, history, snippets, and the audit log.
import type { CommandLiveEvent, CommandRun, OutputChunk } from '../../../common/schemas/commands';
import { apiFailure } from '../../helpers/api-errors';
import type { TestClient, TestCore } from '../../helpers/core';
import { remoteProcesses, startToolsCore, type ToolsCore } from '../../helpers/ssh-tools';
import type { SshdFleet } from '../../helpers/sshd';

let stage: ToolsCore;
let fleet: SshdFleet;
let testCore: TestCore;
let harness: TestClient;
let ids: string[];

beforeAll(async () => {
  stage = await startToolsCore(6, {
    prefix: 'cmd',
    port: 2722,
    sshTools: { commands: { killGraceMs: 500, outputLimitBytes: 64 * 1024 } },
  });
  ({ fleet, testCore, harness, ids } = stage);
}, 60_000);

afterAll(async () => {
  await stage?.stop();
});

interface Watched {
  events: CommandLiveEvent[];
  output: OutputChunk[];
  /** The newest result of each host, merged from the events. */
  run: () => CommandRun;
  done: Promise<CommandRun>;
  stop: () => void;
}

/** Subscribes to a run and merges its events as the UI does. */
function watchRun(runId: string): Watched {
  const events: CommandLiveEvent[] = [];
  const output: OutputChunk[] = [];
  let run: CommandRun | undefined;
  let resolve: (run: CommandRun) => void = () => {};
  const done = new Promise<CommandRun>((r) => (resolve = r));
  const stop = harness.client.subscribe(
    'commands.live',
    { run: runId },
    {
      onEvent: (event) => {
        events.push(event);
        output.push(...event.output);
        if (event.snapshot || !run) run = event.run;
        else {
          const byHost = new Map(event.run.hosts.map((h) => [h.host, h]));
          run = { ...event.run, hosts: run.hosts.map((h) => byHost.get(h.host) ?? h) };
        }
        if (run.state !== 'running') resolve(run);
      },
    },
  );
  return { events, output, run: () => run!, done, stop };
}

const textOf = (output: OutputChunk[], host: string, stream: 'stdout' | 'stderr') =>
  output
    .filter((c) => c.host === host && c.stream === stream)
    .map((c) => c.text)
    .join('');

describe('commands on many hosts', () => {
  it('runs on 5 hosts over their existing connections, streaming stdout and stderr apart, with exit codes', async () => {
    const five = ids.slice(0, 5);
    const failing = fleet.hosts[2]!;
    const loginsBefore = fleet.hosts.map((h) => h.logLines(/Accepted publickey/).length);
    // The server address is in $SSH_CONNECTION: the third host exits 3, the others 0.
    const command = `printf 'out from %s\\n' "$(echo $SSH_CONNECTION | cut -d' ' -f3)"; echo "err line" >&2; case " $SSH_CONNECTION " in *" ${failing.address} "*) exit 3;; esac`;
    const started = await harness.client.call('commands.run', { command, hosts: five, concurrency: 5 });
    expect(started.state).toBe('running');
    expect(started.hosts.map((h) => h.host)).toEqual(five);
    const watched = watchRun(started.id);
    const run = await watched.done;
    watched.stop();

    expect(run.state).toBe('finished');
    expect(run.summary).toEqual({ succeeded: 4, failed: 1, running: 0, queued: 0 });
    for (const [i, id] of five.entries()) {
      const host = fleet.hosts[i]!;
      const result = run.hosts.find((h) => h.host === id)!;
      expect(textOf(watched.output, id, 'stdout')).toBe(`out from ${host.address}\n`);
      expect(textOf(watched.output, id, 'stderr')).toBe('err line\n');
      expect(result.exitCode).toBe(host === failing ? 3 : 0);
      expect(result.state).toBe(host === failing ? 'failed' : 'succeeded');
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      expect(result.startedAt).not.toBeNull();
      expect(result.outputBytes).toBe(`out from ${host.address}\n`.length + 'err line\n'.length);
    }
    expect(run.hosts.find((h) => h.state === 'failed')!.error).toBe('Exited with status 3.');
    // A new channel on each connection, never a new login.
    expect(fleet.hosts.map((h) => h.logLines(/Accepted publickey/).length)).toEqual(loginsBefore);

    // The run is in the history, with each host's output kept.
    const history = await harness.client.call('commands.history', { limit: 5 });
    expect(history.runs[0]!.id).toBe(run.id);
    expect(history.runs[0]!.summary.failed).toBe(1);
    const kept = await harness.client.call('commands.output', { run: run.id, host: five[2]! });
    expect(kept.chunks.map((c) => c.stream).sort()).toEqual(['stderr', 'stdout']);
    // A late subscriber gets the whole story from the history.
    const late = watchRun(run.id);
    const replay = await late.done;
    expect(replay.summary).toEqual(run.summary);
    expect(textOf(late.output, five[0]!, 'stdout')).toBe(`out from ${fleet.hosts[0]!.address}\n`);

    // Audited: the run (who, what) and each host's outcome.
    const audit = testCore.core.audit.list({ action: 'commands.', limit: 20 }).entries;
    const runEntry = audit.find((e) => e.action === 'commands.run')!;
    expect(runEntry.target).toBe(command);
    expect(runEntry.actor).toBe('test');
    const results = audit.filter((e) => e.action === 'commands.result' && e.args.run === run.id);
    expect(results.map((e) => e.host).sort()).toEqual([...five].sort());
    expect(results.find((e) => e.host === five[2])!.result).toBe('failed');
    expect(results.filter((e) => e.result === 'ok')).toHaveLength(4);
  });

  it('keeps to the concurrency limit', async () => {
    const five = ids.slice(0, 5);
    const started = await harness.client.call('commands.run', {
      command: 'sleep 0.6',
      hosts: five,
      concurrency: 2,
    });
    const watched = watchRun(started.id);
    let most = 0;
    const probe = setInterval(() => {
      const r = testCore.core.sshTools.commands.activeRuns().find((x) => x.id === started.id);
      if (r) most = Math.max(most, r.summary.running);
    }, 20);
    const run = await watched.done;
    clearInterval(probe);
    watched.stop();
    expect(run.summary.succeeded).toBe(5);
    expect(most).toBe(2);
    // Three waves of 0.6 s.
    expect(run.finishedAt! - run.startedAt).toBeGreaterThanOrEqual(1_700);
  });

  it('stops a command at its timeout and leaves no process on the host', async () => {
    const started = await harness.client.call('commands.run', {
      command: 'echo started; sleep 3107; echo never',
      hosts: [ids[0]!],
      timeoutSec: 1,
    });
    const watched = watchRun(started.id);
    await vi.waitFor(() => expect(remoteProcesses(fleet.user.name, '^sleep 3107')).toHaveLength(1), {
      timeout: 5_000,
    });
    const run = await watched.done;
    watched.stop();
    const result = run.hosts[0]!;
    expect(result.state).toBe('timed_out');
    expect(result.signal).toBe('SIGTERM');
    expect(result.error).toBe('Stopped after the 1 s timeout.');
    expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(result.durationMs).toBeLessThan(4_000);
    expect(textOf(watched.output, ids[0]!, 'stdout')).toBe('started\n');
    expect(remoteProcesses(fleet.user.name, '3107')).toEqual([]);
  });

  it('cancels a run: SIGTERM, then SIGKILL for a command that ignores it, and nothing is left behind', async () => {
    // The first host's shell and its sleep ignore SIGTERM (an ignored signal is inherited).
    const started = await harness.client.call('commands.run', {
      command: `case " $SSH_CONNECTION " in *" ${fleet.hosts[0]!.address} "*) trap '' TERM;; esac; echo ready; sleep 3207`,
      hosts: ids.slice(0, 3),
      concurrency: 2,
    });
    const watched = watchRun(started.id);
    await vi.waitFor(() => expect(remoteProcesses(fleet.user.name, '^sleep 3207')).toHaveLength(2), {
      timeout: 5_000,
    });
    const cancelled = await harness.client.call('commands.cancel', { run: started.id });
    // The third host was still queued: it never starts.
    expect(cancelled.hosts[2]!.state).toBe('cancelled');
    const run = await watched.done;
    watched.stop();
    expect(run.state).toBe('cancelled');
    expect(run.hosts.map((h) => h.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(run.hosts[0]!.signal).toBe('SIGKILL');
    expect(run.hosts[1]!.signal).toBe('SIGTERM');
    expect(run.hosts[2]!.startedAt).toBeNull();
    expect(remoteProcesses(fleet.user.name, '3207')).toEqual([]);
  });

  it('cancels one host of a run and lets the others finish', async () => {
    const started = await harness.client.call('commands.run', {
      command: `case " $SSH_CONNECTION " in *" ${fleet.hosts[0]!.address} "*) sleep 3307;; esac; echo done`,
      hosts: ids.slice(0, 2),
    });
    const watched = watchRun(started.id);
    await vi.waitFor(() => expect(remoteProcesses(fleet.user.name, '^sleep 3307')).toHaveLength(1), {
      timeout: 5_000,
    });
    await harness.client.call('commands.cancel', { run: started.id, host: ids[0]! });
    const run = await watched.done;
    watched.stop();
    expect(run.state).toBe('finished');
    expect(run.hosts.map((h) => h.state)).toEqual(['cancelled', 'succeeded']);
    expect(remoteProcesses(fleet.user.name, '3307')).toEqual([]);
  });

  it('keeps output up to the limit and counts the rest', async () => {
    const started = await harness.client.call('commands.run', {
      command: 'head -c 200000 /dev/zero | tr "\\0" x; echo; echo tail >&2',
      hosts: [ids[0]!],
    });
    const run = await testCore.core.sshTools.commands.wait(started.id);
    const result = run.hosts[0]!;
    expect(result.state).toBe('succeeded');
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBe(200_000 + 1 + 5);
    const kept = await harness.client.call('commands.output', { run: run.id, host: ids[0]! });
    expect(kept.chunks.reduce((n, c) => n + c.text.length, 0)).toBe(64 * 1024);
  });

  it('reports a host that cannot be reached, and runs on the others', async () => {
    const down = fleet.hosts[5]!;
    await down.kill();
    await harness.waitForState(ids[5]!, 'unreachable');
    const started = await harness.client.call('commands.run', { command: 'true', hosts: [ids[0]!, ids[5]!] });
    const run = await testCore.core.sshTools.commands.wait(started.id);
    expect(run.hosts.map((h) => h.state)).toEqual(['succeeded', 'unreachable']);
    expect(run.hosts[1]!.error).toMatch(/unreachable|refused|connect/i);
    expect(run.summary).toEqual({ succeeded: 1, failed: 1, running: 0, queued: 0 });
  });

  it('refuses bad input with a sentence and runs nothing', async () => {
    const before = (await harness.client.call('commands.history', {})).runs.length;
    const empty = await apiFailure(harness.client.call('commands.run', { command: '   ', hosts: [ids[0]!] }));
    expect(empty.code).toBe('invalid_input');
    const twice = await apiFailure(
      harness.client.call('commands.run', { command: 'true', hosts: [ids[0]!, ids[0]!] }),
    );
    expect(twice.code).toBe('invalid_input');
    const unknown = await apiFailure(
      harness.client.call('commands.run', { command: 'true', hosts: ['nope'] }),
    );
    expect(unknown.code).toBe('not_found');
    expect((await harness.client.call('commands.history', {})).runs.length).toBe(before);
  });

  it('saves, renames and deletes snippets, refusing a name twice', async () => {
    const saved = await harness.client.call('commands.saveSnippet', {
      name: 'Disk usage',
      command: 'df -h /',
    });
    expect(saved.description).toBe('');
    const clash = await apiFailure(
      harness.client.call('commands.saveSnippet', { name: 'disk usage', command: 'du -sh' }),
    );
    expect(clash.code).toBe('invalid_input');
    const renamed = await harness.client.call('commands.saveSnippet', {
      id: saved.id,
      name: 'Root disk',
      command: 'df -h /',
      description: 'space on /',
    });
    expect(renamed.name).toBe('Root disk');
    expect((await harness.client.call('commands.snippets', {})).map((s) => s.name)).toEqual(['Root disk']);
    await harness.client.call('commands.deleteSnippet', { id: saved.id });
    expect(await harness.client.call('commands.snippets', {})).toEqual([]);
  });
});
