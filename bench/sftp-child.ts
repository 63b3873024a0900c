// The core with one saved SSH host, for bench/sftp.mjs: uploads and downloads one file through the
// transfer queue (as the app does), for each pipeline setting and connection kind asked, and prints
// the seconds each took.
import { execFile } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { TRANSFER_HTTP_PATH } from '../common/contracts/files';
import { silentLogger } from '../main/core/log';
import { UploadFeed } from '../main/core/files/tickets';
import { handleTransferRequest } from '../main/server/transfer-http';
import { addBenchHosts, startBenchCore, waitAllUp } from './bench-core';

interface Task {
  user: string;
  keyPath: string;
  host: { address: string; port: number };
  file: string;
  remoteDir: string;
  localDir: string;
  rounds: number;
  settings: {
    label: string;
    chunkBytes: number;
    depth: number;
    connection: 'dedicated' | 'shared';
    /** Downloads and local uploads in the transfer worker (as the app), or in the main thread. */
    worker: boolean;
  }[];
}

function curl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('curl', ['-sS', '--fail', ...args], (err) => (err ? reject(err) : resolve())),
  );
}

async function main(): Promise<void> {
  const [dataDir, knownHostsPath, taskJson] = process.argv.slice(2);
  const task = JSON.parse(taskJson!) as Task;
  const results: Record<
    string,
    {
      upSec: number[];
      downSec: number[];
      streamSec: number[];
      putSec: number[];
      loopP99Ms: number[];
      upLoopP99Ms: number[];
      loopMaxMs: number[];
    }
  > = {};
  for (const setting of task.settings) {
    const core = await startBenchCore(join(dataDir!, setting.label), knownHostsPath!, {
      sshTools: {
        files: {
          transferConnection: setting.connection,
          pipeline: { chunkBytes: setting.chunkBytes, depth: setting.depth },
          // This file runs as a bundle in out/bench/: the worker is the built one.
          transferWorker: setting.worker
            ? join(__dirname, '..', 'main', 'core', 'files', 'transfer-worker.js')
            : false,
        },
      },
    });
    const fleet = { user: task.user, keyPath: task.keyPath, hosts: [task.host] };
    const [hostId] = await addBenchHosts(core, fleet, 'sftp-bench');
    const host = { id: hostId! };
    await waitAllUp(core, 30_000);
    const owner = { id: 'bench', via: 'core' as const };
    const server = createServer((req, res) => {
      if (
        !handleTransferRequest(req, res, {
          tickets: core.sshTools.tickets,
          hosts: new Set(),
          log: silentLogger,
        })
      )
        res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const httpPort = (server.address() as AddressInfo).port;
    // The transfer connection logs in at the first transfer (the sftp client's login is taken off
    // its times too), and the app is a long-running process whose code is compiled by then: a
    // 16 MB warm-up up and down opens the connections and warms the JIT before the clock starts.
    const warm = join(task.localDir, `warm-${setting.label}`);
    mkdirSync(task.localDir, { recursive: true });
    writeFileSync(warm, Buffer.alloc(16 * 1024 * 1024, 1));
    await core.sshTools.transfers.uploadPath(host.id, warm, task.remoteDir, { replace: true }, owner);
    const warmDown = join(task.localDir, `warm-down-${setting.label}`);
    mkdirSync(warmDown, { recursive: true });
    await core.sshTools.transfers.downloadPath(
      host.id,
      join(task.remoteDir, `warm-${setting.label}`),
      warmDown,
      { replace: true },
      owner,
    );
    rmSync(warmDown, { recursive: true, force: true });
    rmSync(join(task.remoteDir, `warm-${setting.label}`), { force: true });
    // A stream upload (a browser's or a dropped file's) goes on the main thread's transfer
    // connection: opened here too.
    const warmFeed = new UploadFeed(1);
    const warmPut = core.sshTools.transfers.upload(
      host.id,
      task.remoteDir,
      [{ path: `warm-put-${setting.label}`, kind: 'file', size: 16 * 1024 * 1024, replace: true }],
      warmFeed.source,
      owner,
      warmFeed,
    );
    await warmFeed.provide(0, createReadStream(warm));
    if ((await core.sshTools.transfers.wait(warmPut.id)).state !== 'succeeded')
      throw new Error('warm-up failed');
    rmSync(join(task.remoteDir, `warm-put-${setting.label}`), { force: true });
    const entry = {
      upSec: [] as number[],
      downSec: [] as number[],
      streamSec: [] as number[],
      putSec: [] as number[],
      loopP99Ms: [] as number[],
      upLoopP99Ms: [] as number[],
      loopMaxMs: [] as number[],
    };
    const name = task.file.split('/').pop()!;
    for (let round = 0; round < task.rounds; round++) {
      rmSync(join(task.remoteDir, name), { force: true });
      const upDelay = monitorEventLoopDelay({ resolution: 5 });
      upDelay.enable();
      let t0 = performance.now();
      const up = await core.sshTools.transfers.uploadPath(
        host.id,
        task.file,
        task.remoteDir,
        { replace: false },
        owner,
      );
      entry.upSec.push((performance.now() - t0) / 1000);
      upDelay.disable();
      entry.upLoopP99Ms.push(upDelay.percentile(99) / 1e6);
      if (up.state !== 'succeeded') throw new Error(`upload failed: ${up.error}`);
      // The way a browser uploads under `serve`: an upload ticket, the file PUT over HTTP (by curl).
      const putName = `put-${name}`;
      t0 = performance.now();
      const feed = new UploadFeed(1);
      const size = statSync(task.file).size;
      const putJob = core.sshTools.transfers.upload(
        host.id,
        task.remoteDir,
        [{ path: putName, kind: 'file', size, replace: false }],
        feed.source,
        owner,
        feed,
      );
      const putTicket = core.sshTools.tickets.issue({
        kind: 'upload',
        owner: owner.id,
        transfer: putJob,
        feed,
      });
      await curl(['-T', task.file, `http://127.0.0.1:${httpPort}${TRANSFER_HTTP_PATH}${putTicket}/0`]);
      const put = await core.sshTools.transfers.wait(putJob.id);
      entry.putSec.push((performance.now() - t0) / 1000);
      if (put.state !== 'succeeded') throw new Error(`HTTP upload failed: ${put.error}`);
      if (statSync(join(task.remoteDir, putName)).size !== size) throw new Error('HTTP upload sizes differ');
      rmSync(join(task.remoteDir, putName), { force: true });
      const into = join(task.localDir, `${setting.label}-${round}`);
      mkdirSync(into, { recursive: true });
      // How long the main thread (charts, alerts, history) waits to run while the download goes.
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      t0 = performance.now();
      const down = await core.sshTools.transfers.downloadPath(
        host.id,
        join(task.remoteDir, name),
        into,
        { replace: false },
        owner,
      );
      entry.downSec.push((performance.now() - t0) / 1000);
      loopDelay.disable();
      entry.loopP99Ms.push(loopDelay.percentile(99) / 1e6);
      entry.loopMaxMs.push(loopDelay.max / 1e6);
      if (down.state !== 'succeeded') throw new Error(`download failed: ${down.error}`);
      if (statSync(join(into, name)).size !== statSync(task.file).size) throw new Error('sizes differ');
      rmSync(into, { recursive: true, force: true });
      // The way a browser gets a file under `serve`: a download ticket, fetched over HTTP (by curl,
      // which writes it to a file as the browser would).
      const streamed = join(task.localDir, `${setting.label}-${round}.http`);
      t0 = performance.now();
      const prepared = await core.sshTools.transfers.prepareDownload(
        host.id,
        [join(task.remoteDir, name)],
        owner,
      );
      const ticket = core.sshTools.tickets.issue({
        kind: 'download',
        owner: owner.id,
        transfer: prepared.transfer,
        filename: prepared.filename,
        type: prepared.kind,
        size: prepared.size,
        start: prepared.start,
        cancel: () => undefined,
      });
      await curl(['-o', streamed, `http://127.0.0.1:${httpPort}${TRANSFER_HTTP_PATH}${ticket}`]);
      entry.streamSec.push((performance.now() - t0) / 1000);
      const fetched = await core.sshTools.transfers.wait(prepared.transfer.id);
      if (fetched.state !== 'succeeded') throw new Error(`HTTP download failed: ${fetched.error}`);
      if (statSync(streamed).size !== statSync(task.file).size) throw new Error('HTTP download sizes differ');
      rmSync(streamed, { force: true });
    }
    results[setting.label] = entry;
    server.close();
    await core.stop();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
