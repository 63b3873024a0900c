// The SSH tools of the core, built and wired in one place: commands on many hosts (and, beside them,
// terminals and SFTP files), all on the channels of each saved host's existing connection.
import type { commandsContract } from '../../../common/contracts/commands';
import type { Handlers } from '../../../common/rpc/server';
import { createCommandsHandlers } from '../api/commands-handlers';
import type { AuditLog } from '../audit/audit-log';
import { CommandRunner } from '../commands/command-runner';
import { CommandStore } from '../commands/command-store';
import { watchedHostChannels } from '../commands/host-channels';
import type { HostsService } from '../hosts/hosts-service';
import type { Logger } from '../log';
import type { Db } from '../store/database';

export interface SshToolsOptions {
  db: Db;
  hosts: HostsService;
  audit: AuditLog;
  log: Logger;
  /** Tuning for tests: a short kill grace. */
  commands?: { killGraceMs?: number; outputLimitBytes?: number };
}

export type SshToolsContract = typeof commandsContract;

export interface SshTools {
  readonly commands: CommandRunner;
  readonly commandStore: CommandStore;
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
  return {
    commands,
    commandStore,
    handlers: {
      methods: { ...commandHandlers.methods },
      streams: { ...commandHandlers.streams },
    },
    start: () => {
      commandStore.markInterrupted(Date.now());
    },
    stop: async () => {
      await commands.stopAll();
    },
  };
}
