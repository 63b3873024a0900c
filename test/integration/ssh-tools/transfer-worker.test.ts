// The transfer worker (a thread with SSH connections of its own) against a real sshd: a file and a
// stream arrive whole and in order, a slow receiver holds it back without losing a byte, a cancel
// leaves no file, a local file goes up whole and never over another, a host key the policy refuses
// ends the login before any credential is offered, and an unused connection is closed. It runs the
// built worker, as the app does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { TransferWorkers, type WorkerHostLogin } from '../../../main/core/files/transfer-workers';
import { createHostKeyCheck } from '../../../main/core/ssh/host-key-policy';
import { TRANSFER_WORKER } from '../../helpers/core';
import { userFolder } from '../../helpers/ssh-tools';
import { startSshdFleet, type SshdFleet, type SshdHost } from '../../helpers/sshd';

const MB = 1_000_000;
const pipeline = { chunkBytes: 255 * 1024, depth: 32 };

let fleet: SshdFleet;
let host: SshdHost;
let remote: string;
let local: string;
let file: string;
let expected: string;
let workers: TransferWorkers;

function login(keys: { type: string; keyBase64: string }[]): WorkerHostLogin {
  return {
    login: {
      host: host.address,
      port: host.port,
      username: fleet.user.name,
      label: 'dw-0',
      auth: { privateKey: fleet.clientKeys.privateKey },
      connectTimeoutMs: 5_000,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 3,
    },
    checkHostKey: createHostKeyCheck({
      host: host.address,
      port: host.port,
      store: { get: () => keys },
      knownHosts: [],
    }),
  };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  fleet = await startSshdFleet(1, { namePrefix: 'dw', port: 2772 });
  host = fleet.hosts[0]!;
  remote = userFolder(fleet, 'hyperion-dw-remote-').path;
  local = mkdtempSync(join(tmpdir(), 'hyperion-dw-local-'));
  file = join(remote, 'payload.bin');
  execFileSync('sh', ['-c', 'head -c 20000000 /dev/urandom > "$1"', 'sh', file]);
  expected = sha256(readFileSync(file));
}, 60_000);

beforeEach(() => {
  workers = new TransferWorkers({ script: TRANSFER_WORKER, idleMs: 300 });
});

afterEach(async () => {
  await workers.stop();
});

afterAll(async () => {
  await fleet?.stop();
  if (remote) rmSync(remote, { recursive: true, force: true });
  if (local) rmSync(local, { recursive: true, force: true });
});

