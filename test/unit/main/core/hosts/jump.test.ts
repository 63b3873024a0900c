// Jump hosts without a network: loops in a chain, the tunnel opener's sentences, a tunnel broken when
// its jump host drops, and who reconnects when a jump host comes back.
import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { Host } from '../../../../../common/schemas/hosts';
import {
  jumpLoop,
  openTunnel,
  reconnectHostsBehind,
  type JumpHostView,
} from '../../../../../main/core/hosts/jump';
import type { ConnectionStatus, HostConnection } from '../../../../../main/core/ssh/connection';
import { TransportError } from '../../../../../main/core/ssh/transport';

describe('jumpLoop', () => {
  const chain = (links: Record<string, string | null>) => (id: string) => links[id];

  it('finds no loop in a chain that ends', () => {
    expect(jumpLoop('web', 'bastion', chain({ bastion: null }))).toBeUndefined();
    expect(jumpLoop('web', 'inner', chain({ inner: 'outer', outer: null }))).toBeUndefined();
    expect(jumpLoop(undefined, 'inner', chain({ inner: 'outer', outer: null }))).toBeUndefined();
  });

  it('finds a host that would jump through itself', () => {
    expect(jumpLoop('web', 'web', chain({ web: null }))).toEqual(['web', 'web']);
  });

  it('finds a loop closed through other hosts', () => {
    // bastion would jump through web, which already jumps through bastion.
    expect(jumpLoop('bastion', 'web', chain({ web: 'bastion', bastion: null }))).toEqual([
      'bastion',
      'web',
      'bastion',
    ]);
    expect(jumpLoop('a', 'c', chain({ c: 'b', b: 'a', a: null }))).toEqual(['a', 'c', 'b', 'a']);
  });

  it('stops at a loop further down that does not include the host (never loops forever)', () => {
    expect(jumpLoop('new', 'x', chain({ x: 'y', y: 'z', z: 'y' }))).toEqual(['y', 'z', 'y']);
    expect(jumpLoop(undefined, 'x', chain({ x: 'x' }))).toEqual(['x', 'x']);
  });

  it('treats a missing jump host as the end of the chain', () => {
    expect(jumpLoop('web', 'gone', chain({}))).toBeUndefined();
  });
});

/** Enough of a HostConnection for the tunnel: a status, listeners, and a client with forwardOut. */
function fakeJumpHost(
  forwardOut: (dst: string, port: number, cb: (err?: Error, ch?: ClientChannel) => void) => void,
) {
  const listeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'up', message: 'up', since: 0, attempt: 0, nextRetryAt: undefined };
  const client = {
    forwardOut: (_src: string, _srcPort: number, dst: string, port: number, cb: never) =>
      forwardOut(dst, port, cb),
  };
  const connection = {
    get status() {
      return status;
    },
    connectedClient: () => (status.state === 'up' ? client : undefined),
    onStatus(listener: (s: ConnectionStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const setState = (state: ConnectionStatus['state']) => {
    status = { ...status, state };
    for (const l of listeners) l(status);
  };
  return { connection: connection as unknown as HostConnection, setState, listeners };
}

const view = (connection: HostConnection | undefined, state: JumpHostView['state'] = 'up'): JumpHostView => ({
  name: 'bastion',
  connection,
  state,
});

describe('openTunnel', () => {
  it('names the jump host when it has no connection, by its state', async () => {
    await expect(openTunnel(view(undefined, 'unreachable'), '10.0.0.5', 22)).rejects.toThrow(
      new TransportError('its jump host bastion is down'),
    );
    await expect(openTunnel(view(undefined, 'auth_failed'), '10.0.0.5', 22)).rejects.toThrow(
      'its jump host bastion cannot log in',
    );
    const { connection, setState } = fakeJumpHost(() => {});
    setState('host_key_unknown');
    await expect(openTunnel(view(connection, 'host_key_unknown'), '10.0.0.5', 22)).rejects.toThrow(
      'its jump host bastion is down (its host key has not been accepted yet)',
    );
  });

  it('says the jump host could not reach the target when the channel is refused', async () => {
    const { connection } = fakeJumpHost((_dst, _port, cb) =>
      cb(new Error('(SSH) Channel open failure: Connection refused')),
    );
    const opening = openTunnel(view(connection), '10.0.0.5', 2200);
    await expect(opening).rejects.toBeInstanceOf(TransportError);
    await expect(opening).rejects.toThrow(
      'its jump host bastion could not reach 10.0.0.5:2200 (Connection refused)',
    );
  });

  it('opens a channel to the target and breaks it, naming the jump host, when that one drops', async () => {
    const channel = new Duplex({ read() {}, write: (_c, _e, done) => done() });
    const asked: string[] = [];
    const { connection, setState, listeners } = fakeJumpHost((dst, port, cb) => {
      asked.push(`${dst}:${port}`);
      cb(undefined, channel as unknown as ClientChannel);
    });
    const tunnel = await openTunnel(view(connection), '10.0.0.5', 22);
    expect(asked).toEqual(['10.0.0.5:22']);
    const failed = new Promise<Error>((resolve) => tunnel.once('error', resolve));
    setState('unreachable');
    const err = await failed;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe('its jump host bastion is down');
    await vi.waitFor(() => expect(listeners.size).toBe(0)); // no listener left on the jump host
  });
});

describe('reconnectHostsBehind', () => {
  it('retries at once only the hosts behind that jump host that wait for the network', () => {
    const conn = (state: ConnectionStatus['state']) =>
      ({ status: { state }, reconnectNow: vi.fn() }) as unknown as HostConnection & {
        reconnectNow: ReturnType<typeof vi.fn>;
      };
    const host = (id: string, proxyJump: string | null) => ({ id, proxyJump }) as Host;
    const behindDown = conn('unreachable');
    const behindKey = conn('host_key_unknown');
    const elsewhere = conn('unreachable');
    reconnectHostsBehind('bastion', [
      { host: host('a', 'bastion'), connection: behindDown },
      { host: host('b', 'bastion'), connection: behindKey },
      { host: host('c', 'other'), connection: elsewhere },
      { host: host('d', 'bastion'), connection: undefined },
    ]);
    expect(behindDown.reconnectNow).toHaveBeenCalledTimes(1);
    expect(behindKey.reconnectNow).not.toHaveBeenCalled();
    expect(elsewhere.reconnectNow).not.toHaveBeenCalled();
  });
});
