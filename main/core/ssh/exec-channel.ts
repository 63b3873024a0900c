// A command running in its own channel on an existing SSH connection: streams, and how it ended.
import type { Readable, Writable } from 'node:stream';
import type { ClientChannel } from 'ssh2';

export interface ExecExit {
  /** The command's exit status; null when it was killed by a signal or the connection dropped. */
  code: number | null;
  signal: string | null;
}

export interface ExecChannel {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /**
   * Settles when the command reports how it ended, or when the channel or the whole connection closes
   * without saying (code null). Output may still be arriving: read stdout/stderr to their end for all of it.
   */
  exit: Promise<ExecExit>;
  /** Closes the channel (the remote command gets SIGHUP from sshd). */
  close(): void;
  /**
   * Asks sshd to send a signal ("TERM", "KILL", …) to the command's process group (OpenSSH ≥ 7.9
   * honours it; other servers may ignore it silently).
   */
  signal(name: string): void;
}

export interface ExecOptions {
  /** Allocate a terminal (needed by some interactive tools; merges stderr into stdout). */
  pty?: boolean;
  /** Environment for the command; sshd only passes names listed in its AcceptEnv. */
  env?: Record<string, string>;
}

/** `connectionClosed` settles when the SSH connection under the channel goes away. */
export function wrapExecChannel(channel: ClientChannel, connectionClosed: Promise<void>): ExecChannel {
  const exit = new Promise<ExecExit>((resolve) => {
    channel.once('exit', (code: number | null, signal?: string) =>
      resolve({ code: typeof code === 'number' ? code : null, signal: signal ?? null }),
    );
    // ssh2 emits 'close' only once stdout was read to its end; a dropped connection settles it too.
    channel.once('close', () => resolve({ code: null, signal: null }));
    void connectionClosed.then(() => resolve({ code: null, signal: null }));
  });
  return {
    stdin: channel,
    stdout: channel,
    stderr: channel.stderr,
    exit,
    close: () => {
      channel.close();
    },
    signal: (name) => sendSignal(channel, name),
  };
}

/** ssh2's own channel.signal() gives up once we sent EOF, but SSH allows requests after EOF. */
interface ChannelInternals {
  type?: string;
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, name: string): void } };
}

function sendSignal(channel: ClientChannel, name: string): void {
  const raw = channel as unknown as ChannelInternals;
  const state = raw.outgoing?.state;
  try {
    if (raw.type === 'session' && (state === 'open' || state === 'eof') && raw._client?._protocol) {
      raw._client._protocol.signal(raw.outgoing!.id, name);
    } else {
      channel.signal(name);
    }
  } catch {
    // The channel or the connection is already closed: there is no process left to signal.
  }
}

export interface CollectedOutput extends ExecExit {
  stdout: string;
  stderr: string;
  /** True when output went past the limit and the rest was dropped. */
  truncated: boolean;
}

/** Reads a channel to its end as UTF-8 text, keeping at most `maxBytes` of each stream. */
export async function collectOutput(channel: ExecChannel, maxBytes = 1024 * 1024): Promise<CollectedOutput> {
  let truncated = false;
  const gather = (stream: Readable): Promise<string> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        if (size >= maxBytes) {
          truncated = true;
          return;
        }
        const kept = chunk.subarray(0, maxBytes - size);
        if (kept.length < chunk.length) truncated = true;
        chunks.push(kept);
        size += kept.length;
      });
      const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
      stream.once('end', done);
      stream.once('close', done);
    });
  channel.stdin.end();
  const [stdout, stderr, exit] = await Promise.all([
    gather(channel.stdout),
    gather(channel.stderr),
    channel.exit,
  ]);
  return { ...exit, stdout, stderr, truncated };
}
