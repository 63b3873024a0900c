// Reconnect timing with injected timers and randomness, against a closed port and a silent one on 127.0.0.1.
import { createServer, type Server, type Socket } from 'node:net';
import { HostConnection, type ConnectionStatus, type Timers } from '../../../main/core/ssh/connection';
import { createHostKeyCheck } from '../../../main/core/ssh/host-key-policy';

/** Timers the test fires by hand, so backoff delays are observed without waiting for them. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(ms: number): void {
    const entry = [...this.pending.entries()].find(([, t]) => t.ms === ms);
    if (!entry) throw new Error(`no timer of ${ms} ms among ${[...this.pending.values()].map((t) => t.ms)}`);
    this.pending.delete(entry[0]);
    entry[1].callback();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

function nextStatus(connection: HostConnection, state: ConnectionStatus['state']): Promise<ConnectionStatus> {
  return new Promise((resolve) => {
    if (connection.status.state === state) return resolve(connection.status);
    const off = connection.onStatus((s) => {
      if (s.state !== state) return;
      off();
      resolve(s);
    });
  });
}

function makeConnection(port: number, timers: Timers, now: () => number, connectTimeoutMs = 60_000) {
  return new HostConnection({
    host: '127.0.0.1',
    port,
    username: 'nobody',
    auth: { password: 'unused' },
    checkHostKey: createHostKeyCheck({ host: '127.0.0.1', port, store: { get: () => [] }, knownHosts: [] }),
    connectTimeoutMs,
    backoff: { initialMs: 1_000, maxMs: 8_000 },
    random: () => 0.5,
    timers,
    now,
  });
}

describe('reconnect backoff', () => {
  it('waits half of 1, 2, 4, 8, 8 s (random 0.5) between refused attempts, one outage throughout', async () => {
    const timers = new ManualTimers();
    let clock = 1_000_000;
    const connection = makeConnection(await closedPort(), timers, () => clock);
    const delays: number[] = [];
    const attempts: number[] = [];
    connection.start();
    for (let i = 0; i < 5; i++) {
      const status = await nextStatus(connection, 'unreachable');
      expect(status.error?.code).toBe('refused');
      attempts.push(status.attempt);
      delays.push((status.nextRetryAt ?? 0) - clock);
      clock += 10_000;
      timers.fire(delays[i] ?? -1);
    }
    await nextStatus(connection, 'unreachable');
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(connection.outages).toEqual([
      { start: 1_000_000, end: undefined, state: 'unreachable', message: expect.stringMatching(/refused/) },
    ]);
    await connection.stop();
    expect(connection.status.state).toBe('down');
    expect(connection.outages[0]?.end).toBe(clock);
    expect(timers.pending.size).toBe(0);
  });

  it('reconnectNow skips the wait', async () => {
    const timers = new ManualTimers();
    const connection = makeConnection(await closedPort(), timers, Date.now);
    connection.start();
    await nextStatus(connection, 'unreachable');
    connection.reconnectNow();
    expect(connection.status.state).toBe('connecting');
    await nextStatus(connection, 'unreachable');
    expect(connection.status.attempt).toBe(1);
    await connection.stop();
  });
});

describe('login timeout', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a server that accepts TCP but never speaks SSH', async () => {
    server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no port');
    const timers = new ManualTimers();
    const connection = makeConnection(address.port, timers, Date.now, 7_000);
    connection.start();
    await vi.waitFor(() => expect(sockets.size).toBe(1));
    timers.fire(7_000);
    const status = await nextStatus(connection, 'unreachable');
    expect(status.error?.code).toBe('timeout');
    expect(status.message).toBe('127.0.0.1:' + address.port + ' did not complete the SSH login within 7 s.');
    await connection.stop();
  });
});
