// `hyperion exec` (the built CLI) against real loopback sshd hosts saved in a data folder: per-host
// output, the summary and exit status, --group, tags, Ctrl-C stopping the remote command, and the
// run recorded in the history and the audit log.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../main/core/audit/audit-log';
import { CommandStore } from '../../main/core/commands/command-store';
import { openDatabase } from '../../main/core/store/database';
import { connectTestClient, createTestCore } from '../helpers/core';
import { HYPERION_BIN } from '../helpers/serve-process';
import { addTrustedHosts, remoteProcesses } from '../helpers/ssh-tools';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd';

let fleet: SshdFleet;
let dataDir: string;
const env = { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: randomBytes(32).toString('hex') };

beforeAll(async () => {
  fleet = await startSshdFleet(3, { namePrefix: 'cx', port: 2822 });
  dataDir = mkdtempSync(join(tmpdir(), 'hyperion-cli-exec-'));
  // The hosts are saved and their keys accepted as a person would in the app, then the app stops.
  const testCore = await createTestCore({ dataDir, env });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  await addTrustedHosts(harness, fleet, fleet.hosts, 'cx');
  harness.client.close();
  await testCore.dispose();
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(args: string[], onStart?: (child: ChildProcess) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HYPERION_BIN, 'exec', ...args], {
      env: { PATH: process.env.PATH, HOME: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart?.(child);
  });
}

const data = () => ['--data-dir', dataDir];

describe('hyperion exec', () => {
  it('prints each host’s output and the summary, and exits 1 when a host failed', async () => {
    const failing = fleet.hosts[1]!.address;
    const result = await exec([
      'cx1,cx2,cx3',
      ...data(),
      '--',
      `echo "on $(echo $SSH_CONNECTION | cut -d' ' -f3)"; echo warn >&2; case " $SSH_CONNECTION " in *" ${failing} "*) exit 3;; esac`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(
      fleet.hosts.map((h, i) => `cx${i + 1} | on ${h.address}`).sort(),
    );
    expect(result.stderr).toContain('cx2 | warn\n');
    expect(result.stderr).toContain('cx2 | [exit 3, ');
    expect(result.stderr.trim().split('\n').at(-1)).toBe('3 hosts: 2 succeeded, 1 failed (cx2: exit 3)');
  });

  it('exits 0 when every host succeeded; --group prints one block per host; words after -- are joined', async () => {
    const result = await exec(['tag:cx', '--group', ...data(), '--', 'echo', 'hello', 'world']);
    expect(result.code).toBe(0);
    for (const name of ['cx1', 'cx2', 'cx3'])
      expect(result.stdout).toMatch(new RegExp(`── ${name} · exit 0, [\\d.]+ s ──\\nhello world\\n`));
    expect(result.stderr.trim()).toBe('3 hosts: 3 succeeded, 0 failed');
  });

  it('refuses unknown hosts and a missing -- with the usage (exit 2), running nothing', async () => {
    const unknown = await exec(['nope', ...data(), '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no saved host is called "nope" (saved hosts: cx1, cx2, cx3)');
    const noDash = await exec(['cx1', 'true', ...data()]);
    expect(noDash.code).toBe(2);
    expect(noDash.stderr).toContain('exec needs -- before the command');
  });

  it('stops the remote command on Ctrl-C and exits 130', async () => {
    let child: ChildProcess | undefined;
    const running = exec(['cx1', ...data(), '--', 'echo started; sleep 3407'], (c) => (child = c));
    await vi.waitFor(() => expect(remoteProcesses(fleet.user.name, '^sleep 3407')).toHaveLength(1), {
      timeout: 10_000,
    });
    child!.kill('SIGINT');
    const result = await running;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('cx1 | started\n');
    expect(result.stderr).toContain('1 host: 0 succeeded, 1 failed (cx1: cancelled)');
    expect(remoteProcesses(fleet.user.name, '3407')).toEqual([]);
  });

  it('records the runs in the history and each host’s outcome in the audit log, as "cli"', () => {
    const db = openDatabase({ path: join(dataDir, 'hyperion.db') });
    try {
      const runs = new CommandStore(db).history({ limit: 10 }).runs;
      expect(runs.map((r) => r.actor)).toEqual(['cli', 'cli', 'cli']);
      expect(runs.at(-1)!.summary).toEqual({ succeeded: 2, failed: 1, running: 0, queued: 0 });
      const audit = new AuditLog(db).list({ action: 'commands.result', limit: 50 }).entries;
      expect(audit).toHaveLength(7);
      expect(audit.every((e) => e.via === 'cli' && e.actor === 'cli')).toBe(true);
      expect(new AuditLog(db).verify().ok).toBe(true);
    } finally {
      db.close();
    }
  });
});
