// The transfer queue: every upload and download as a job with progress, speed and cancel, whatever
// carries the bytes (a local file, a browser's HTTP request or response, chunks over the contract).
// Each job's end goes to the audit log.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ApiError } from '../../../common/errors';
import type { Transfer } from '../../../common/schemas/files';
import type { AuditRecord } from '../audit/audit-log';
import { silentLogger, type Logger } from '../log';
import { uploadFile, type Downloader, type UploadOptions } from './file-transfer';
import { DEFAULT_PIPELINE } from './pipelined';
import type { SftpChannels } from './sftp-channels';
import { baseName, fileType, isNoSuchFile, joinRemote, sftpError, type Sftp } from './sftp-ops';
import { END_OF_ARCHIVE, padding, tarHeader, type TarEntry } from './tar';

export interface TransferActor {
  id: string;
  via: AuditRecord['via'];
  address?: string | null;
}

export interface TransfersOptions {
  channels: SftpChannels;
  audit?: (record: AuditRecord) => void;
  log?: Logger;
  now?: () => number;
  pipeline?: { chunkBytes: number; depth: number };
  /** Finished jobs kept in the list (default 50 per owner). */
  keepFinished?: number;
}

interface Job {
  info: Transfer;
  owner: TransferActor;
  abort: AbortController;
  /** Set once the job began to run (a download waits for its receiver until then). */
  started: boolean;
  samples: { t: number; bytes: number }[];
  done: Promise<Transfer>;
  resolve: (t: Transfer) => void;
}

/** Parsed upload items (defaults applied). */
export type ParsedUploadItem = { path: string; kind: 'file' | 'dir'; size: number; replace: boolean };

/** A remote file or folder of a download, walked before the bytes move (for totals and tar headers). */
interface WalkedEntry {
  remote: string;
  /** Path inside the download ("site/css/main.css"). */
  relative: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  mode: number;
  mtimeSec: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}

const TICK_MS = 250;
const SPEED_WINDOW_MS = 3_000;

export class Transfers {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<(changed: Transfer[], owner: string) => void>();
  private readonly pending = new Set<Job>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly pipeline: { chunkBytes: number; depth: number };

  constructor(private readonly options: TransfersOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.pipeline = options.pipeline ?? DEFAULT_PIPELINE;
  }

  list(ownerId: string): Transfer[] {
    return [...this.jobs.values()].filter((j) => j.owner.id === ownerId).map((j) => ({ ...j.info }));
  }

  get(id: string, ownerId: string): Transfer {
    return { ...this.own(id, ownerId).info };
  }

