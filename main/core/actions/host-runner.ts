// Runs a fixed command with validated arguments on one host: locally with execFile (an argument
// array, no shell), over SSH as one quoted command line in a new channel of the host's connection.
// Privileged commands get `sudo -n` over SSH when the login user is not root; locally they run as
// the user Hyperion runs as.
import { execFile, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../../../common/errors';
import type { HostConnection } from '../ssh/connection';
import type { ExecChannel } from '../ssh/exec-channel';
import { sshFailureToApiError } from '../ssh/ssh-errors';
import { commandLine } from './shell-quote';

export interface CommandOutput {
  /** Exit status; null when killed by a signal, timed out, or the connection dropped. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Bytes of stdout and stderr (what came over the wire, before SSH compression). */
  bytes: number;
}

export interface RunOptions {
  /** Needs root: `sudo -n` over SSH when the login user is not root. */
  privileged?: boolean;
  /** Text written to the command's stdin (then closed). */
  stdin?: string;
  /** Ends the command after this long (default 20 s). */
  timeoutMs?: number;
  /** At most this many bytes of stdout are kept (default 64 MiB). */
  maxBytes?: number;
}

export interface RunningCommand {
  /** Called with stdout text as it arrives (whole UTF-8 characters). */
  onStdout(listener: (text: string) => void): void;
  /** Settles when the command ends, with what it wrote to stderr. */
  readonly ended: Promise<{ code: number | null; stderr: string }>;
  /** Ends the command (idempotent). */
  stop(): void;
}

export interface HostRunner {
  readonly hostId: string;
  /** How messages name the host: "this computer" or the saved host's name. */
  readonly label: string;
  readonly local: boolean;
  /** Whether privileged commands can be retried with sudo (an SSH login that is not root). */
  readonly canEscalate: boolean;
  run(argv: readonly string[], options?: RunOptions): Promise<CommandOutput>;
  /** A long-running command (journalctl -f), stopped by stop() or when the host goes away. */
  spawn(argv: readonly string[], options?: { privileged?: boolean }): Promise<RunningCommand>;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Messages of the tools in English, so the privilege and not-found patterns match. */
const C_LOCALE = { LC_ALL: 'C', TZ: 'UTC', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' };
/** The same for SSH: fixed words before the quoted command (sudo keeps LC_ALL and TZ). */
const C_LOCALE_PREFIX = 'LC_ALL=C TZ=UTC SYSTEMD_COLORS=0';

/** The local machine: execFile with an argument array; no shell ever. */
export class LocalRunner implements HostRunner {
  readonly local = true;
  readonly canEscalate = false;
  constructor(
    readonly hostId: string,
    readonly label = 'this computer',
  ) {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandOutput> {
    const [file, ...args] = argv;
    if (!file) return Promise.reject(new Error('no command'));
    return new Promise((resolve) => {
      const child = execFile(
        file,
        args,
        {
          encoding: 'utf8',
          timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBuffer: options.maxBytes ?? DEFAULT_MAX_BYTES,
          env: { ...process.env, ...C_LOCALE },
        },
        (error, stdout, stderr) => {
          const bytes = Buffer.byteLength(stdout) + Buffer.byteLength(stderr);
          if (!error) return resolve({ code: 0, stdout, stderr, bytes });
          const err = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
          if (err.code === 'ENOENT') {
            return resolve({ code: 127, stdout, stderr: `${file}: command not found`, bytes });
          }
          resolve({ code: typeof err.code === 'number' ? err.code : null, stdout, stderr, bytes });
        },
      );
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.stdin ?? '');
    });
  }

  async spawn(argv: readonly string[]): Promise<RunningCommand> {
    const [file, ...args] = argv;
    if (!file) throw new Error('no command');
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...C_LOCALE },
    });
    const decoder = new StringDecoder('utf8');
    const listeners: ((text: string) => void)[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text) for (const l of listeners) l(text);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    const ended = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      child.once('error', (err: NodeJS.ErrnoException) =>
        resolve({ code: 127, stderr: err.code === 'ENOENT' ? `${file}: command not found` : err.message }),
      );
      child.once('close', (code) => resolve({ code, stderr }));
    });
    return {
      onStdout: (l) => void listeners.push(l),
      ended,
      stop: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      },
    };
  }
}

/**
 * Ends the wrapped command when the channel's stdin closes (the SSH channel was closed): sshd does not
 * signal a command that has no terminal, so `journalctl -f` would otherwise linger until it writes.
 */
const FOLLOW_SCRIPT =
  'exec 3<&0; "$@" </dev/null & p=$!; (read _ <&3; kill $p 2>/dev/null) & w=$!; wait $p; s=$?; kill $w 2>/dev/null; exit $s';

/** An SSH host: one new channel per command on its existing connection; never a second login. */
export class SshRunner implements HostRunner {
  readonly local = false;
  constructor(
    readonly hostId: string,
    readonly label: string,
    private readonly connection: HostConnection,
    /** The login user; root needs no sudo. */
    private readonly username: string,
  ) {}

  get canEscalate(): boolean {
    return this.username !== 'root';
  }

  /** The exact command line sent for an argument vector (tests and the audit of this code read it). */
  commandFor(argv: readonly string[], privileged = false): string {
    const prefix = privileged && this.username !== 'root' ? ['sudo', '-n', '--'] : [];
    return `${C_LOCALE_PREFIX} ${commandLine([...prefix, ...argv])}`;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandOutput> {
    const channel = await this.open(this.commandFor(argv, options.privileged));
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    channel.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes <= maxBytes) out.push(chunk);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= 65_536) err.push(chunk);
    });
    const drained = (s: NodeJS.ReadableStream) =>
      new Promise<void>((resolve) => {
        s.once('end', resolve);
        s.once('close', resolve);
      });
    channel.stdin.on('error', () => undefined);
    channel.stdin.end(options.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      channel.close();
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      const [exit] = await Promise.all([channel.exit, drained(channel.stdout), drained(channel.stderr)]);
      if (timedOut) {
        throw new ApiError('timeout', `${this.label} did not finish the command in time.`, { argv });
      }
      if (outBytes > maxBytes) {
        throw new ApiError('unavailable', `${this.label} sent more output than Hyperion reads at once.`);
      }
      return {
        code: exit.code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        bytes: outBytes + errBytes,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async spawn(argv: readonly string[], options: { privileged?: boolean } = {}): Promise<RunningCommand> {
    const prefix = options.privileged && this.username !== 'root' ? ['sudo', '-n', '--'] : [];
    const wrapped = ['sh', '-c', FOLLOW_SCRIPT, 'hyperion-follow', ...prefix, ...argv];
    const channel = await this.open(`${C_LOCALE_PREFIX} ${commandLine(wrapped)}`);
    const decoder = new StringDecoder('utf8');
    const listeners: ((text: string) => void)[] = [];
    let stderr = '';
    channel.stdout.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text) for (const l of listeners) l(text);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    channel.stdin.on('error', () => undefined);
    const ended = channel.exit.then((exit) => ({ code: exit.code, stderr }));
    let stopped = false;
    return {
      onStdout: (l) => void listeners.push(l),
      ended,
      stop: () => {
        if (stopped) return;
        stopped = true;
        channel.stdin.end();
        channel.close();
      },
    };
  }

  private async open(command: string): Promise<ExecChannel> {
    const result = await this.connection.exec(command);
    if (!result.ok) throw sshFailureToApiError(result.error);
    return result.value;
  }
}
