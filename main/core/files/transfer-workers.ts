// The main thread's side of the transfer worker (transfer-worker.ts): one thread for every host's
// bulk downloads and uploads of local files, started at the first and stopped when no connection is
// left. Each host gets a connection
// there, logged in like the host's own, its key judged here by the host's policy, closed when unused.
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../common/errors';
import { silentLogger, type Logger } from '../log';
import type { HostKeyDecision } from '../ssh/host-key-policy';
import type { DownloadTarget, FromWorker, ToWorker, WorkerLogin } from './transfer-worker-protocol';
import type { Downloader, Uploader } from './file-transfer';
import type { PipelineOptions } from './pipelined';

/** A host's login for the worker, and the check its host key must pass. */
export interface WorkerHostLogin {
  login: WorkerLogin;
  checkHostKey: (keyBlob: Buffer) => HostKeyDecision;
}

export interface TransferWorkersOptions {
  /** The compiled worker entry (transfer-worker.js). */
  script: string;
  log?: Logger;
  /** A connection nobody uses is closed after this long (default 30 s). */
  idleMs?: number;
}

interface Connection {
  no: number;
  hostId: string;
  login: WorkerHostLogin;
  up: boolean;
  ready: Promise<void>;
  settle: (error?: Error) => void;
  users: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

interface RunningJob {
  conn: number;
  onBytes: ((n: number) => void) | undefined;
  onOrphan?: (path: string) => void;
  sink: Writable | undefined;
  /** Stream chunks handed to the sink whose write has not called back yet. */
  writing: number;
  /** A write to the sink failed (it went away). */
  sinkFailed: boolean;
  /** The worker sent everything (streams wait for their writes to end). */
  sent: number | undefined;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

export class TransferWorkers {
  private worker: Worker | undefined;
  private readonly byHost = new Map<string, Connection>();
  private readonly byNo = new Map<number, Connection>();
  private readonly jobs = new Map<number, RunningJob>();
  private nextNo = 1;
  private readonly log: Logger;
  private readonly idleMs: number;

  constructor(private readonly options: TransferWorkersOptions) {
    this.log = options.log ?? silentLogger;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Connections open or opening in the worker (diagnostics, tests). */
  get connections(): number {
    return this.byNo.size;
  }

  /** Whether the worker can run here (it is built). */
  static available(script: string): boolean {
    return existsSync(script);
  }

  /**
   * A downloader on the host's worker connection, once it is logged in; `release` when done. Fails
   * (and the caller downloads in this thread) when the worker's login does not go through.
   */
  async lease(
    hostId: string,
    login: WorkerHostLogin,
  ): Promise<{ downloader: Downloader; uploader: Uploader; release: () => void }> {
    let conn = this.byHost.get(hostId);
    if (!conn) conn = this.connect(hostId, login);
    conn.users++;
    if (conn.idle) clearTimeout(conn.idle);
    conn.idle = undefined;
    const mine = conn;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      mine.users--;
      if (mine.users > 0 || this.byNo.get(mine.no) !== mine) return;
      mine.idle = setTimeout(() => this.disconnect(mine), this.idleMs);
      mine.idle.unref?.();
    };
    try {
      await mine.ready;
    } catch (err) {
      release();
      throw err;
    }
    return {
      downloader: {
        toFile: (remotePath, localPath, options) =>
          this.run(
            mine,
            remotePath,
            { kind: 'file', localPath, replace: options.replace, mode: options.mode },
            options,
          ),
        toStream: (remotePath, sink, options) =>
          this.run(mine, remotePath, { kind: 'stream', size: options.size }, options, sink),
      },
      uploader: {
        fromFile: (localPath, remotePath, options) =>
          this.start(mine, options, (job) => ({
            type: 'upload',
            job,
            conn: mine.no,
            localPath,
            remotePath,
            pipeline: { chunkBytes: options.chunkBytes, depth: options.depth },
            replace: options.replace,
            ...(options.expectedSize === undefined ? {} : { expectedSize: options.expectedSize }),
          })),
      },
      release,
    };
  }