  /** Told about changed jobs at most every 250 ms, with their owner. */
  onChange(listener: (changed: Transfer[], owner: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cancel(id: string, ownerId: string): Transfer {
    const job = this.own(id, ownerId);
    if (job.info.finishedAt === null) {
      job.abort.abort();
      if (!job.started) this.finish(job, 'cancelled', 'Cancelled.', []);
    }
    return { ...job.info };
  }

  /** Ends a job that never started (its bytes never came): a download nobody fetched. */
  expire(id: string, message: string): void {
    const job = this.jobs.get(id);
    if (job && job.info.state === 'queued') this.finish(job, 'failed', message, []);
  }

  /** Forgets the owner's finished jobs. */
  clearFinished(ownerId: string): void {
    for (const [id, job] of this.jobs) {
      if (job.owner.id === ownerId && job.info.finishedAt !== null) this.jobs.delete(id);
    }
  }

  wait(id: string): Promise<Transfer> {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('not_found', 'There is no such transfer.');
    return job.done;
  }

  /**
   * Uploads `items` into `dir`, each file's bytes from `source(index)` (an HTTP request, a local
   * file, chunks): folders first, then files in order. Answers at once with the job.
   */
  upload(
    hostId: string,
    dir: string,
    items: ParsedUploadItem[],
    source: (index: number, signal: AbortSignal) => Promise<Readable>,
    owner: TransferActor,
    /** Told as each file is stored, and of the failure that ends the upload. */
    feed?: { settle(index: number): void; failAll(error: unknown): void },
  ): Transfer {
    return this.startUpload(
      hostId,
      dir,
      items,
      owner,
      () => this.options.channels.transfer(hostId),
      async (channel, index, remote, options) =>
        uploadFile(channel.sftp, await source(index, options.signal!), remote, options),
      feed,
    );
  }

  /** Folders first, then each file by `put` on the channel `acquire` gives. */
  private startUpload<C extends { sftp: Sftp; release: () => void }>(
    hostId: string,
    dir: string,
    items: ParsedUploadItem[],
    owner: TransferActor,
    acquire: () => Promise<C>,
    put: (channel: C, index: number, remote: string, options: UploadOptions) => Promise<number>,
    feed?: { settle(index: number): void; failAll(error: unknown): void },
  ): Transfer {
    const files = items.filter((i) => i.kind === 'file');
    const job = this.create(hostId, owner, {
      direction: 'upload',
      name: items.length === 1 ? baseName(items[0]!.path) : topName(items),
      remotePath: dir,
      bytesTotal: files.reduce((n, i) => n + i.size, 0),
      filesTotal: files.length,
    });
    void this.runOn(job, acquire, async (channel) => {
      const { sftp } = channel;
      const made = new Set<string>();
      const ensureDir = async (rel: string) => {
        const parts = rel.split('/');
        for (let i = 1; i <= parts.length; i++) {
          const sub = parts.slice(0, i).join('/');
          if (made.has(sub)) continue;
          await ensureRemoteDir(sftp, joinRemote(dir, sub));
          made.add(sub);
        }
      };
      for (const item of items) {
        if (item.kind === 'dir') await ensureDir(item.path);
        else if (item.path.includes('/')) await ensureDir(item.path.slice(0, item.path.lastIndexOf('/')));
      }
      for (const [index, item] of items.entries()) {
        if (item.kind !== 'file') continue;
        this.touch(job, { current: item.path });
        await put(channel, index, joinRemote(dir, item.path), {
          ...this.pipeline,
          replace: item.replace,
          expectedSize: item.size,
          signal: job.abort.signal,
          onBytes: (n) => this.progress(job, n),
          onOrphan: (path) => this.options.channels.orphan(hostId, path),
        });
        this.touch(job, { filesDone: job.info.filesDone + 1 });
        feed?.settle(index);
      }
      return { files: items.map((i) => i.path) };
    }).then((ended) => {
      if (ended.state !== 'succeeded')
        feed?.failAll(new ApiError('conflict', ended.error ?? 'The upload failed.'));
    });
    return { ...job.info };
  }

  /** Uploads a local file or folder into `remoteDir` (the core API: tests, benches); waits for the end. */
  async uploadPath(
    hostId: string,
    localPath: string,
    remoteDir: string,
    options: { replace: boolean },
    owner: TransferActor,
  ): Promise<Transfer> {
    const root = basename(localPath);
    const transfer = await this.uploadLocal(
      hostId,
      [localPath],
      remoteDir,
      { replace: options.replace ? new Set([root]) : new Set(), skip: new Set() },
      owner,
    );
    return this.wait(transfer.id);
  }

  /**
   * Uploads files and folders of this computer into `remoteDir`, read here (the desktop window's
   * picked files): those whose name is in `skip` are left out, those in `replace` may replace what
   * is there. Answers at once with the job.
   */
  async uploadLocal(
    hostId: string,
    localPaths: string[],
    remoteDir: string,
    decide: { replace: ReadonlySet<string>; skip: ReadonlySet<string> },
    owner: TransferActor,
  ): Promise<Transfer> {
    const items: (ParsedUploadItem & { local: string })[] = [];
    for (const localPath of localPaths) {
      const root = basename(localPath);
      if (decide.skip.has(root)) continue;
      const replace = decide.replace.has(root);
      const info = await stat(localPath);
      if (info.isDirectory()) {
        items.push({ path: root, kind: 'dir', size: 0, replace, local: localPath });
        for (const entry of await readdir(localPath, { recursive: true, withFileTypes: true })) {
          const local = join(entry.parentPath, entry.name);
          const rel = [root, ...relative(localPath, local).split(sep)].join('/');
          if (entry.isDirectory()) items.push({ path: rel, kind: 'dir', size: 0, replace, local });
          else if (entry.isFile()) {
            items.push({ path: rel, kind: 'file', size: (await stat(local)).size, replace, local });
          }
        }
      } else {
        items.push({ path: root, kind: 'file', size: info.size, replace, local: localPath });
      }
    }
    if (items.length === 0) throw new ApiError('invalid_input', 'Every item was skipped: nothing to upload.');
    // Read in the transfer worker when it can log in, else here.
    return this.startUpload(
      hostId,
      remoteDir,
      items,
      owner,
      () => this.options.channels.bulk(hostId),
      (channel, index, remote, options) => channel.uploader.fromFile(items[index]!.local, remote, options),
    );
  }

  /**
   * Checks what a download will be (one file, or a folder or several paths as a .tar) before the
   * bytes move, so an HTTP response can say its name, type and size first.
   */
  async prepareDownload(
    hostId: string,
    paths: string[],
    owner: TransferActor,
  ): Promise<{
    transfer: Transfer;
    filename: string;
    kind: 'file' | 'tar';
    size: number | null;
    start: (sink: Writable) => Promise<Transfer>;
  }> {
    const sftp = await this.options.channels.browse(hostId);
    const single =
      paths.length === 1
        ? await sftp.stat(paths[0]!).catch((err: unknown) => {
            throw sftpError(err, paths[0]!);
          })
        : undefined;
    const kind = single && fileType(single.mode) === 'file' ? 'file' : 'tar';
    const filename =
      kind === 'file'
        ? baseName(paths[0]!)
        : `${paths.length === 1 ? baseName(paths[0]!) : `${baseName(paths[0]!)}-and-${paths.length - 1}-more`}.tar`;
    const job = this.create(hostId, owner, {
      direction: 'download',
      name: filename,
      remotePath: paths.length === 1 ? paths[0]! : paths.join(', '),
      bytesTotal: kind === 'file' ? single!.size : null,
      filesTotal: kind === 'file' ? 1 : null,
    });
    const start = (sink: Writable): Promise<Transfer> => {
      void this.runDownload(job, async (channel, downloader) => {
        if (kind === 'file') {
          this.touch(job, { current: filename });
          await downloader.toStream(paths[0]!, sink, this.pipelineFor(job));
          this.touch(job, { filesDone: 1 });
        } else {
          await this.writeTar(job, channel, downloader, paths, sink);
        }
        await endStream(sink);
        return { files: paths };
      });
      return job.done;
    };
    return { transfer: { ...job.info }, filename, kind, size: kind === 'file' ? single!.size : null, start };
  }

  /** Downloads a remote file or folder into a local folder (the core API); waits for the end. */
  async downloadPath(
    hostId: string,
    remotePath: string,
    localDir: string,
    options: { replace: boolean },
    owner: TransferActor,
  ): Promise<Transfer> {
    const job = this.startDownloadInto(hostId, [remotePath], localDir, options.replace, owner);
    return job.done;
  }

  /**
   * Downloads files and folders into a local folder (the desktop window's Downloads), each under a
   * name not taken there yet ("report (1).pdf"), folders as folders. Answers at once with the job.
   */
  async downloadTo(
    hostId: string,
    paths: string[],
    localDir: string,
    owner: TransferActor,
  ): Promise<Transfer> {
    await mkdir(localDir, { recursive: true });
    return { ...this.startDownloadInto(hostId, paths, localDir, false, owner).info };
  }

  private startDownloadInto(
    hostId: string,
    paths: string[],
    localDir: string,
    replace: boolean,
    owner: TransferActor,
  ): Job {
    const job = this.create(hostId, owner, {
      direction: 'download',
      name: paths.length === 1 ? baseName(paths[0]!) : `${paths.length} items`,
      remotePath: paths.length === 1 ? paths[0]! : paths.join(', '),
      bytesTotal: null,
      filesTotal: null,
    });
    void this.runDownload(job, async (sftp, downloader) => {
      const entries = await this.walk(sftp, paths, job);
      // Each item asked for under a name free here (unless replacing was asked for); what is inside a
      // folder follows it. Items come in order, each before its contents.
      const taken = new Set<string>();
      let top = '';
      for (const entry of entries) {
        const [first, ...rest] = entry.relative.split('/');
        if (rest.length === 0) {
          top = replace ? first! : await freeLocalName(localDir, first!, taken);
          taken.add(top);
        }
        const local = join(localDir, top, ...rest);
        if (entry.type === 'dir') await mkdir(local, { recursive: true, mode: 0o755 });
        else if (entry.type === 'file') {
          this.touch(job, { current: entry.relative });
          await downloader.toFile(entry.remote, local, {
            ...this.pipelineFor(job),
            replace,
            mode: entry.mode,
          });
          this.touch(job, { filesDone: job.info.filesDone + 1 });
        }
      }
      return { files: paths };
    });
    return job;
  }

  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.info.finishedAt === null);
    for (const job of running) job.abort.abort();
    await Promise.all(running.map((j) => j.done));
  }

