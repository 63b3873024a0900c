// The transfer worker: bulk SFTP downloads (and uploads of local files) on SSH connections of its
// own, in a thread of its own.
// ssh2 allocates a buffer for every packet it decrypts and every response it reassembles; in the main
// thread that external memory forces a full collection of the whole core's heap every few tens of
// milliseconds, and downloads ran at about 70 % of OpenSSH's sftp. Here the collections run on a heap of
// a few megabytes, and decrypting runs beside the main thread (docs/engineering-notes.md).
// The main thread keeps the say: it checks every host key, and it owns the jobs (transfer-workers.ts).
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { ApiError } from '../../../common/errors';
import { authHandlerFor, authMethodsFor } from '../ssh/auth-methods';
import type { FromWorker, ToWorker, WorkerLogin } from './transfer-worker-protocol';
import { channelDownloader, channelUploader } from './file-transfer';
import { Sftp } from './sftp-ops';

const port = parentPort;
if (!port) throw new Error('transfer-worker must run in a worker thread');

/** A file download reports its bytes at most this often. */
const REPORT_MS = 100;
/** Stream chunks the main thread has not written yet, at most (then the pipeline waits). */
const STREAM_WINDOW_BYTES = 16 * 1024 * 1024;
/** Stream chunks go to the main thread in messages of about this much. */
const BATCH_BYTES = 1024 * 1024;

interface Connection {
  client: Client;
  sftp: Sftp | undefined;
  verify: ((trusted: boolean) => void) | undefined;
  down: boolean;
}

interface Job {
  abort: AbortController;
  /** Stream bytes the main thread has not written yet. */
  unackedBytes: number;
  /** The stream's next write, once there is room. */
  waiting: (() => void) | undefined;
  onAck: ((bytes: number) => void) | undefined;
}

const connections = new Map<number, Connection>();
const jobs = new Map<number, Job>();

function post(message: FromWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(message, transfer);
}

function open(conn: number, login: WorkerLogin): void {
  // A Buffer arrives here as a plain Uint8Array, which ssh2 does not take for a key.
  const key = login.auth.privateKey;
  const auth = key
    ? { ...login.auth, privateKey: Buffer.from(key.buffer, key.byteOffset, key.byteLength) }
    : login.auth;
  const methods = authMethodsFor(login.username, auth, login.label);
  if (!methods.ok) {
    post({ type: 'down', conn, message: methods.error.message });
    return;
  }
  const client = new Client();
  const entry: Connection = { client, sftp: undefined, verify: undefined, down: false };
  connections.set(conn, entry);
  const down = (message: string) => {
    if (entry.down) return;
    entry.down = true;
    clearTimeout(timer);
    entry.sftp?.abandon(); // requests still waiting fail now, and their downloads with them
    connections.delete(conn);
    post({ type: 'down', conn, message });
  };
  const socket = connect({ host: login.host, port: login.port });
  socket.setNoDelay(true);
  const timer = setTimeout(() => {
    down(`${login.label} did not let the transfer connection in within ${login.connectTimeoutMs / 1000} s.`);
    socket.destroy();
  }, login.connectTimeoutMs);
  client.on('ready', () => {
    clearTimeout(timer);
    client.sftp((err: Error | undefined, raw: SFTPWrapper) => {
      if (err) {
        down(`${login.label} did not start SFTP: ${err.message}.`);
        client.end();
        return;
      }
      entry.sftp = new Sftp(raw);
      raw.once('close', () => down(`The SFTP channel to ${login.label} closed.`));
      post({ type: 'up', conn });
    });
  });
  client.on('error', (err: Error) =>
    down(`The transfer connection to ${login.label} failed: ${err.message}.`),
  );
  client.on('close', () => down(`The transfer connection to ${login.label} closed.`));
  const config: ConnectConfig = {
    sock: socket,
    username: login.username,
    // The main thread judges the key with the host's own policy; nothing is sent before it answers.
    hostVerifier: (key: Buffer, verify: (trusted: boolean) => void) => {
      entry.verify = verify;
      post({ type: 'hostKey', conn, key: new Uint8Array(key) });
    },
    authHandler: authHandlerFor(login.username, methods.value),
    readyTimeout: 0,
    keepaliveInterval: login.keepaliveIntervalMs,
    keepaliveCountMax: login.keepaliveCountMax,
    algorithms: {
      compress: ['none'], // zlib caps transfers near 50 MB/s on loopback
      ...(login.hostKeyAlgorithms
        ? {
            serverHostKey: login.hostKeyAlgorithms as NonNullable<
              ConnectConfig['algorithms']
            >['serverHostKey'],
          }
        : {}),
    },
  };
  try {
    client.connect(config);
  } catch (err) {
    down(`The transfer connection to ${login.label} could not start: ${(err as Error).message}.`);
    socket.destroy();
  }
}

/**
 * The chunks of a stream download, each handed to the main thread without a copy: up to
 * STREAM_WINDOW_BYTES it has not written yet, then the pipeline waits for its acknowledgements.
 * Ending hands over the last ones; the main thread reports the job done once it wrote them.
 */
