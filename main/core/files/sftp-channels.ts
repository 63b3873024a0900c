// SFTP channels per host: one on the host's existing connection for browsing, and one for bulk
// transfers on a second, uncompressed connection (zlib caps loopback transfers near 50 MB/s against
// ~300 MB/s without it; see docs/engineering-notes.md), opened for the transfers and closed after them.
import type { SFTPWrapper } from 'ssh2';
import { ApiError } from '../../../common/errors';
import { waitUntilUp } from '../commands/host-channels';
import { silentLogger, type Logger } from '../log';
import type { HostConnection } from '../ssh/connection';
import type { TransferWorkers, WorkerHostLogin } from './transfer-workers';
import { channelDownloader, channelUploader, type Downloader, type Uploader } from './file-transfer';
import { Sftp } from './sftp-ops';

export interface FileHosts {
  name(hostId: string): string | undefined;
  connectionOf(hostId: string): HostConnection | undefined;
  /** A new, not started connection like the host's own, with these changes. */
  sideConnection?(hostId: string, overrides: { compression: boolean }): HostConnection | undefined;
  /** The host's login for the transfer worker; undefined behind a jump host (its tunnel is here). */
  workerLogin?(hostId: string): WorkerHostLogin | undefined;
}

export interface SftpChannelsOptions {
  hosts: FileHosts;
  /** 'dedicated': transfers on their own uncompressed connection; 'shared': on the host's one. */
  transferConnection?: 'dedicated' | 'shared';
  /** A dedicated connection nobody uses is closed after this long (default 30 s). */
  idleMs?: number;
  connectWaitMs?: number;
  /** Runs downloads and local-file uploads in a thread of their own (dedicated connections only). */
  workers?: TransferWorkers;
  log?: Logger;
}

interface Cached {
  connection: HostConnection;
  sftp: Promise<Sftp>;
}

interface Dedicated {
  connection: HostConnection;
  sftp: Promise<Sftp> | undefined;
  users: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

function openSftp(connection: HostConnection, label: string): Promise<Sftp> {
  const client = connection.connectedClient();
  if (!client) return Promise.reject(new ApiError('unavailable', `${label} is not connected.`));
  return new Promise((resolve, reject) => {
    try {
      client.sftp((err: Error | undefined, raw: SFTPWrapper) => {
        if (err) {
          reject(new ApiError('unavailable', `${label} did not start SFTP: ${err.message}.`));
          return;
        }
        const sftp = new Sftp(raw);
        // A dropped connection does not always close its channels: requests would wait forever.
        const off = connection.onStatus((status) => {
          if (status.state === 'up') return;
          off();
          sftp.abandon();
        });
        raw.once('close', off);
        resolve(sftp);
      });
    } catch (err) {
      reject(new ApiError('unavailable', `${label} did not start SFTP: ${(err as Error).message}.`));
    }
  });
}

export class SftpChannels {
  private readonly browsing = new Map<string, Cached>();
  private readonly dedicated = new Map<string, Dedicated>();
  private readonly log: Logger;
  private readonly idleMs: number;
  private readonly waitMs: number;
  /** Temporary files a dropped transfer could not remove, removed when the host is back. */
  private readonly orphans = new Map<string, Set<string>>();

  constructor(private readonly options: SftpChannelsOptions) {
    this.log = options.log ?? silentLogger;
    this.idleMs = options.idleMs ?? 30_000;
    this.waitMs = options.connectWaitMs ?? 10_000;
  }

  name(hostId: string): string {
    const name = this.options.hosts.name(hostId);
    if (name === undefined) throw new ApiError('not_found', `There is no saved host with id "${hostId}".`);
    return name;
  }

  /** The browsing channel on the host's own connection, opened once and reopened when it closed. */
  async browse(hostId: string): Promise<Sftp> {
    const label = this.name(hostId);
    const connection = this.options.hosts.connectionOf(hostId);
    if (!connection)
      throw new ApiError('unavailable', `${label} has no connection: edit the host to fix its login.`);
    const cached = this.browsing.get(hostId);
    if (cached && cached.connection === connection && connection.status.state === 'up') return cached.sftp;
    const up = await waitUntilUp(connection, this.waitMs, new AbortController().signal);
    if (!up.ok) throw new ApiError('unavailable', up.error);
    const again = this.browsing.get(hostId);
    if (again && again.connection === connection && connection.status.state === 'up') return again.sftp;
    const sftp = openSftp(connection, label);
    const entry: Cached = { connection, sftp };
    this.browsing.set(hostId, entry);
    sftp.then(
      (s) => {
        const forget = () => {
          if (this.browsing.get(hostId) === entry) this.browsing.delete(hostId);
        };
        s.raw.once('close', forget);
        s.raw.once('end', forget);
        void this.removeOrphans(hostId, s);
      },
      () => {
        if (this.browsing.get(hostId) === entry) this.browsing.delete(hostId);
      },
    );
    return sftp;
  }