  private pipelineFor(job: Job) {
    return { ...this.pipeline, signal: job.abort.signal, onBytes: (n: number) => this.progress(job, n) };
  }

  private own(id: string, ownerId: string): Job {
    const job = this.jobs.get(id);
    if (!job || job.owner.id !== ownerId) throw new ApiError('not_found', 'There is no such transfer.');
    return job;
  }

  private create(
    hostId: string,
    owner: TransferActor,
    fields: Pick<Transfer, 'direction' | 'name' | 'remotePath' | 'bytesTotal' | 'filesTotal'>,
  ): Job {
    const hostName = this.options.channels.name(hostId);
    let resolve: (t: Transfer) => void = () => {};
    const done = new Promise<Transfer>((r) => (resolve = r));
    const job: Job = {
      info: {
        id: randomBytes(12).toString('base64url'),
        host: hostId,
        hostName,
        state: 'queued',
        bytesDone: 0,
        filesDone: 0,
        bytesPerSec: 0,
        current: null,
        startedAt: this.now(),
        finishedAt: null,
        error: null,
        ...fields,
      },
      owner,
      abort: new AbortController(),
      started: false,
      samples: [],
      done,
      resolve,
    };
    this.jobs.set(job.info.id, job);
    this.prune(owner.id);
    this.changed(job);
    return job;
  }

