// HostConnection paths that need no network: missing or unreadable credentials, stop, exec while down.
import { Socket } from 'node:net';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { HostConnection } from '../../../../../main/core/ssh/connection';

function connectionWith(auth: ConstructorParameters<typeof HostConnection>[0]['auth']) {
  const openSocket = vi.fn(() => {
    throw new Error('no socket should be opened');
  });
  let clock = 5_000;
  const connection = new HostConnection({
    host: 'web1.example.org',
    port: 2222,
    username: 'alice',
    displayName: 'web1',
    auth,
    checkHostKey: () => {
      throw new Error('no host key should be checked');
    },
    openSocket,
    now: () => clock++,
  });
  return { connection, openSocket };
}

describe('HostConnection without a network', () => {
  it('starts down, with a sentence', () => {
    const { connection } = connectionWith({});
    expect(connection.status).toMatchObject({
      state: 'down',
      message: 'Not connected to web1 (web1.example.org:2222).',
    });
    expect(connection.traffic).toEqual({ bytesSent: 0, bytesReceived: 0 });
    expect(connection.rttMs).toBeUndefined();
  });

  it('waits for the person when no credential is set, without opening a socket', async () => {
    const { connection, openSocket } = connectionWith({});
    const states: string[] = [];
    connection.onStatus((s) => states.push(s.state));
    connection.start();
    expect(states).toEqual(['connecting', 'auth_failed']);
    expect(connection.status.error?.code).toBe('no_credentials');
    expect(connection.status.nextRetryAt).toBeUndefined();
    expect(openSocket).not.toHaveBeenCalled();
    await connection.stop();
    expect(connection.status.state).toBe('down');
  });

  it('reports an unreadable key, and takes new credentials on reconnectNow', async () => {
    const { connection, openSocket } = connectionWith({ privateKey: Buffer.from('junk') });
    connection.start();
    expect(connection.status.error?.code).toBe('key_unreadable');
    expect(openSocket).not.toHaveBeenCalled();
    connection.reconnectNow({ auth: { password: 'now set' } });
    expect(openSocket).toHaveBeenCalledTimes(1);
    // The socket opener failing is a value too: unreachable, with a retry planned.
    expect(connection.status).toMatchObject({ state: 'unreachable', error: { code: 'network' } });
    expect(connection.status.message).toMatch(/could not be opened: no socket should be opened/);
    expect(connection.status.nextRetryAt).toBeDefined();
    await connection.stop();
  });

  it('records the outage from the failed start until stop', async () => {
    const { connection } = connectionWith({});
    const seen: (number | undefined)[] = [];
    connection.onOutage((o) => seen.push(o.end));
    connection.start();
    expect(connection.outages).toHaveLength(1);
    await connection.stop();
    const [outage] = connection.outages;
    expect(outage?.end).toBeGreaterThan(outage?.start ?? Infinity);
    expect(seen).toEqual([undefined, outage?.end]);
  });

  it('settles, rather than hangs, when ssh2 rejects the settings outright', async () => {
    const connection = new HostConnection({
      host: 'web1.example.org',
      username: 'alice',
      auth: { password: 'pw' },
      checkHostKey: () => {
        throw new Error('not reached');
      },
      hostKeyAlgorithms: ['no-such-algorithm' as ServerHostKeyAlgorithm],
      openSocket: () => new Socket(),
    });
    connection.start();
    await vi.waitFor(() => expect(connection.status.state).toBe('unreachable'));
    expect(connection.status.message).toMatch(/Unsupported algorithm: no-such-algorithm/);
    await connection.stop();
    expect(connection.status.state).toBe('down');
  });

  it('refuses exec while not connected, as a value', async () => {
    const { connection } = connectionWith({});
    await expect(connection.exec('true')).resolves.toMatchObject({
      ok: false,
      error: {
        code: 'not_connected',
        message: expect.stringContaining('web1 (web1.example.org:2222) is not connected'),
      },
    });
    await expect(connection.measureRtt()).resolves.toBeUndefined();
  });
});
