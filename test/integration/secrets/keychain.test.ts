// A real OS keychain round trip: gnome-keyring's Secret Service on a private D-Bus session, reached by
// keytar through KeytarSecretStore in separate child processes (bundled by esbuild, keytar external).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { ChildOp, ChildResult } from './keychain-child';

const ROOT = resolve(__dirname, '..', '..', '..');
const REQUIRED_TOOLS = [
  { tool: 'dbus-run-session', debianPackage: 'dbus', note: 'dbus-run-session comes with dbus-daemon' },
  { tool: 'gnome-keyring-daemon', debianPackage: 'gnome-keyring', note: 'the Secret Service for keytar' },
] as const;

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

let work: string;
let child: string;

/** Fails the calling test (not skips it) when the machine lacks what a real keychain needs. */
function requireKeychainTools(): void {
  const missing = REQUIRED_TOOLS.filter(({ tool }) => !onPath(tool));
  if (missing.length === 0) return;
  const list = missing.map((m) => `${m.tool} (Debian package ${m.debianPackage}: ${m.note})`).join(', ');
  const packages = missing.map((m) => m.debianPackage).join(' ');
  throw new Error(`The keychain test needs ${list}. Install with: apt-get install ${packages} libsecret-1-0`);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hyperion-keychain-'));
  child = join(work, 'keychain-child.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'keychain-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['keytar'],
    outfile: child,
    logLevel: 'silent',
  });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A fresh HOME and XDG_RUNTIME_DIR: nothing of this machine's own sessions leaks in. */
function freshUser(): { home: string; runtime: string } {
  const home = mkdtempSync(join(work, 'home-'));
  const runtime = mkdtempSync(join(work, 'run-'));
  return { home, runtime };
}

function baseEnv(user: { home: string; runtime: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: user.home,
    XDG_RUNTIME_DIR: user.runtime,
    // The bundle lives in a temp folder: keytar is found through the checkout's node_modules.
    NODE_PATH: join(ROOT, 'node_modules'),
  };
}

function parse(stdout: string): ChildResult[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ChildResult);
}

/** Each batch of operations runs in its own `node` process, all inside one D-Bus session. */
function inKeychainSession(user: { home: string; runtime: string }, batches: ChildOp[][]): ChildResult[][] {
  const env: NodeJS.ProcessEnv = { ...baseEnv(user), CHILD: child };
  const steps = batches.map((batch, i) => {
    env[`OPS_${i}`] = JSON.stringify(batch);
    return `node "$CHILD" "$OPS_${i}"; echo "--- $?"`;
  });
  const script = [
    `printf '%s' pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null`,
    ...steps,
  ].join('\n');
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  const parts = run.stdout.split(/^--- \d+$/m).slice(0, batches.length);
  const codes = [...run.stdout.matchAll(/^--- (\d+)$/gm)].map((m) => Number(m[1]));
  if (codes.length !== batches.length || codes.some((c) => c !== 0)) {
    throw new Error(`keychain child failed (exit codes ${codes.join(', ')}):\n${run.stdout}\n${run.stderr}`);
  }
  return parts.map(parse);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the OS keychain through KeytarSecretStore (gnome-keyring on a private D-Bus session)', () => {
  const ref = 'host:web-1:password';
  const secret = `kéy-chain ✓ ${Date.now()}\nsecond line`;

  it('keeps a secret across processes and sessions, and chooseSecretStore picks it', () => {
    requireKeychainTools();
    const user = freshUser();
    const [setting, reading] = inKeychainSession(user, [
      [{ op: 'set', ref, value: secret }],
      [
        { op: 'get', ref },
        { op: 'choose', dataDir: join(user.home, 'data') },
      ],
    ]);
    expect(setting).toEqual([{ ok: true, op: 'set', value: null }]);
    // Read back by a second process: the value lives in the keyring, not in the first process.
    expect(reading?.[0]).toEqual({ ok: true, op: 'get', value: secret });
    expect(reading?.[1]).toMatchObject({ ok: true, value: { kind: 'os-keychain' } });
    expect(JSON.stringify(reading?.[1])).toMatch(/Secret Service/);

    // gnome-keyring wrote the item to its keyring file, encrypted: nothing under HOME holds it in clear.
    expect(filesUnder(user.home).some((f) => f.endsWith('.keyring'))).toBe(true);
    for (const file of filesUnder(user.home)) {
      expect(readFileSync(file).includes(Buffer.from(secret))).toBe(false);
    }
    // No encrypted-file fallback was created.
    expect(filesUnder(user.home).some((f) => f.includes('secrets.'))).toBe(false);

    // A new D-Bus session on the same HOME unlocks the same keyring and finds the secret.
    const [later] = inKeychainSession(user, [
      [
        { op: 'get', ref },
        { op: 'delete', ref },
        { op: 'delete', ref },
        { op: 'get', ref },
      ],
    ]);
    expect(later).toEqual([
      { ok: true, op: 'get', value: secret },
      { ok: true, op: 'delete', value: true },
      { ok: true, op: 'delete', value: false },
      { ok: true, op: 'get', value: null },
    ]);
  });

  it('falls back to the encrypted file when there is no D-Bus session', () => {
    requireKeychainTools();
    const user = freshUser();
    const env = baseEnv(user); // no DBUS_SESSION_BUS_ADDRESS, no DISPLAY
    const ops: ChildOp[] = [
      { op: 'choose', dataDir: join(user.home, 'data') },
      { op: 'get', ref },
    ];
    const run = spawnSync(process.execPath, [child, JSON.stringify(ops)], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const [choice, direct] = parse(run.stdout);
    expect(choice).toMatchObject({ ok: true, value: { kind: 'encrypted-file' } });
    expect((choice as { value: { keychainUnavailable: string } }).value.keychainUnavailable).toMatch(
      /OS keychain/,
    );
    // Used directly, the keychain store fails with a typed error instead of crashing the process.
    expect(direct).toMatchObject({ ok: false, reason: 'keychain_unavailable' });
  });
});