describe('transfer worker', () => {
  it('is built (npm test builds first)', () => {
    expect(TransferWorkers.available(TRANSFER_WORKER)).toBe(true);
  });

  it('downloads a file whole, reporting every byte, with nothing left under a temporary name', async () => {
    const lease = await workers.lease('h1', login([host.hostKey()]));
    let reported = 0;
    const into = join(local, 'file.bin');
    const bytes = await lease.downloader.toFile(file, into, {
      ...pipeline,
      replace: false,
      mode: 0o640,
      onBytes: (n) => (reported += n),
    });
    lease.release();
    expect(bytes).toBe(20 * MB);
    expect(reported).toBe(20 * MB);
    expect(sha256(readFileSync(into))).toBe(expected);
    expect(statSync(into).mode & 0o777).toBe(0o640);
    expect(readdirSync(local)).toEqual(['file.bin']);
    rmSync(into);
  });

  it('streams a file in order to a slow receiver, which holds the worker back', async () => {
    const lease = await workers.lease('h1', login([host.hostKey()]));
    const chunks: Buffer[] = [];
    let received = 0;
    let peakAhead = 0;
    let written = 0;
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        setTimeout(() => {
          written += chunk.length;
          callback();
        }, 2);
      },
    });
    const bytes = await lease.downloader.toStream(file, sink, {
      ...pipeline,
      onBytes: (n) => {
        received += n;
        peakAhead = Math.max(peakAhead, received - written);
      },
    });
    lease.release();
    expect(bytes).toBe(20 * MB);
    expect(sha256(Buffer.concat(chunks))).toBe(expected);
    // What arrived but was not yet written stays within the worker's window (16 MiB), not the file.
    expect(peakAhead).toBeLessThanOrEqual(16 * 1024 * 1024 + pipeline.chunkBytes);
    expect(written).toBe(20 * MB);
  });

  it('cancels a download: it fails as cancelled and leaves no file', async () => {
    const lease = await workers.lease('h1', login([host.hostKey()]));
    const abort = new AbortController();
    const into = join(local, 'cancelled.bin');
    // A narrow pipeline, so the download is still running when the cancel comes.
    const running = lease.downloader.toFile(file, into, {
      chunkBytes: 8 * 1024,
      depth: 1,
      replace: false,
      signal: abort.signal,
      onBytes: () => abort.abort(),
    });
    await expect(running).rejects.toThrow(/Cancelled/);
    lease.release();
    expect(readdirSync(local)).toEqual([]);
  });

  it('cancels a stream: it fails as cancelled, and nothing more reaches the receiver', async () => {
    const lease = await workers.lease('h1', login([host.hostKey()]));
    const abort = new AbortController();
    let received = 0;
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        setTimeout(callback, 5);
      },
    });
    const running = lease.downloader.toStream(file, sink, {
      chunkBytes: 64 * 1024,
      depth: 2,
      signal: abort.signal,
      onBytes: () => abort.abort(),
    });
    await expect(running).rejects.toThrow(/Cancelled/);
    lease.release();
    // What was already on its way drains; then nothing more comes.
    await new Promise((r) => setTimeout(r, 300));
    const settled = received;
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(settled);
    expect(received).toBeLessThan(2 * MB);
  });

  it('uploads a local file it reads itself, under a temporary name until the end, never over a file', async () => {
    const lease = await workers.lease('h1', login([host.hostKey()]));
    const target = join(remote, 'uploaded.bin');
    let reported = 0;
    const bytes = await lease.uploader.fromFile(file, target, {
      ...pipeline,
      replace: false,
      expectedSize: 20 * MB,
      onBytes: (n) => (reported += n),
    });
    expect(bytes).toBe(20 * MB);
    expect(reported).toBe(20 * MB);
    expect(sha256(readFileSync(target))).toBe(expected);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(readdirSync(remote).sort()).toEqual(['payload.bin', 'uploaded.bin']);
    await expect(lease.uploader.fromFile(file, target, { ...pipeline, replace: false })).rejects.toThrow(
      /already exists/,
    );
    // A cancel leaves nothing beside it.
    const abort = new AbortController();
    await expect(
      lease.uploader.fromFile(file, join(remote, 'cancelled.bin'), {
        chunkBytes: 8 * 1024,
        depth: 1,
        replace: false,
        signal: abort.signal,
        onBytes: () => abort.abort(),
      }),
    ).rejects.toThrow(/Cancelled/);
    lease.release();
    await vi.waitFor(() => expect(readdirSync(remote).sort()).toEqual(['payload.bin', 'uploaded.bin']));
    rmSync(target);
  });

  it('refuses a host key the policy does not trust, before offering any credential', async () => {
    const acceptedBefore = host.logLines(/Accepted |Failed |Postponed /).length;
    const other = { type: 'ssh-ed25519', keyBase64: host.hostKey().keyBase64.replace(/.{8}$/, 'AAAAAAAA') };
    await expect(workers.lease('h2', login([other]))).rejects.toThrow(/transfer connection/);
    await new Promise((r) => setTimeout(r, 200));
    expect(host.logLines(/Accepted |Failed |Postponed /).length).toBe(acceptedBefore);
  });

  it('closes a connection nobody uses, and logs in again for the next download', async () => {
    const logins = () => host.logLines(/Accepted publickey/).length;
    const before = logins();
    const first = await workers.lease('h3', login([host.hostKey()]));
    first.release();
    const again = await workers.lease('h3', login([host.hostKey()]));
    again.release();
    expect(logins()).toBe(before + 1); // reused while the idle time runs
    expect(workers.connections).toBe(1);
    await vi.waitFor(() => expect(workers.connections).toBe(0), { timeout: 5_000 });
    const later = await workers.lease('h3', login([host.hostKey()]));
    const bytes = await later.downloader.toStream(
      file,
      new Writable({ write: (_c, _e, cb) => cb() }),
      pipeline,
    );
    later.release();
    expect(bytes).toBe(20 * MB);
    expect(logins()).toBe(before + 2);
  });
});