  /** Runs a download with a channel to look around and a downloader for the bytes. */
  private runDownload(
    job: Job,
    body: (sftp: Sftp, downloader: Downloader) => Promise<{ files: string[] }>,
  ): Promise<Transfer> {
    return this.runOn(
      job,
      () => this.options.channels.bulk(job.info.host),
      (c) => body(c.sftp, c.downloader),
    );
  }

  /** Runs a job on the channel `acquire` gives; settles its state, audits its end. */
  private async runOn<C extends { release: () => void }>(
    job: Job,
    acquire: () => Promise<C>,
    body: (channel: C) => Promise<{ files: string[] }>,
  ): Promise<Transfer> {
    if (job.started || job.info.finishedAt !== null) return { ...job.info };
    job.started = true;
    let release = () => {};
    let files: string[] = [];
    try {
      const channel = await acquire();
      release = channel.release;
      if (job.abort.signal.aborted) throw new ApiError('conflict', 'Cancelled.');
      this.touch(job, { state: 'running' });
      files = (await body(channel)).files;
      this.finish(job, 'succeeded', null, files);
    } catch (err) {
      const cancelled = job.abort.signal.aborted;
      const message = cancelled ? 'Cancelled.' : err instanceof Error ? err.message : String(err);
      if (!(err instanceof ApiError) && !cancelled) this.log.error('transfer failed', { error: String(err) });
      this.finish(job, cancelled ? 'cancelled' : 'failed', message, files);
    } finally {
      release();
    }
    return { ...job.info };
  }

