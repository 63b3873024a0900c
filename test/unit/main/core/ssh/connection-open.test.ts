// HostConnection with an async opener (the way a jump host's tunnel is plugged in), without a network:
// failures said as such, stop and timeouts while the opener works, and bytes counted on any duplex.
import { Duplex } from 'node:stream';
import { HostConnection, type HostConnectionOptions } from '../../../../../main/core/ssh/connection';
import { TransportError } from '../../../../../main/core/ssh/transport';

function connectionWith(
  openSocket: HostConnectionOptions['openSocket'],
  extra: Partial<HostConnectionOptions> = {},
) {
  return new HostConnection({
    host: '10.0.0.7',
    port: 22,
    username: 'alice',
    displayName: 'db1',
    auth: { password: 'pw' },
    checkHostKey: () => {
      throw new Error('no host key should be checked');
    },
    openSocket,
    backoff: { initialMs: 60_000, maxMs: 60_000 },
    ...extra,
  });
}

/** A server end that says nothing: what the client writes is kept, what the test pushes is read. */
function silentServer() {
  const written: Buffer[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk);
      done();
    },
  });
  return { stream, written };
}

describe('HostConnection with an async opener', () => {
  it('says why when the way to the server is down, and plans a retry', async () => {
    const connection = connectionWith(() =>
      Promise.reject(new TransportError('its jump host bastion is down')),
    );
    connection.start();
    expect(connection.status.state).toBe('connecting');
    await vi.waitFor(() => expect(connection.status.state).toBe('unreachable'));
    expect(connection.status.message).toBe(
      'db1 (10.0.0.7:22) is unreachable because its jump host bastion is down.',
    );
    expect(connection.status.error?.code).toBe('network');
    expect(connection.status.nextRetryAt).toBeDefined();
    await connection.stop();
  });

  it('reports any other opener failure as a connection that could not be opened', async () => {
    const connection = connectionWith(async () => {
      throw new Error('no route');
    });
    connection.start();
    await vi.waitFor(() => expect(connection.status.state).toBe('unreachable'));
    expect(connection.status.message).toBe(
      'A connection to db1 (10.0.0.7:22) could not be opened: no route.',
    );
    await connection.stop();
  });

  it('stops at once while the opener works, and drops the stream that arrives later', async () => {
    let deliver: (stream: Duplex) => void = () => {};
    const connection = connectionWith(() => new Promise<Duplex>((resolve) => (deliver = resolve)));
    connection.start();
    await connection.stop();
    expect(connection.status.state).toBe('down');
    const { stream } = silentServer();
    deliver(stream);
    await vi.waitFor(() => expect(stream.destroyed).toBe(true));
    expect(connection.status.state).toBe('down');
  });

  it('counts the login timeout from the start of opening', async () => {
    const connection = connectionWith(() => new Promise<Duplex>(() => {}), { connectTimeoutMs: 30 });
    connection.start();
    await vi.waitFor(() => expect(connection.status.state).toBe('unreachable'));
    expect(connection.status.error?.code).toBe('timeout');
    expect(connection.status.message).toMatch(/did not complete the SSH login within/);
    await connection.stop();
  });

  it('counts bytes on a duplex that is not a socket, across the end of the attempt', async () => {
    const { stream, written } = silentServer();
    const connection = connectionWith(async () => stream);
    connection.start();
    // ssh2 sends its identification first.
    await vi.waitFor(() => expect(Buffer.concat(written).toString()).toMatch(/^SSH-2\.0-/));
    stream.push(Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian\r\n'));
    await vi.waitFor(() => expect(connection.traffic.bytesReceived).toBe(30));
    const sent = Buffer.concat(written).length;
    expect(connection.traffic.bytesSent).toBe(sent);
    stream.destroy();
    await vi.waitFor(() => expect(connection.status.state).toBe('unreachable'));
    expect(connection.traffic).toEqual({ bytesSent: sent, bytesReceived: 30 });
    await connection.stop();
  });
});
