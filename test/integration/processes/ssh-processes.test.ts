// The process table of an SSH host and the actions on it, against a real sshd on loopback logged in
// as an ordinary user (no sudo on this machine): the same rows as the local reader, hostile names
// and arguments shown as they are, renice and signals on the user's own processes taking effect in
// /proc, and root's processes refused with "needs root or sudo on HOST".
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { api } from '../../../common/api';
import type { ApiError } from '../../../common/errors';
import type { ApiClient } from '../../../common/rpc/client';
import type { HostStatus } from '../../../common/schemas/hosts';
import type { ProcessesLiveEvent, ProcessRow } from '../../../common/schemas/processes';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestCore } from '../../helpers/core';
import { startSshdFleet, type SshdFleet } from '../../helpers/sshd';

let fleet: SshdFleet;
let testCore: TestCore;
let client: ApiClient<typeof api>;
let statuses: Map<string, HostStatus>;
let hostId: string;
let testUid: number;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fleet = await startSshdFleet(1, { namePrefix: 'ps', port: 2422 });
  testUid = Number(execFileSync('id', ['-u', fleet.user.name], { encoding: 'utf8' }).trim());
  testCore = await createTestCore({ connectionDefaults: FAST_CONNECTIONS });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  client = harness.client;
  statuses = harness.statuses;
  const h = fleet.hosts[0]!;
  const host = await client.call('hosts.add', {
    name: 'ps-host',
    address: h.address,
    port: h.port,
    username: fleet.user.name,
    auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
  });
  hostId = host.id;
  await vi.waitFor(() => expect(statuses.get(hostId)?.state).toBe('host_key_unknown'), { timeout: 15_000 });
  await client.call('hosts.acceptKey', {
    id: hostId,
    fingerprint: statuses.get(hostId)!.hostKey!.fingerprint,
  });
  await vi.waitFor(() => expect(statuses.get(hostId)?.state).toBe('up'), { timeout: 15_000 });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  client?.close();
  await testCore?.dispose();
  await fleet?.stop();
});

/** A process of the SSH login user (the "remote" host is this machine). */
function userChild(file: string, args: string[], asRoot = false): ChildProcess {
  const c = spawn(file, args, {
    stdio: 'ignore',
    ...(asRoot ? {} : { uid: testUid, gid: testUid }),
    cwd: '/',
  });
  children.push(c);
  return c;
}

async function started(c: ChildProcess, marker: string): Promise<void> {
  await vi.waitFor(() => expect(readFileSync(`/proc/${c.pid}/cmdline`, 'latin1')).toContain(marker));
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

async function remoteRow(pid: number): Promise<ProcessRow> {
  const { processes } = await client.call('processes.list', { host: hostId });
  const found = processes.find((p) => p.pid === pid);
  if (!found) throw new Error(`PID ${pid} is not in the SSH table`);
  return found;
}

function procNice(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[16]);
}

const exited = (c: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve(c.signalCode);
    c.once('exit', (_code, signal) => resolve(signal));
  });

