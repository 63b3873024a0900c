// Binds the terminal part of the contract to the terminal sessions, each caller seeing only their own.
import type { terminalContract } from '../../../common/contracts/terminal';
import type { Caller } from '../../../common/contract';
import type { Handlers } from '../../../common/rpc/server';
import type { TerminalOwner, TerminalSessions } from '../terminal/terminal-sessions';

const ownerOf = (caller: Caller): TerminalOwner => ({
  id: caller.id,
  via: caller.via,
  address: caller.address ?? null,
});

export function createTerminalHandlers(sessions: TerminalSessions): Handlers<typeof terminalContract> {
  return {
    methods: {
      'terminal.open': ({ host, cols, rows }, { caller }) =>
        sessions.open(host, { cols, rows }, ownerOf(caller)),
      'terminal.sessions': ({ host }, { caller }) => sessions.list(ownerOf(caller), host),
      'terminal.input': ({ session, data }, { caller }) => {
        sessions.input(session, ownerOf(caller), data);
        return { ok: true as const };
      },
      'terminal.resize': ({ session, cols, rows }, { caller }) =>
        sessions.resize(session, ownerOf(caller), { cols, rows }),
      'terminal.ack': ({ session, viewer, bytes }, { caller }) => {
        sessions.ack(session, ownerOf(caller), viewer, bytes);
        return { ok: true as const };
      },
      'terminal.reconnect': ({ session }, { caller }) => sessions.reconnect(session, ownerOf(caller)),
      'terminal.close': ({ session }, { caller }) => sessions.close(session, ownerOf(caller)),
    },
    streams: {
      'terminal.output': ({ session }, emit, { caller }) => sessions.attach(session, ownerOf(caller), emit),
    },
  };
}
