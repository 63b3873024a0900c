// The SSH tools of the core, built and wired in one place: commands on many hosts (and, beside them,
// terminals and SFTP files), all on the channels of each saved host's existing connection.
import type { commandsContract } from '../../../common/contracts/commands';
import type { terminalContract } from '../../../common/contracts/terminal';
import type { Handlers } from '../../../common/rpc/server';
import { createCommandsHandlers } from '../api/commands-handlers';
import { createTerminalHandlers } from '../api/terminal-handlers';
import type { AuditLog } from '../audit/audit-log';
import { CommandRunner } from '../commands/command-runner';
import { CommandStore } from '../commands/command-store';
import { watchedHostChannels } from '../commands/host-channels';
import type { HostsService } from '../hosts/hosts-service';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import { TerminalSessions, type TerminalSessionsOptions } from '../terminal/terminal-sessions';

export interface SshToolsOptions {
  db: Db;
  hosts: HostsService;
  audit: AuditLog;
  log: Logger;
  /** Tuning for tests: a short kill grace. */
  commands?: { killGraceMs?: number; outputLimitBytes?: number };
  terminal?: Pick<
    TerminalSessionsOptions,
    'idleCloseMs' | 'endedKeepMs' | 'highWaterChars' | 'scrollbackChars'
  >;
}

export type SshToolsContract = typeof commandsContract & typeof terminalContract;

export interface SshTools {
  readonly commands: CommandRunner;
  readonly commandStore: CommandStore;
  readonly terminals: TerminalSessions;
  readonly handlers: Handlers<SshToolsContract>;
  start(): void;
  stop(): Promise<void>;
}

export function createSshTools(options: SshToolsOptions): SshTools {
  const commandStore = new CommandStore(options.db);
  const commands = new CommandRunner({
    store: commandStore,
    hosts: watchedHostChannels(options.hosts),
    audit: (record) => options.audit.record(record),
    log: options.log,
    ...options.commands,
  });
  const commandHandlers = createCommandsHandlers(commands, commandStore);
  const terminals = new TerminalSessions({
    hosts: {
      name: (id) => options.hosts.list().find((h) => h.id === id)?.name,
      connectionOf: (id) => {
        try {
          return options.hosts.connectionOf(id).connection;
        } catch {
          return undefined;
        }
      },
    },
    audit: (record) => options.audit.record(record),
    log: options.log,
    ...options.terminal,
  });
  const terminalHandlers = createTerminalHandlers(terminals);
  return {
    commands,
    commandStore,
    terminals,
    handlers: {
      methods: { ...commandHandlers.methods, ...terminalHandlers.methods },
      streams: { ...commandHandlers.streams, ...terminalHandlers.streams },
    },
    start: () => {
      commandStore.markInterrupted(Date.now());
    },
    stop: async () => {
      await terminals.stopAll();
      await commands.stopAll();
    },
  };
}
