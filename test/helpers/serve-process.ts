// Runs the built `hyperion serve` as a real child process and hands back its URL, token and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const HYPERION_BIN = join(REPO_ROOT, 'bin', 'hyperion.js');

/** Matches the access URL that `serve` prints; only ever a loopback address. */
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+))/;
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
}

export interface StopOptions {
  /** Leave a temporary data folder in place, e.g. to restart on it. */
  keepDataDir?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServeProcess {
  /** The printed URL, token included. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, no token. */
  readonly origin: string;
  readonly token: string;
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
    const [, url, port, token] = match as unknown as [string, string, string, string];
    return {
      url,
      origin: `http://127.0.0.1:${port}`,
      token,
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
 * Starts `serve` again on the port, data folder and token of an earlier one (stopped first if it
 * still runs): the token is fixed through HYPERION_TOKEN, so an open page can reconnect. The new
 * process takes over the data folder, and removes it on stop if the earlier one would have.
 */
export async function restartServe(
  previous: ServeProcess,
  options: Omit<ServeOptions, 'port' | 'dataDir' | 'removeDataDirOnStop'> = {},
): Promise<ServeProcess> {
  await previous.stop({ keepDataDir: true });
  return startServe({
    ...options,
    port: previous.port,
    dataDir: previous.dataDir,
    removeDataDirOnStop: previous.removesDataDir,
    env: { ...previous.env, HYPERION_TOKEN: previous.token, ...options.env },
  });
}