function streamSink(jobNo: number, job: Job): Writable {
  const settle = () => {
    if (job.unackedBytes < STREAM_WINDOW_BYTES && job.waiting) {
      const resume = job.waiting;
      job.waiting = undefined;
      resume();
    }
  };
  job.onAck = (bytes) => {
    job.unackedBytes -= bytes;
    settle();
  };
  // Chunks go in batches (up to BATCH_BYTES, or what one turn of the loop gathered): a message costs
  // more than the bytes it moves.
  let batch: { buffer: ArrayBuffer; offset: number; length: number }[] = [];
  let batchBytes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (batch.length === 0) return;
    const chunks = batch;
    batch = [];
    batchBytes = 0;
    post(
      { type: 'data', job: jobNo, chunks },
      chunks.map((c) => c.buffer),
    );
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      job.unackedBytes += chunk.length;
      // The pipeline's request buffers are its own (larger than the shared pool): they move. A small
      // one may be a slice of Buffer's pool, which must stay here: it is copied.
      if (chunk.buffer.byteLength > Buffer.poolSize && chunk.buffer instanceof ArrayBuffer) {
        batch.push({ buffer: chunk.buffer, offset: chunk.byteOffset, length: chunk.length });
      } else {
        const copy = new Uint8Array(chunk).buffer;
        batch.push({ buffer: copy, offset: 0, length: copy.byteLength });
      }
      batchBytes += chunk.length;
      if (batchBytes >= BATCH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      job.waiting = () => callback();
      settle();
    },
    final(callback) {
      flush();
      callback();
    },
  });
}

/**
 * Runs one job on a connection's channel: its bytes reported at most every REPORT_MS, then done or
 * failed (with its code, and whether it was cancelled) sent to the main thread.
 */
async function runJob(
  jobNo: number,
  conn: number,
  body: (sftp: Sftp, job: Job, onBytes: (n: number) => void) => Promise<number>,
): Promise<void> {
  const job: Job = { abort: new AbortController(), unackedBytes: 0, waiting: undefined, onAck: undefined };
  jobs.set(jobNo, job);
  let unreported = 0;
  let reportedAt = 0;
  const report = () => {
    if (unreported > 0) post({ type: 'bytes', job: jobNo, bytes: unreported });
    unreported = 0;
    reportedAt = performance.now();
  };
  const onBytes = (n: number) => {
    unreported += n;
    if (performance.now() - reportedAt >= REPORT_MS) report();
  };
  try {
    const sftp = connections.get(conn)?.sftp;
    if (!sftp?.usable) throw new ApiError('unavailable', 'The transfer connection is closed.');
    const bytes = await body(sftp, job, onBytes);
    report();
    post({ type: 'done', job: jobNo, bytes });
  } catch (err) {
    report();
    post({
      type: 'failed',
      job: jobNo,
      code: err instanceof ApiError ? err.code : 'internal',
      message: err instanceof Error ? err.message : String(err),
      cancelled: job.abort.signal.aborted,
    });
  } finally {
    jobs.delete(jobNo);
  }
}

function download(message: Extract<ToWorker, { type: 'download' }>): Promise<void> {
  const { target, remotePath } = message;
  return runJob(message.job, message.conn, async (sftp, job, onBytes) => {
    const options = { ...message.pipeline, signal: job.abort.signal };
    if (target.kind === 'file') {
      return channelDownloader(sftp).toFile(remotePath, target.localPath, {
        ...options,
        replace: target.replace,
        ...(target.mode === undefined ? {} : { mode: target.mode }),
        onBytes,
      });
    }
    // Stream bytes are counted by the main thread as it writes them.
    const sink = streamSink(message.job, job);
    const bytes = await channelDownloader(sftp).toStream(remotePath, sink, {
      ...options,
      ...(target.size === undefined ? {} : { size: target.size }),
    });
    // Every byte is handed over; the last chunks go out once there is room. A cancel now (the
    // receiver went away) ends the wait: the main thread knows which writes failed.
    await new Promise<void>((resolve) => {
      job.abort.signal.addEventListener('abort', () => resolve(), { once: true });
      sink.end(() => resolve());
    });
    return bytes;
  });
}

function upload(message: Extract<ToWorker, { type: 'upload' }>): Promise<void> {
  return runJob(message.job, message.conn, (sftp, job, onBytes) =>
    channelUploader(sftp).fromFile(message.localPath, message.remotePath, {
      ...message.pipeline,
      replace: message.replace,
      ...(message.expectedSize === undefined ? {} : { expectedSize: message.expectedSize }),
      signal: job.abort.signal,
      onBytes,
      onOrphan: (path) => post({ type: 'orphan', job: message.job, path }),
    }),
  );
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'connect':
      open(message.conn, message.login);
      break;
    case 'hostKeyVerdict': {
      const entry = connections.get(message.conn);
      const verify = entry?.verify;
      if (entry) entry.verify = undefined;
      verify?.(message.trusted);
      break;
    }
    case 'disconnect': {
      const entry = connections.get(message.conn);
      entry?.sftp?.end();
      entry?.client.end();
      break;
    }
    case 'download':
      void download(message);
      break;
    case 'upload':
      void upload(message);
      break;
    case 'ack':
      jobs.get(message.job)?.onAck?.(message.bytes);
      break;
    case 'cancel':
      jobs.get(message.job)?.abort.abort();
      break;
  }
});