  private finish(job: Job, state: Transfer['state'], error: string | null, files: string[]): void {
    const finishedAt = this.now();
    this.touch(job, { state, error, finishedAt, current: null, bytesPerSec: 0 });
    try {
      this.options.audit?.({
        actor: job.owner.id,
        via: job.owner.via,
        address: job.owner.address ?? null,
        host: job.info.host,
        action: job.info.direction === 'upload' ? 'files.upload' : 'files.download',
        target: job.info.remotePath.slice(0, 500),
        args: {
          transfer: job.info.id,
          name: job.info.name,
          files: job.info.filesDone,
          bytes: job.info.bytesDone,
          durationMs: finishedAt - job.info.startedAt,
          paths: files.slice(0, 20),
          state,
        },
        result: state === 'succeeded' ? 'ok' : 'failed',
        error,
      });
    } catch (err) {
      this.log.error('transfer not audited', { error: String(err) });
    }
    this.flush();
    job.resolve({ ...job.info });
  }

  private progress(job: Job, bytes: number): void {
    job.info.bytesDone += bytes;
    this.changed(job);
  }

  private touch(job: Job, fields: Partial<Transfer>): void {
    Object.assign(job.info, fields);
    this.changed(job);
  }

  private changed(job: Job): void {
    this.pending.add(job);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), TICK_MS);
    this.timer.unref?.();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const now = this.now();
    const byOwner = new Map<string, Transfer[]>();
    for (const job of this.pending) {
      if (job.info.finishedAt === null) {
        job.samples.push({ t: now, bytes: job.info.bytesDone });
        while (job.samples.length > 2 && now - job.samples[0]!.t > SPEED_WINDOW_MS) job.samples.shift();
        const first = job.samples[0]!;
        job.info.bytesPerSec =
          now > first.t ? ((job.info.bytesDone - first.bytes) * 1000) / (now - first.t) : 0;
      }
      const list = byOwner.get(job.owner.id) ?? [];
      list.push({ ...job.info });
      byOwner.set(job.owner.id, list);
    }
    this.pending.clear();
    for (const [owner, changed] of byOwner) for (const listener of this.listeners) listener(changed, owner);
  }

  private prune(ownerId: string): void {
    const keep = this.options.keepFinished ?? 50;
    const finished = [...this.jobs.values()].filter(
      (j) => j.owner.id === ownerId && j.info.finishedAt !== null,
    );
    for (const job of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(job.info.id);
  }

  /** Every file, folder and link under `roots`, folders before their contents; totals set on the job. */
  private async walk(sftp: Sftp, roots: string[], job: Job): Promise<WalkedEntry[]> {
    const entries: WalkedEntry[] = [];
    const visit = async (remote: string, rel: string): Promise<void> => {
      if (job.abort.signal.aborted) throw new ApiError('conflict', 'Cancelled.');
      let attrs;
      try {
        attrs = await sftp.lstat(remote);
      } catch (err) {
        throw sftpError(err, remote);
      }
      const type = fileType(attrs.mode);
      const base = {
        remote,
        relative: rel,
        mode: attrs.mode & 0o7777,
        mtimeSec: attrs.mtime,
        uid: attrs.uid,
        gid: attrs.gid,
      };
      if (type === 'dir') {
        entries.push({ ...base, type: 'dir', size: 0 });
        let children;
        try {
          children = await sftp.readdir(remote);
        } catch (err) {
          throw sftpError(err, remote);
        }
        children.sort((a, b) => (a.filename < b.filename ? -1 : 1));
        for (const child of children) {
          if (child.filename === '.' || child.filename === '..') continue;
          await visit(joinRemote(remote, child.filename), `${rel}/${child.filename}`);
        }
      } else if (type === 'link') {
        entries.push({
          ...base,
          type: 'symlink',
          size: 0,
          linkTarget: await sftp.readlink(remote).catch(() => ''),
        });
      } else if (type === 'file') {
        entries.push({ ...base, type: 'file', size: attrs.size });
      }
      // Devices, sockets and pipes are not copied.
    };
    for (const root of roots) await visit(root, baseName(root));
    const files = entries.filter((e) => e.type === 'file');
    this.touch(job, { bytesTotal: files.reduce((n, e) => n + e.size, 0), filesTotal: files.length });
    return entries;
  }

  private async writeTar(
    job: Job,
    sftp: Sftp,
    downloader: Downloader,
    paths: string[],
    sink: Writable,
  ): Promise<void> {
    const entries = await this.walk(sftp, paths, job);
    for (const entry of entries) {
      const header: TarEntry = {
        path: entry.relative,
        type: entry.type,
        size: entry.size,
        mode: entry.mode,
        mtimeSec: entry.mtimeSec,
        uid: entry.uid,
        gid: entry.gid,
        linkTarget: entry.linkTarget,
      };
      if (entry.type !== 'file') {
        await writeAll(sink, tarHeader(header));
        continue;
      }
      this.touch(job, { current: entry.relative });
      // The header carries the size walked; a file that grew since is cut to it.
      await writeAll(sink, tarHeader(header));
      const got = await downloader.toStream(entry.remote, sink, {
        ...this.pipelineFor(job),
        size: entry.size,
      });
      // A file that shrank since is padded with zeros to the size its header promised.
      await writeAll(sink, Buffer.concat([Buffer.alloc(entry.size - got), padding(entry.size)]));
      this.touch(job, { filesDone: job.info.filesDone + 1 });
    }
    await writeAll(sink, END_OF_ARCHIVE);
  }
}

