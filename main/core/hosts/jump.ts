// Jump hosts (ProxyJump): a saved host reached through another saved host's existing connection, as
// `ssh -J bastion target` does, and the rule that a chain of jump hosts never loops back on itself.
import type { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { ConnectionState, Host } from '../../../common/schemas/hosts';
import type { HostConnection } from '../ssh/connection';
import { ByteCountingStream, TransportError, type OpenSocket } from '../ssh/transport';
import type { Db } from '../store/database';
import { getHost } from '../store/hosts-repo';
import { fieldError } from './host-auth';

/**
 * The loop a host would be part of if it jumped through `proxyJump`, as ids from the first repeated
 * host back to itself (`[a, b, a]`); undefined when the chain ends. `hostId` is undefined for a new host.
 */
export function jumpLoop(
  hostId: string | undefined,
  proxyJump: string,
  jumpHostOf: (id: string) => string | null | undefined,
): string[] | undefined {
  const chain = hostId === undefined ? [] : [hostId];
  for (let id: string | null | undefined = proxyJump; id; id = jumpHostOf(id)) {
    const at = chain.indexOf(id);
    if (at >= 0) return [...chain.slice(at), id];
    chain.push(id);
  }
  return undefined;
}

/** Refuses a jump host that does not exist or would make a loop, as an error on the proxyJump field. */
export function checkJumpHost(
  db: Db,
  host: { id: string | undefined; name: string },
  proxyJump: string | null,
): void {
  if (!proxyJump) return;
  if (proxyJump === host.id) throw fieldError('proxyJump', 'A host cannot be its own jump host.');
  if (!getHost(db, proxyJump)) throw fieldError('proxyJump', 'That jump host does not exist.');
  const loop = jumpLoop(host.id, proxyJump, (id) => getHost(db, id)?.proxyJump);
  if (!loop) return;
  const names = loop.map((id) => (id === host.id ? host.name : (getHost(db, id)?.name ?? id))).join(' → ');
  throw fieldError(
    'proxyJump',
    loop[0] === host.id
      ? `That would make the jump hosts go round in a loop (${names}): choose one that does not reach ${host.name} through its own jump hosts.`
      : `The jump hosts behind that one already go round in a loop (${names}): fix those first.`,
  );
}

/** What a jumped host needs to know about its jump host at the moment it connects. */
export interface JumpHostView {
  name: string;
  /** Undefined when the jump host has no connection (not watched, or its credentials are missing). */
  connection: HostConnection | undefined;
  /** The jump host's state as the fleet shows it. */
  state: ConnectionState;
}

/** An opener for HostConnection that tunnels through the jump host `jumpHost()` returns at each attempt. */
export function jumpHostOpener(jumpHost: () => JumpHostView): OpenSocket {
  return (address, port) => openTunnel(jumpHost(), address, port);
}

/**
 * Opens `address:port`, as the jump host sees it, in a direct-tcpip channel of the jump host's one
 * connection: never a second login there. The SSH session inside is the target's own, so its host key
 * is checked against the target's policy before any credential is sent. The tunnel breaks, with the
 * jump host named, as soon as the jump host's connection leaves 'up'.
 */
export async function openTunnel(jump: JumpHostView, address: string, port: number): Promise<Duplex> {
  const connection = jump.connection;
  const client = connection?.connectedClient();
  if (!connection || !client) throw new TransportError(jumpHostDown(jump.name, jump.state));
  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    const failed = (err: Error) => {
      const state = connection.status.state;
      reject(
        new TransportError(
          state === 'up'
            ? `its jump host ${jump.name} could not reach ${address}:${port} (${channelFailure(err)})`
            : jumpHostDown(jump.name, state),
        ),
      );
    };
    try {
      // The originator address and port are informational; OpenSSH's `ssh -W` sends the same.
      client.forwardOut('127.0.0.1', 0, address, port, (err, stream) =>
        err ? failed(err) : resolve(stream),
      );
    } catch (err) {
      failed(err instanceof Error ? err : new Error(String(err)));
    }
  });
  const tunnel = new ByteCountingStream(channel);
  const breakIfDown = (state: ConnectionState) => {
    if (state !== 'up') tunnel.destroy(new TransportError(jumpHostDown(jump.name, state)));
  };
  const off = connection.onStatus((status) => breakIfDown(status.state));
  tunnel.once('close', off);
  breakIfDown(connection.status.state);
  return tunnel;
}

/** Hosts behind `jumpHostId` that wait for it try again now that it is up, instead of after their backoff. */
export function reconnectHostsBehind(
  jumpHostId: string,
  hosts: Iterable<{ host: Host; connection: HostConnection | undefined }>,
): void {
  for (const { host, connection } of hosts) {
    if (host.proxyJump === jumpHostId && connection?.status.state === 'unreachable')
      connection.reconnectNow();
  }
}

/** Completes "… is unreachable because …". */
function jumpHostDown(name: string, state: ConnectionState): string {
  switch (state) {
    case 'auth_failed':
      return `its jump host ${name} cannot log in`;
    case 'host_key_unknown':
      return `its jump host ${name} is down (its host key has not been accepted yet)`;
    case 'host_key_mismatch':
      return `its jump host ${name} is down (it presented a changed host key)`;
    default:
      return `its jump host ${name} is down`;
  }
}

/** ssh2 says "(SSH) Channel open failure: Connection refused"; the reason is what a person needs. */
function channelFailure(err: Error): string {
  return err.message.replace(/^\(SSH\)\s*Channel open failure:\s*/i, '') || 'the channel was refused';
}
