// Fuzz: hostile values (";", "$()", backticks, quotes, line breaks, "-" prefixes, unicode, wrong
// types) in every field of every process and service method, locally and against a real SSH host.
// Each is refused as invalid before anything runs: no command reaches a runner, no signal or nice
// change is made, no canary file appears, and every refused action is in the audit log. Values that
// are valid but hostile (a journal search, an override's text) run with the text as one literal
// argument or as stdin (tested on a real systemd host in test/hosts/services.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { api } from '../../../common/api';
import { ApiError } from '../../../common/errors';
import type { ApiClient } from '../../../common/rpc/client';
import type { HostStatus } from '../../../common/schemas/hosts';
import { LocalRunner, SshRunner } from '../../../main/core/actions/host-runner';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestCore } from '../../helpers/core';
import { hostileWith } from '../../helpers/hostile';
import { startSshdFleet, type SshdFleet } from '../../helpers/sshd';

let fleet: SshdFleet;
let testCore: TestCore;
let client: ApiClient<typeof api>;
let statuses: Map<string, HostStatus>;
let sshHost: string;
let canaryDir: string;
let sentinel: ChildProcess;
let hostile: string[];

beforeAll(async () => {
  canaryDir = mkdtempSync(join(tmpdir(), 'hyperion-canary-'));
  hostile = hostileWith(join(canaryDir, 'ran'));
  fleet = await startSshdFleet(1, { namePrefix: 'fz', port: 2722 });
  testCore = await createTestCore({ connectionDefaults: FAST_CONNECTIONS });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  client = harness.client;
  statuses = harness.statuses;
  const h = fleet.hosts[0]!;
  const host = await client.call('hosts.add', {
    name: 'fz-host',
    address: h.address,
    port: h.port,
    username: fleet.user.name,
    auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
  });
  sshHost = host.id;
  await vi.waitFor(() => expect(statuses.get(sshHost)?.state).toBe('host_key_unknown'), { timeout: 15_000 });
  await client.call('hosts.acceptKey', {
    id: sshHost,
    fingerprint: statuses.get(sshHost)!.hostKey!.fingerprint,
  });
  await vi.waitFor(() => expect(statuses.get(sshHost)?.state).toBe('up'), { timeout: 15_000 });
}, 60_000);

beforeEach(() => {
  sentinel = spawn('/bin/sleep', ['4001'], { stdio: 'ignore' });
});

afterEach(() => {
  sentinel.kill('SIGKILL');
});

afterAll(async () => {
  client?.close();
  await testCore?.dispose();
  await fleet?.stop();
  rmSync(canaryDir, { recursive: true, force: true });
});

/**
 * The hostile texts that still make something invalid when glued to a valid value: not "" and not
 * words of systemd's unit-name alphabet ("-rf" makes "nginx-rf.service", a valid name that the
 * systemd suite runs as a literal unit name).
 */
const glued = () => hostile.filter((h) => !/^[A-Za-z0-9:_.\\-]*$/.test(h));

/** Hostile values for a PID, a signal, a nice value and a unit name: text, wrong types, edges. */
function pids(): unknown[] {
  return [
    ...hostile,
    ...glued().map((h) => `1${h}`),
    '1',
    -1,
    0,
    1.5,
    4_194_305,
    Number.NaN,
    null,
    true,
    [1],
    { pid: 1 },
  ];
}
function signals(): unknown[] {
  return [
    ...hostile,
    ...glued().map((h) => `TERM${h}`),
    'term',
    'SIGTERM',
    '9',
    9,
    '-9',
    'TERM ',
    'ＴＥＲＭ',
    null,
  ];
}
function nices(): unknown[] {
  return [...hostile, '5', -21, 20, 1.5, 1e9, Number.NaN, null];
}
function units(): unknown[] {
  return [
    ...hostile,
    ...glued().map((h) => `nginx${h}.service`),
    ...glued().map((h) => `${h}.service`),
    'nginx',
    'nginx.servicee',
    'nginx✓.service',
    'ｎｇｉｎｘ.service',
    `${'a'.repeat(250)}.service`,
    'a/b.service',
    '../etc.service',
    'a@b@.servicex',
    42,
    null,
  ];
}

interface Case {
  method: string;
  input: Record<string, unknown>;
}