/** `name`, or "name (1).ext", "name (2).ext"… — the first not in `dir` nor in `taken`. */
export async function freeLocalName(dir: string, name: string, taken: ReadonlySet<string>): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${stem} (${n})${ext}`;
    if (taken.has(candidate)) continue;
    try {
      await lstat(join(dir, candidate));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw err;
    }
  }
}

function topName(items: ParsedUploadItem[]): string {
  const tops = new Set(items.map((i) => i.path.split('/')[0]!));
  return tops.size === 1 ? [...tops][0]! : `${tops.size} items`;
}

async function ensureRemoteDir(sftp: Sftp, path: string): Promise<void> {
  try {
    const attrs = await sftp.stat(path);
    if (fileType(attrs.mode) !== 'dir') throw new ApiError('conflict', `${path} exists and is not a folder.`);
    return;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (!isNoSuchFile(err)) throw sftpError(err, path);
  }
  try {
    await sftp.mkdir(path);
  } catch (err) {
    throw sftpError(err, `Creating ${path}`);
  }
}

function writeAll(sink: Writable, data: Buffer): Promise<void> {
  if (data.length === 0) return Promise.resolve();
  if (sink.destroyed) return Promise.reject(new ApiError('conflict', 'The receiving side went away.'));
  return new Promise((resolve, reject) => {
    const ok = sink.write(data, (err) => {
      if (err) reject(err);
    });
    if (ok) resolve();
    else {
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onClose = () => {
        cleanup();
        reject(new ApiError('conflict', 'The receiving side went away.'));
      };
      const cleanup = () => {
        sink.off('drain', onDrain);
        sink.off('close', onClose);
      };
      sink.on('drain', onDrain);
      sink.on('close', onClose);
    }
  });
}

function endStream(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.destroyed) {
      // A client that got every byte it was promised (Content-Length) may close before the end.
      if (sink.writableLength === 0 && !sink.errored) resolve();
      else reject(new ApiError('conflict', 'The receiving side went away.'));
      return;
    }
    sink.end(() => resolve());
  });
}