  /** Ends every download and connection, and the thread. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new ApiError('unavailable', 'Hyperion is stopping.'));
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.script);
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (err) => this.log.error('the transfer worker failed', { error: String(err) }));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (code !== 0) this.log.warn('the transfer worker stopped', { code });
      this.failAll(new ApiError('unavailable', 'The transfer worker stopped.'));
    });
    return worker;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private connect(hostId: string, login: WorkerHostLogin): Connection {
    let settle: (error?: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    ready.catch(() => undefined); // a login nobody waits for any more is not an error of the process
    const conn: Connection = {
      no: this.nextNo++,
      hostId,
      login,
      up: false,
      ready,
      settle,
      users: 0,
      idle: undefined,
    };
    this.byHost.set(hostId, conn);
    this.byNo.set(conn.no, conn);
    this.thread();
    this.send({ type: 'connect', conn: conn.no, login: login.login });
    return conn;
  }

  private disconnect(conn: Connection): void {
    if (conn.users > 0) return;
    this.forget(conn);
    this.send({ type: 'disconnect', conn: conn.no });
    if (this.byNo.size === 0 && this.jobs.size === 0) {
      // The last connection: the thread goes once its goodbye is out.
      const worker = this.worker;
      setTimeout(() => {
        if (worker && this.worker === worker && this.byNo.size === 0 && this.jobs.size === 0) {
          this.worker = undefined;
          void worker.terminate();
        }
      }, 1_000).unref?.();
    }
  }

  private forget(conn: Connection): void {
    if (conn.idle) clearTimeout(conn.idle);
    if (this.byHost.get(conn.hostId) === conn) this.byHost.delete(conn.hostId);
    this.byNo.delete(conn.no);
  }

  private run(
    conn: Connection,
    remotePath: string,
    target: DownloadTarget,
    options: PipelineOptions,
    sink?: Writable,
  ): Promise<number> {
    return this.start(
      conn,
      options,
      (job) => ({
        type: 'download',
        job,
        conn: conn.no,
        remotePath,
        pipeline: { chunkBytes: options.chunkBytes, depth: options.depth },
        target,
      }),
      sink,
    );
  }

  /** Sends a job to the worker; settles with its bytes. A cancel and a departed sink stop it there. */
  private start(
    conn: Connection,
    options: PipelineOptions & { onOrphan?: (path: string) => void },
    message: (job: number) => ToWorker,
    sink?: Writable,
  ): Promise<number> {
    if (this.byNo.get(conn.no) !== conn || !this.worker) {
      return Promise.reject(new ApiError('unavailable', 'The transfer connection is closed.'));
    }
    const jobNo = this.nextNo++;
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => this.send({ type: 'cancel', job: jobNo });
      // The receiving side went away (a closed download tab) before the end: nothing more is read.
      const onSinkGone = () => {
        if (this.jobs.get(jobNo)?.sent === undefined) this.send({ type: 'cancel', job: jobNo });
      };
      const cleanup = () => {
        options.signal?.removeEventListener('abort', onAbort);
        sink?.off('error', onSinkGone);
        sink?.off('close', onSinkGone);
      };
      this.jobs.set(jobNo, {
        conn: conn.no,
        onBytes: options.onBytes,
        ...(options.onOrphan ? { onOrphan: options.onOrphan } : {}),
        sink,
        writing: 0,
        sinkFailed: false,
        sent: undefined,
        resolve: (bytes) => {
          cleanup();
          resolve(bytes);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      options.signal?.addEventListener('abort', onAbort);
      sink?.on('error', onSinkGone);
      sink?.on('close', onSinkGone);
      this.send(message(jobNo));
      if (options.signal?.aborted) onAbort();
    });
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'hostKey': {
        const conn = this.byNo.get(message.conn);
        let trusted = false;
        try {
          trusted = conn?.login.checkHostKey(Buffer.from(message.key)).verdict === 'trusted';
        } catch (err) {
          this.log.error('ssh host key check failed', { host: conn?.login.login.label, error: String(err) });
        }
        this.send({ type: 'hostKeyVerdict', conn: message.conn, trusted });
        break;
      }
      case 'up': {
        const conn = this.byNo.get(message.conn);
        if (conn) {
          conn.up = true;
          conn.settle();
        }
        break;
      }
      case 'down': {
        const conn = this.byNo.get(message.conn);
        if (!conn) break;
        this.forget(conn);
        if (!conn.up) conn.settle(new ApiError('unavailable', message.message));
        else
          this.log.info('download connection closed', {
            host: conn.login.login.label,
            reason: message.message,
          });
        break;
      }
      case 'bytes':
        this.jobs.get(message.job)?.onBytes?.(message.bytes);
        break;
      case 'orphan':
        this.jobs.get(message.job)?.onOrphan?.(message.path);
        break;
      case 'data': {
        const job = this.jobs.get(message.job);
        if (!job?.sink) break;
        // One acknowledgement for the batch, once the sink wrote its last chunk (writes end in order).
        const jobNo = message.job;
        let bytes = 0;
        for (const [i, chunk] of message.chunks.entries()) {
          bytes += chunk.length;
          job.onBytes?.(chunk.length);
          const batchBytes = i === message.chunks.length - 1 ? bytes : 0;
          job.writing++;
          job.sink.write(Buffer.from(chunk.buffer, chunk.offset, chunk.length), (err) => {
            job.writing--;
            if (err) job.sinkFailed = true;
            else if (batchBytes > 0) this.send({ type: 'ack', job: jobNo, bytes: batchBytes });
            this.settleStream(jobNo, job);
          });
        }
        break;
      }
      case 'done': {
        const job = this.jobs.get(message.job);
        if (!job) break;
        job.sent = message.bytes;
        this.settleStream(message.job, job);
        break;
      }
      case 'failed': {
        const job = this.jobs.get(message.job);
        this.jobs.delete(message.job);
        job?.reject(new ApiError(message.code, message.message));
        break;
      }
    }
  }

  /** A job ends once the worker sent everything and the sink wrote it (at once for files). */
  private settleStream(jobNo: number, job: RunningJob): void {
    if (job.sent === undefined || job.writing > 0 || this.jobs.get(jobNo) !== job) return;
    this.jobs.delete(jobNo);
    if (job.sinkFailed) job.reject(new ApiError('conflict', 'The receiving side went away.'));
    else job.resolve(job.sent);
  }

  private failAll(error: ApiError): void {
    for (const conn of this.byNo.values()) {
      this.forget(conn);
      if (!conn.up) conn.settle(error);
    }
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(error);
  }
}