/** Every method that acts on a process or a unit, with one field replaced by each hostile value. */
function cases(host: string): Case[] {
  const unit = 'hyperion-none.service';
  const out: Case[] = [];
  const vary = (method: string, base: Record<string, unknown>, field: string, values: unknown[]) => {
    for (const v of values) out.push({ method, input: { ...base, [field]: v } });
  };
  for (const method of ['processes.signal', 'processes.renice', 'processes.restartService']) {
    const base: Record<string, unknown> =
      method === 'processes.signal'
        ? { host, pid: sentinel.pid!, signal: 'KILL' }
        : method === 'processes.renice'
          ? { host, pid: sentinel.pid!, nice: 19 }
          : { host, pid: sentinel.pid! };
    vary(method, base, 'host', hostile);
    vary(method, base, 'pid', pids());
    if (method === 'processes.signal') vary(method, base, 'signal', signals());
    if (method === 'processes.renice') vary(method, base, 'nice', nices());
    vary(method, base, 'expect', [...hostile, { startTicks: 'x; touch' }, { startTicks: -1 }]);
    out.push({ method, input: { ...base, extra: '; touch' } });
  }
  const unitMethods = [
    'services.start',
    'services.stop',
    'services.restart',
    'services.reload',
    'services.enable',
    'services.disable',
    'services.details',
    'services.files',
    'services.setOverride',
    'services.journal',
  ];
  for (const method of unitMethods) {
    const base: Record<string, unknown> =
      method === 'services.setOverride' ? { host, unit, content: '', expected: '' } : { host, unit };
    vary(method, base, 'host', hostile);
    vary(method, base, 'unit', units());
    out.push({ method, input: { ...base, extra: '$(touch)' } });
    if (method === 'services.enable' || method === 'services.disable') vary(method, base, 'now', hostile);
    if (method === 'services.setOverride') {
      vary(method, base, 'content', [null, 42, 'a\0b', 'x'.repeat(70_000)]);
      vary(method, base, 'restart', hostile);
    }
    if (method === 'services.journal') {
      vary(method, base, 'lines', [...hostile, -1, 0, 5001, 1.5]);
      vary(method, base, 'priority', [...hostile, -1, 8, 'err']);
      vary(method, base, 'search', ['a\nb', 'x\r', '\0', 'x'.repeat(201)]);
    }
  }
  return out;
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return err instanceof ApiError ? err.code : `thrown: ${String(err)}`;
  }
}

function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('hostile input to every process and service action', () => {
  it.each([['local'], ['ssh']])('refuses every hostile value on %s before anything runs', async (which) => {
    const host = which === 'local' ? 'local' : sshHost;
    const runs = [
      vi.spyOn(LocalRunner.prototype, 'run'),
      vi.spyOn(LocalRunner.prototype, 'spawn'),
      vi.spyOn(SshRunner.prototype, 'run'),
      vi.spyOn(SshRunner.prototype, 'spawn'),
      vi.spyOn(process, 'kill'),
    ];
    const exec = testCore.core.hosts.connectionOf(sshHost).connection!;
    const execSpy = vi.spyOn(exec, 'exec');
    const niceBefore = niceOf(sentinel.pid!);
    const before = (await client.call('audit.list', { result: 'refused', limit: 1 })).entries[0]?.seq ?? 0;
    const all = cases(host);
    const results = new Map<string, number>();
    try {
      for (const c of all) {
        const code = await outcome(client.call(c.method as never, c.input as never));
        results.set(code, (results.get(code) ?? 0) + 1);
        if (code !== 'invalid_input')
          throw new Error(`${c.method} ${JSON.stringify(c.input)} was not refused: ${code}`);
      }
      // The streams too: a hostile subscription ends with invalid_input and reads nothing.
      for (const [stream, field, values] of [
        ['processes.live', 'host', hostile],
        ['processes.live', 'intervalMs', [...hostile, 10, 1e9]],
        ['services.journal.live', 'host', hostile],
        ['services.journal.live', 'unit', units()],
        ['services.journal.live', 'search', ['a\nb', '\0', 'x'.repeat(201)]],
      ] as const) {
        for (const value of values) {
          const params = { host, [field]: value };
          const code = await new Promise<string>((resolve) => {
            const off = client.subscribe(stream as never, params as never, {
              onEvent: () => resolve('event'),
              onError: (err) => resolve(err.code),
            });
            setTimeout(() => {
              off();
              resolve('no answer');
            }, 2000);
          });
          if (code !== 'invalid_input') throw new Error(`${stream} ${JSON.stringify(params)}: ${code}`);
        }
      }
      for (const spy of runs) expect(spy).not.toHaveBeenCalled();
      expect(execSpy).not.toHaveBeenCalled();
      expect(testCore.core.processes.watchedHosts()).toEqual([]);
    } finally {
      for (const spy of runs) spy.mockRestore();
      execSpy.mockRestore();
    }
    expect(results.get('invalid_input')).toBe(all.length);
    expect(all.length).toBeGreaterThan(1000);
    // Nothing happened to the process they aimed at, and nothing ran.
    expect(sentinel.exitCode).toBeNull();
    expect(sentinel.signalCode).toBeNull();
    expect(niceOf(sentinel.pid!)).toBe(niceBefore);
    expect(readdirSync(canaryDir)).toEqual([]);
    // Every refused action is in the audit log, with why.
    const mutating = all.filter(
      (c) => !['services.details', 'services.files', 'services.journal'].includes(c.method),
    );
    const audited = await client.call('audit.list', { result: 'refused', limit: 1000 });
    const fresh = audited.entries.filter((e) => e.seq > before);
    expect(fresh.length).toBe(Math.min(1000, mutating.length));
    expect(fresh.every((e) => e.error?.startsWith('The input of '))).toBe(true);
  });

  it('sends every quotable hostile argument to a real remote shell as exactly that argument', async () => {
    const { connection, host } = testCore.core.hosts.connectionOf(sshHost);
    const ssh = new SshRunner(sshHost, host.name, connection!, host.username);
    const args = hostile.filter((h) => !/[\0\n\r]/.test(h));
    const out = await ssh.run(['printf', '%s\\0', ...args]);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(args);
    expect(existsSync(join(canaryDir, 'ran'))).toBe(false);
    // A line break or NUL never reaches the wire.
    await expect(ssh.run(['printf', '%s', 'a\nb'])).rejects.toThrow(/line break/);
    await expect(ssh.run(['printf', '%s', 'a\0b'])).rejects.toThrow(/NUL/);
  });
});
