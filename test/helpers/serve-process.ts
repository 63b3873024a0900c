// Runs the built `hyperion serve` as a real child process, signs it in as a person would (the first
// admin through the printed setup link, with TOTP), and hands back a URL that opens the app signed in.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type WebSocket from 'ws';
import type { Api } from '../../common/api';
import type { ApiClient } from '../../common/rpc/client';
import type { Role } from '../../common/schemas/accounts';
import {
  createFirstAdmin,
  makeAccessKey,
  signedInClient,
  signIn,
  TEST_PASSWORD,
  type TestAccount,
} from './accounts';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const HYPERION_BIN = join(REPO_ROOT, 'bin', 'hyperion.js');

/**
 * Matches the URL that `serve` prints — the first admin's setup link, or the sign-in page once
 * accounts exist; only ever a loopback address.
 */
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:(\d+)\/(?:#setup=([A-Za-z0-9_-]+))?)\n/;
const STOP_GRACE_MS = 5_000;

export interface ServeOptions {
  /** Data folder; a fresh temporary one (removed on stop) when absent. */
  dataDir?: string;
  /** TCP port; 0 (any free port) when absent. */
  port?: number;
  /** Extra environment for the child, e.g. HYPERION_TOKEN. */
  env?: NodeJS.ProcessEnv;
  /** Remove the data folder on stop (default: only when the helper made it). */
  removeDataDirOnStop?: boolean;
  /** How long to wait for the URL line (default 15 s). */
  startTimeoutMs?: number;
  /**
   * Who `url` signs the browser in as (default admin): the helper makes the first admin through the
   * setup link (password and TOTP) and, for another role, a user with that role.
   */
  as?: Role;
  /** Make no account: `url` is then the printed one-time setup link, as a person would see it. */
  bare?: boolean;
  /** Accounts made by an earlier start on the same data folder (restartServe passes them). */
  accounts?: ServeAccounts;
}

/** The test accounts on a server, by role; the admin always exists unless the server is bare. */
export type ServeAccounts = Partial<Record<Role, TestAccount>>;

export interface StopOptions {
  /** Leave a temporary data folder in place, e.g. to restart on it. */
  keepDataDir?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServeProcess {
  /**
   * Opens the app signed in (as `as`, default admin): an access-key link `ORIGIN/#token=KEY`; for
   * a bare server, the printed setup link `ORIGIN/#setup=TOKEN`.
   */
  readonly url: string;
  /** What `serve` printed: the setup link on a first start, the sign-in page after. */
  readonly printedUrl: string;
  /** `http://127.0.0.1:PORT`, no token. */
  readonly origin: string;
  /** The credential in `url`: the access key, or the setup token of a bare server. */
  readonly token: string;
  /** The accounts the helper made, by role (admin, and the role asked for). */
  readonly accounts: ServeAccounts;
  /** The role `url` signs in as; null for a bare server. */
  readonly signedInAs: Role | null;
  /** An account with that role, made on first use (admin first, then the user). */
  account(role?: Role): Promise<TestAccount>;
  /** `ORIGIN/#token=KEY` signing a browser in with that role. */
  signInUrl(role?: Role): Promise<string>;
  /** A typed API client on a WebSocket signed in with that role's access key. */
  client(role?: Role): Promise<{ client: ApiClient<Api>; socket: WebSocket }>;
  readonly port: number;
  readonly dataDir: string;
  /** Whether stop() removes the data folder (unless told to keep it). */
  readonly removesDataDir: boolean;
  readonly child: ChildProcess;
  /** The environment given on top of process.env (reused by restartServe). */
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds from spawn to the URL line. */
  readonly startMs: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the child has exited, however it ended. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
  stop(options?: StopOptions): Promise<ExitStatus>;
}

// Children still running when the test worker exits are killed rather than orphaned.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startServe(options: ServeOptions = {}): Promise<ServeProcess> {
  const removesDataDir = options.removeDataDirOnStop ?? options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hyperion-serve-'));
  const env = { ...options.env };
  const args = [HYPERION_BIN, 'serve', '--port', String(options.port ?? 0), '--data-dir', dataDir];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ExitStatus>((done) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    });
  });

  const stop = async (stopOptions: StopOptions = {}): Promise<ExitStatus> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited.finally(() => clearTimeout(timer));
    }
    if (removesDataDir && !stopOptions.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    return exited;
  };

  const timeoutMs = options.startTimeoutMs ?? 15_000;
  try {
    const match = await new Promise<RegExpExecArray>((found, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`hyperion serve printed no URL within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (): void => {
        const m = URL_PATTERN.exec(stdout);
        if (m) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          found(m);
        }
      };
      child.stdout.on('data', onData);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        fail(new Error(`hyperion serve exited (code ${code}, signal ${signal}) before printing its URL`));
      });
    });
    const [, printedUrl, port, setupToken] = match as unknown as [string, string, string, string | undefined];
    const origin = `http://127.0.0.1:${port}`;
    const accounts: ServeAccounts = { ...options.accounts };
    const account = async (role: Role = 'admin'): Promise<TestAccount> => {
      const known = accounts[role];
      if (known) return known;
      if (!accounts.admin) {
        if (!setupToken) throw new Error('serve has accounts already, but this helper does not know them');
        const first = await createFirstAdmin(origin, setupToken);
        const { client, socket } = await signedInClient(origin, { cookie: first.cookie });
        try {
          accounts.admin = {
            ...first.account,
            accessKey: await makeAccessKey(client, TEST_PASSWORD, 'admin'),
          };
        } finally {
          socket.terminate();
        }
        if (role === 'admin') return accounts.admin;
      }
      // Another role: a user of that name, made by the admin, who signs in and makes a key.
      const admin = await signedInClient(origin, { key: accounts.admin.accessKey });
      try {
        await admin.client.call('users.create', {
          username: role,
          role,
          password: TEST_PASSWORD,
          mustChangePassword: false,
        });
      } finally {
        admin.socket.terminate();
      }
      const cookie = await signIn(origin, { username: role, password: TEST_PASSWORD });
      const own = await signedInClient(origin, { cookie });
      try {
        const made: TestAccount = {
          username: role,
          password: TEST_PASSWORD,
          role,
          recoveryCodes: [],
          accessKey: await makeAccessKey(own.client, TEST_PASSWORD, role),
        };
        accounts[role] = made;
        return made;
      } finally {
        own.socket.terminate();
      }
    };
    const signInUrl = async (role: Role = 'admin'): Promise<string> =>
      `${origin}/#token=${(await account(role)).accessKey}`;
    let url = printedUrl;
    let token = setupToken ?? '';
    if (!options.bare) {
      url = await signInUrl(options.as ?? 'admin');
      token = (await account(options.as ?? 'admin')).accessKey;
    }
    return {
      url,
      printedUrl,
      origin,
      token,
      accounts,
      signedInAs: options.bare ? null : (options.as ?? 'admin'),
      account,
      signInUrl,
      client: async (role: Role = 'admin') =>
        signedInClient(origin, { key: (await account(role)).accessKey }),
      port: Number(port),
      dataDir,
      removesDataDir,
      child,
      env,
      startMs: performance.now() - started,
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(
      `${(err as Error).message}\n--- stderr ---\n${stderr || '(empty)'}\n--- stdout ---\n${stdout || '(empty)'}`,
    );
  }
}

/**
 * Starts `serve` again on the port and data folder of an earlier one (stopped first if it still
 * runs): accounts, sessions and access keys are in the database, so an open page reconnects and
 * `url` still signs in. The new process takes over the data folder, and removes it on stop if the
 * earlier one would have.
 */
export async function restartServe(
  previous: ServeProcess,
  options: Omit<ServeOptions, 'port' | 'dataDir' | 'removeDataDirOnStop'> = {},
): Promise<ServeProcess> {
  await previous.stop({ keepDataDir: true });
  return startServe({
    as: previous.signedInAs ?? undefined,
    bare: previous.signedInAs === null,
    ...options,
    port: previous.port,
    dataDir: previous.dataDir,
    removeDataDirOnStop: previous.removesDataDir,
    env: { ...previous.env, ...options.env },
    accounts: previous.accounts,
  });
}
