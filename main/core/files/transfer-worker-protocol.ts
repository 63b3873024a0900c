// The messages between the main thread and the transfer worker (transfer-worker.ts). Both ends are
// our own code in one process, so these are types, not a validated boundary.
import type { ErrorCode } from '../../../common/errors';
import type { SshAuth } from '../ssh/auth-methods';

/** What the worker needs to log in like the host's own connection (never behind a jump host). */
export interface WorkerLogin {
  host: string;
  port: number;
  username: string;
  /** The host's name, for messages. */
  label: string;
  auth: SshAuth;
  hostKeyAlgorithms?: string[];
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export interface WorkerPipeline {
  chunkBytes: number;
  depth: number;
}

export type DownloadTarget =
  /** Into a local file, through a temporary one beside it (downloadToFile). */
  | { kind: 'file'; localPath: string; replace: boolean; mode?: number }
  /** As a stream of chunks to the main thread, each acknowledged once written on (downloadToStream). */
  | { kind: 'stream'; size?: number };

export type ToWorker =
  | { type: 'connect'; conn: number; login: WorkerLogin }
  | { type: 'hostKeyVerdict'; conn: number; trusted: boolean }
  | { type: 'disconnect'; conn: number }
  | {
      type: 'download';
      job: number;
      conn: number;
      remotePath: string;
      pipeline: WorkerPipeline;
      target: DownloadTarget;
    }
  /** A local file to a remote path, read here (uploadFile: a temporary name, renamed at the end). */
  | {
      type: 'upload';
      job: number;
      conn: number;
      localPath: string;
      remotePath: string;
      pipeline: WorkerPipeline;
      replace: boolean;
      expectedSize?: number;
    }
  /** The main thread wrote one more of the job's chunks, of `bytes` (streams only). */
  | { type: 'ack'; job: number; bytes: number }
  | { type: 'cancel'; job: number };

export type FromWorker =
  /** The server's host key, for the main thread's check; answered with hostKeyVerdict. */
  | { type: 'hostKey'; conn: number; key: Uint8Array }
  | { type: 'up'; conn: number }
  /** The login failed, or the connection ended. */
  | { type: 'down'; conn: number; message: string }
  /** Bytes written to the local file, or confirmed by the server, since the last report. */
  | { type: 'bytes'; job: number; bytes: number }
  /** An upload's temporary file could not be removed (the link is gone): remove it later. */
  | { type: 'orphan'; job: number; path: string }
  /** The next chunks of a stream; their buffers are transferred, not copied. */
  | { type: 'data'; job: number; chunks: { buffer: ArrayBuffer; offset: number; length: number }[] }
  | { type: 'done'; job: number; bytes: number }
  | { type: 'failed'; job: number; code: ErrorCode; message: string; cancelled: boolean };
