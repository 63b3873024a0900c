// The built `hyperion` command as a user runs it: a real sample, usage errors, the version.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { HYPERION_BIN, REPO_ROOT } from '../helpers/serve-process';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hyperion(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [HYPERION_BIN, ...args],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function cpuCount(): number {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+\s/.test(line)).length;
  } catch {
    return cpus().length;
  }
}

const isPercent = (value: unknown): boolean => typeof value === 'number' && value >= 0 && value <= 100;

describe('the hyperion command', () => {
  it('`sample --json` prints one sample of this machine', async () => {
    const run = await hyperion('sample', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sample = JSON.parse(run.stdout) as {
      intervalMs: number;
      host: { hostname: string; cores: number };
      cpu: {
        total: Record<string, number>;
        cores: Record<string, number>[];
        load: number[];
      };
    };
    expect(sample.host.hostname).toBeTruthy();
    expect(sample.host.cores).toBe(cpuCount());
    expect(isPercent(sample.cpu.total.usage)).toBe(true);
    expect(isPercent(sample.cpu.total.idle)).toBe(true);
    expect(sample.cpu.cores).toHaveLength(cpuCount());
    for (const core of sample.cpu.cores) expect(isPercent(core.usage)).toBe(true);
    expect(sample.cpu.load).toHaveLength(3);
    for (const load of sample.cpu.load) expect(load).toBeGreaterThanOrEqual(0);
    // The two readings are a second apart by default; a loaded machine may stretch that a little.
    expect(sample.intervalMs).toBeGreaterThanOrEqual(950);
    expect(sample.intervalMs).toBeLessThanOrEqual(1500);
  });

  it.each([
    { command: 'bogus', reason: 'unknown command "bogus"' },
    { command: 'serve --port 70000', reason: '--port must be a whole number from 0 to 65535' },
    { command: 'sample --nope', reason: '--nope' },
    { command: '', reason: 'no command given' },
  ])('`hyperion $command` exits 2 with the reason and the usage on stderr', async ({ command, reason }) => {
    const args = command.split(' ').filter(Boolean);
    const run = await hyperion(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(reason);
    expect(run.stderr).toContain('Usage: hyperion <command>');
    expect(run.stderr).not.toMatch(/^\s*at /m);
  });

  it('`version` prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await hyperion('version');
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
