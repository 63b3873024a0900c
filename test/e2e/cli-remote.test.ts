// `hyperion sample` against a real loopback sshd: the host key gate, then one full sample as JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd';

const BIN = join(__dirname, '..', '..', 'bin', 'hyperion.js');
let fleet: SshdFleet;
let home: string;

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: home, HYPERION_SECRETS: 'file', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  fleet = await startSshdFleet(1, { namePrefix: 'cli', port: 2722 });
  home = mkdtempSync(join(tmpdir(), 'hyperion-cli-home-'));
  writeFileSync(join(home, 'empty_known_hosts'), '');
}, 30_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('hyperion sample over SSH', () => {
  const target = () => `${fleet.user.name}@${fleet.hosts[0]!.address}:${fleet.hosts[0]!.port}`;
  const common = () => [
    '--identity',
    fleet.clientKeys.privateKeyPath,
    '--known-hosts',
    join(home, 'empty_known_hosts'),
    '--data-dir',
    join(home, 'data'),
  ];

  it('refuses an unknown host key, printing the fingerprint to verify, before logging in', async () => {
    const result = await run(['sample', target(), ...common(), '--json']);
    const fingerprint = await fleet.hosts[0]!.fingerprint();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(fingerprint);
    expect(result.stderr).toContain('--accept-key');
    expect(fleet.hosts[0]!.logLines(/Accepted|Failed/)).toEqual([]);
  });

  it('prints one full sample once the verified fingerprint is passed', async () => {
    const fingerprint = await fleet.hosts[0]!.fingerprint();
    const result = await run([
      'sample',
      target(),
      ...common(),
      '--accept-key',
      fingerprint,
      '--json',
      '--interval',
      '500',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sample = JSON.parse(result.stdout);
    expect(Object.keys(sample)).toEqual(
      expect.arrayContaining(['host', 'cpu', 'memory', 'network', 'disks']),
    );
    expect(sample.cpu.cores.length).toBeGreaterThan(0);
    expect(sample.cpu.load).toHaveLength(3);
    expect(sample.disks.filesystems.map((f: { mount: string }) => f.mount)).toContain('/');
    expect(sample.intervalMs).toBeGreaterThan(400);
  });

  it('says which input is wrong: a bad target, a missing key file, a wrong fingerprint format', async () => {
    const bad = await run(['sample', 'root@-oProxyCommand=x', ...common()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot start with "-"|host name/);
    const noKey = await run([
      'sample',
      target(),
      '--identity',
      '/nonexistent/key',
      '--data-dir',
      join(home, 'data'),
    ]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/cannot read the key file/);
    const fp = await run(['sample', target(), ...common(), '--accept-key', 'abc']);
    expect(fp.code).toBe(2);
  });
});