describe('processes over SSH', () => {
  it('reads the same rows over SSH as from /proc here, hostile names included', async () => {
    const plain = userChild('/bin/sleep', ['2001']);
    // A name with a line break, ")" and "@@"; arguments with spaces, line breaks and a fake section.
    const named = userChild('/usr/bin/perl', ['-e', '$0 = "x) R 1\\n\\@\\@p"; sleep 2002']);
    const argued = userChild('/bin/sh', [
      '-c',
      'sleep 2003; : "$@"',
      'sh',
      'two words',
      'line\nbreak',
      '@@pcmdline',
      '0/stat:1 (fake)',
    ]);
    await started(plain, '2001');
    await started(argued, '2003');
    await vi.waitFor(() => expect(readFileSync(`/proc/${named.pid}/comm`, 'latin1')).toContain('@@p'));

    const [remote, local] = await Promise.all([
      client.call('processes.list', { host: hostId }),
      client.call('processes.list', { host: 'local' }),
    ]);
    expect(remote.info.bytes).toBeGreaterThan(1000);
    for (const pid of [plain.pid!, named.pid!, argued.pid!]) {
      const r = remote.processes.find((p) => p.pid === pid)!;
      const l = local.processes.find((p) => p.pid === pid)!;
      expect(r).toBeDefined();
      for (const key of [
        'ppid',
        'uid',
        'user',
        'name',
        'cmdline',
        'threads',
        'nice',
        'startTicks',
        'startedAt',
      ] as const) {
        expect(r[key], key).toEqual(l[key]);
      }
      expect(r.user).toBe(fleet.user.name);
    }
    expect(remote.processes.find((p) => p.pid === named.pid)!.name).toBe('x) R 1\n@@p');
    expect(remote.processes.find((p) => p.pid === argued.pid)!.cmdline).toBe(
      '/bin/sh -c sleep 2003; : "$@" sh two words line\nbreak @@pcmdline 0/stat:1 (fake)',
    );
    // No process was invented from the fake "0/stat:" and "@@" text.
    expect(remote.processes.every((p) => p.pid > 0)).toBe(true);
    expect(new Set(remote.processes.map((p) => p.pid)).size).toBe(remote.processes.length);
    // The login user cannot read root's I/O counters: said, not guessed.
    expect(remote.info.notes.join(' ')).toContain('I/O is not readable');
    expect(remote.processes.find((p) => p.pid === 1)!.readBytesPerSec).toBeNull();
  });

  it('streams the table with CPU % of a busy remote process', async () => {
    const busy = userChild('/bin/sh', ['-c', 'while :; do :; done']);
    const events: ProcessesLiveEvent[] = [];
    const stop = client.subscribe(
      'processes.live',
      { host: hostId, intervalMs: 1000 },
      { onEvent: (e) => events.push(e) },
    );
    try {
      await vi.waitFor(
        () => {
          const latest = events
            .flatMap((e) => (e.kind === 'changes' ? e.upserts : e.kind === 'snapshot' ? e.processes : []))
            .filter((p) => p.pid === busy.pid)
            .at(-1);
          // A loaded machine may give the loop far less than a core; an idle process gets none.
          expect(latest?.cpuPercent).toBeGreaterThan(10);
        },
        { timeout: 15_000 },
      );
      expect(events[0]!.kind).toBe('snapshot');
    } finally {
      stop();
      busy.kill('SIGKILL');
    }
  });

  it('renices and signals the login user’s own process, with the effect in /proc', async () => {
    const c = userChild('/bin/sleep', ['2004']);
    await started(c, '2004');
    const { startTicks } = await remoteRow(c.pid!);
    const reniced = await client.call('processes.renice', {
      host: hostId,
      pid: c.pid!,
      nice: 5,
      expect: { startTicks },
    });
    expect(reniced.nice).toBe(5);
    expect(procNice(c.pid!)).toBe(5);
    await client.call('processes.signal', {
      host: hostId,
      pid: c.pid!,
      signal: 'TERM',
      expect: { startTicks },
    });
    expect(await exited(c)).toBe('SIGTERM');
  });

  it('says "needs root or sudo" for what the login user may not do, and changes nothing', async () => {
    const own = userChild('/bin/sleep', ['2005']);
    const roots = userChild('/bin/sleep', ['2006'], true);
    await started(own, '2005');
    await started(roots, '2006');
    const lower = await failure(client.call('processes.renice', { host: hostId, pid: own.pid!, nice: -5 }));
    expect(lower.code).toBe('forbidden');
    expect(lower.message).toBe(
      `Setting the nice value of sleep (PID ${own.pid}) to -5 needs root or sudo on ps-host.`,
    );
    expect(procNice(own.pid!)).toBe(0);

    const kill = await failure(
      client.call('processes.signal', { host: hostId, pid: roots.pid!, signal: 'KILL' }),
    );
    expect(kill.code).toBe('forbidden');
    expect(kill.message).toBe(`Sending SIGKILL to sleep (PID ${roots.pid}) needs root or sudo on ps-host.`);
    expect(kill.message).not.toMatch(/sudo:|Operation not permitted/);
    expect(roots.exitCode).toBeNull();

    const { entries } = await client.call('audit.list', {
      host: hostId,
      action: 'processes.',
      // The host refused it: recorded as refused, with the sentence the person saw.
      result: 'refused',
    });
    expect(entries.map((e) => e.error)).toContain(kill.message);
  });

  it('reports a process that is gone', async () => {
    const missing = await failure(
      client.call('processes.signal', { host: hostId, pid: 4_194_001, signal: 'TERM' }),
    );
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('There is no process with PID 4194001 on ps-host.');
  });
});
