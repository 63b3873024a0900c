// The SSH tools of the core, built and wired in one place: commands on many hosts (and, beside them,
// terminals and SFTP files), all on the channels of each saved host's existing connection.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { commandsContract } from '../../../common/contracts/commands';
import type { filesContract } from '../../../common/contracts/files';
import type { terminalContract } from '../../../common/contracts/terminal';
import type { Handlers } from '../../../common/rpc/server';
import { createCommandsHandlers } from '../api/commands-handlers';
import { createFilesHandlers } from '../api/files-handlers';
import { createTerminalHandlers } from '../api/terminal-handlers';
import type { AuditLog } from '../audit/audit-log';
import { CommandRunner } from '../commands/command-runner';
import { CommandStore } from '../commands/command-store';
import { watchedHostChannels } from '../commands/host-channels';
import { TransferWorkers } from '../files/transfer-workers';
import { FileBrowser } from '../files/file-browser';
import { LocalPicks, type LocalFilePicker } from '../files/local-picks';
import { SftpChannels, type SftpChannelsOptions } from '../files/sftp-channels';
import { TransferTickets } from '../files/tickets';
import { Transfers } from '../files/transfers';
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
  files?: {
    transferConnection?: SftpChannelsOptions['transferConnection'];
    pipeline?: { chunkBytes: number; depth: number };
    /**
     * The compiled transfer worker (default: transfer-worker.js beside the compiled files code), or
     * false for downloads and local-file uploads in the main thread. When it is not built (tests run
     * from the sources), they run in the main thread.
     */
    transferWorker?: string | false;
    /** Where the desktop window's downloads go (default: the person's Downloads folder). */
    downloadsDir?: string;
    /** The desktop shell's file dialog, for uploads read from disk (none under serve). */
    localFilePicker?: LocalFilePicker;
  };
}

/** The XDG download folder ($XDG_DOWNLOAD_DIR, or ~/.config/user-dirs.dirs), else ~/Downloads. */
export function defaultDownloadsDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.XDG_DOWNLOAD_DIR) return env.XDG_DOWNLOAD_DIR;
  try {
    const dirs = readFileSync(join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'user-dirs.dirs'), 'utf8');
    const match = /^XDG_DOWNLOAD_DIR="([^"]+)"/m.exec(dirs);
    if (match) return match[1]!.replace(/^\$HOME(?=\/|$)/, home);
  } catch {
    // No user-dirs file: the usual name.
  }
  return join(home, 'Downloads');
}

export type SshToolsContract = typeof commandsContract & typeof terminalContract & typeof filesContract;

export interface SshTools {
  readonly commands: CommandRunner;
  readonly commandStore: CommandStore;
  readonly terminals: TerminalSessions;
  readonly files: FileBrowser;
  readonly transfers: Transfers;
  readonly tickets: TransferTickets;
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
  const hosts = {
    name: (id: string) => options.hosts.list().find((h) => h.id === id)?.name,
    connectionOf: (id: string) => {
      try {
        return options.hosts.connectionOf(id).connection;
      } catch {
        return undefined;
      }
    },
    sideConnection: (id: string, overrides: { compression: boolean }) =>
      options.hosts.sideConnection(id, overrides),
    workerLogin: (id: string) => options.hosts.workerLogin(id),
  };
  const terminals = new TerminalSessions({
    hosts,
    audit: (record) => options.audit.record(record),
    log: options.log,
    ...options.terminal,
  });
  const terminalHandlers = createTerminalHandlers(terminals);
  const workerScript = options.files?.transferWorker ?? join(__dirname, '..', 'files', 'transfer-worker.js');
  const channels = new SftpChannels({
    hosts,
    transferConnection: options.files?.transferConnection,
    ...(workerScript && TransferWorkers.available(workerScript)
      ? { workers: new TransferWorkers({ script: workerScript, log: options.log }) }
      : {}),
    log: options.log,
  });
  const files = new FileBrowser(channels);
  const transfers = new Transfers({
    channels,
    audit: (record) => options.audit.record(record),
    log: options.log,
    pipeline: options.files?.pipeline,
  });
  const tickets = new TransferTickets();
  const filesHandlers = createFilesHandlers({
    browser: files,
    transfers,
    tickets,
    audit: (record) => options.audit.record(record),
    downloadsDir: options.files?.downloadsDir ?? defaultDownloadsDir(),
    picks: new LocalPicks(options.files?.localFilePicker),
  });
  return {
    commands,
    commandStore,
    terminals,
    files,
    transfers,
    tickets,
    handlers: {
      methods: { ...commandHandlers.methods, ...terminalHandlers.methods, ...filesHandlers.methods },
      streams: { ...commandHandlers.streams, ...terminalHandlers.streams, ...filesHandlers.streams },
    },
    start: () => {
      commandStore.markInterrupted(Date.now());
    },
    stop: async () => {
      await transfers.stopAll();
      await channels.stopAll();
      await terminals.stopAll();
      await commands.stopAll();
    },
  };
}
