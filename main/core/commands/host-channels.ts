// Where commands get a connection to run on: a saved host's existing connection, waiting briefly for
// one that is (re)connecting, and a sentence when there is none.
import type { HostConnection } from '../ssh/connection';

/** What the runner needs of a connection: a new exec channel on it. */
export type ChannelSource = Pick<HostConnection, 'exec' | 'label'>;

export type Acquired =
  { ok: true; connection: ChannelSource; release: () => void } | { ok: false; error: string };

export interface HostChannels {
  /** The host's name as the person knows it; undefined for an unknown host. */
  name(hostId: string): string | undefined;
  /** A connection to run on; `signal` aborts the wait (cancel). */
  acquire(hostId: string, signal: AbortSignal): Promise<Acquired>;
}

/**
 * Waits until a connection is up: at once if it is, up to `waitMs` while it connects, and fails with
 * the connection's own sentence otherwise (a host that is down is reported at once, not waited for).
 */
export function waitUntilUp(
  connection: HostConnection,
  waitMs: number,
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const settled = (): { ok: true } | { ok: false; error: string } | undefined => {
    const s = connection.status;
    if (s.state === 'up') return { ok: true };
    if (s.state === 'connecting') return undefined;
    return { ok: false, error: s.message };
  };
  const now = settled();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (result: { ok: true } | { ok: false; error: string }): void => {
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, error: 'Cancelled before the host was reached.' });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error: `${connection.label} did not connect within ${Math.round(waitMs / 1000)} s: ${connection.status.message}`,
        }),
      waitMs,
    );
    const off = connection.onStatus(() => {
      const result = settled();
      if (result) finish(result);
    });
    signal.addEventListener('abort', onAbort);
  });
}

/** The app's hosts: their watched connections, never a second login. */
export function watchedHostChannels(
  hosts: {
    get(id: string): { name: string };
    connectionOf(id: string): { connection: HostConnection | undefined };
    status(id: string): { message: string };
  },
  waitMs = 10_000,
): HostChannels {
  return {
    name: (id) => {
      try {
        return hosts.get(id).name;
      } catch {
        return undefined;
      }
    },
    acquire: async (id, signal) => {
      let connection: HostConnection | undefined;
      try {
        connection = hosts.connectionOf(id).connection;
      } catch {
        return { ok: false, error: 'The host was removed.' };
      }
      if (!connection) {
        let message = 'it is not connected';
        try {
          message = hosts.status(id).message;
        } catch {
          // Removed while the run waited.
        }
        return { ok: false, error: message };
      }
      const up = await waitUntilUp(connection, waitMs, signal);
      return up.ok ? { ok: true, connection, release: () => {} } : up;
    },
  };
}