  /** A channel for one transfer; `release` when done. */
  async transfer(hostId: string): Promise<{ sftp: Sftp; release: () => void }> {
    const label = this.name(hostId);
    if (this.options.transferConnection === 'shared' || !this.options.hosts.sideConnection) {
      return { sftp: await this.browse(hostId), release: () => {} };
    }
    let entry = this.dedicated.get(hostId);
    if (!entry || entry.connection.status.state !== 'up') {
      if (entry) void this.closeDedicated(hostId, entry);
      const connection = this.options.hosts.sideConnection(hostId, { compression: false });
      if (!connection)
        throw new ApiError('unavailable', `${label} has no connection: edit the host to fix its login.`);
      entry = { connection, sftp: undefined, users: 0, idle: undefined };
      this.dedicated.set(hostId, entry);
      connection.start();
    }
    entry.users++;
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    const mine = entry;
    const release = () => {
      mine.users--;
      if (mine.users > 0) return;
      mine.idle = setTimeout(() => void this.closeDedicated(hostId, mine), this.idleMs);
      mine.idle.unref?.();
    };
    try {
      if (!mine.sftp) {
        mine.sftp = (async () => {
          const up = await waitUntilUp(mine.connection, this.waitMs, new AbortController().signal);
          if (!up.ok) throw new ApiError('unavailable', up.error);
          const sftp = await openSftp(mine.connection, label);
          const forget = () => {
            if (this.dedicated.get(hostId) === mine) mine.sftp = undefined;
          };
          sftp.raw.once('close', forget);
          return sftp;
        })();
        mine.sftp.catch(() => (mine.sftp = undefined));
      }
      return { sftp: await mine.sftp, release };
    } catch (err) {
      release();
      // The second login may be refused (MaxSessions, a one-time password): the shared one still works.
      this.log.warn('dedicated transfer connection failed; using the shared one', {
        host: hostId,
        error: String(err),
      });
      return { sftp: await this.browse(hostId), release: () => {} };
    }
  }

  /**
   * What a download, or an upload of local files, needs: a channel for looking around (listing or
   * making folders, sizes) and a downloader and uploader for the bytes — in the transfer worker, with
   * the browsing channel beside it, when it can log in; otherwise all on a transfer channel here.
   * `release` when done.
   */
  async bulk(
    hostId: string,
  ): Promise<{ sftp: Sftp; downloader: Downloader; uploader: Uploader; release: () => void }> {
    const workers = this.options.workers;
    const login =
      workers && this.options.transferConnection !== 'shared'
        ? this.options.hosts.workerLogin?.(hostId)
        : undefined;
    if (workers && login) {
      let lease: Awaited<ReturnType<TransferWorkers['lease']>> | undefined;
      try {
        lease = await workers.lease(hostId, login);
      } catch (err) {
        // Refused (MaxSessions, a one-time password, a key only the host's own login knows): here, then.
        this.log.warn('transfer worker could not log in; transferring in the main thread', {
          host: hostId,
          error: String(err),
        });
      }
      if (lease) {
        try {
          return {
            sftp: await this.browse(hostId),
            downloader: lease.downloader,
            uploader: lease.uploader,
            release: lease.release,
          };
        } catch (err) {
          lease.release();
          throw err;
        }
      }
    }
    const channel = await this.transfer(hostId);
    return {
      ...channel,
      downloader: channelDownloader(channel.sftp),
      uploader: channelUploader(channel.sftp),
    };
  }

  /** Remembers a temporary file that could not be removed (the connection was gone). */
  orphan(hostId: string, path: string): void {
    const set = this.orphans.get(hostId) ?? new Set<string>();
    set.add(path);
    this.orphans.set(hostId, set);
  }

  async stopAll(): Promise<void> {
    for (const [, cached] of this.browsing)
      void cached.sftp.then(
        (s) => s.end(),
        () => undefined,
      );
    this.browsing.clear();
    await Promise.all([...this.dedicated].map(([id, entry]) => this.closeDedicated(id, entry)));
    await this.options.workers?.stop();
  }

  private async closeDedicated(hostId: string, entry: Dedicated): Promise<void> {
    if (entry.idle) clearTimeout(entry.idle);
    if (this.dedicated.get(hostId) === entry) this.dedicated.delete(hostId);
    await entry.connection.stop();
  }

  private async removeOrphans(hostId: string, sftp: Sftp): Promise<void> {
    const set = this.orphans.get(hostId);
    if (!set) return;
    for (const path of [...set]) {
      try {
        await sftp.unlink(path);
        set.delete(path);
      } catch (err) {
        if ((err as { code?: number }).code === 2) set.delete(path); // already gone
      }
    }
    if (set.size === 0) this.orphans.delete(hostId);
  }
}
