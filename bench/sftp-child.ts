// The core with one saved SSH host, for bench/sftp.mjs: uploads and downloads one file through the
// transfer queue (as the app does), for each pipeline setting and connection kind asked, and prints
// the seconds each took.
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addBenchHosts, startBenchCore, waitAllUp } from './bench-core';

interface Task {
  user: string;
  keyPath: string;
  host: { address: string; port: number };
  file: string;
  remoteDir: string;
  localDir: string;
  rounds: number;
  settings: { label: string; chunkBytes: number; depth: number; connection: 'dedicated' | 'shared' }[];
}

async function main(): Promise<void> {
  const [dataDir, knownHostsPath, taskJson] = process.argv.slice(2);
  const task = JSON.parse(taskJson!) as Task;
  const results: Record<string, { upSec: number[]; downSec: number[]; streamSec: number[] }> = {};
  for (const setting of task.settings) {
    const core = await startBenchCore(join(dataDir!, setting.label), knownHostsPath!, {
      sshTools: {
        files: {
          transferConnection: setting.connection,
          pipeline: { chunkBytes: setting.chunkBytes, depth: setting.depth },
          // This file runs as a bundle in out/bench/: the worker is the built one.
          downloadWorker: join(__dirname, '..', 'main', 'core', 'files', 'download-worker.js'),
        },
      },
    });
    const fleet = { user: task.user, keyPath: task.keyPath, hosts: [task.host] };
    const [hostId] = await addBenchHosts(core, fleet, 'sftp-bench');
    const host = { id: hostId! };
    await waitAllUp(core, 30_000);
    const owner = { id: 'bench', via: 'core' as const };
    // The transfer connection logs in at the first transfer (the sftp client's login is taken off
    // its times too), and the app is a long-running process whose code is compiled by then: a
    // 16 MB warm-up up and down opens the connection and warms the JIT before the clock starts.
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
    const entry = { upSec: [] as number[], downSec: [] as number[], streamSec: [] as number[] };
    const name = task.file.split('/').pop()!;
    for (let round = 0; round < task.rounds; round++) {
      rmSync(join(task.remoteDir, name), { force: true });
      let t0 = performance.now();
      const up = await core.sshTools.transfers.uploadPath(
        host.id,
        task.file,
        task.remoteDir,
        { replace: false },
        owner,
      );
      entry.upSec.push((performance.now() - t0) / 1000);
      if (up.state !== 'succeeded') throw new Error(`upload failed: ${up.error}`);
      const into = join(task.localDir, `${setting.label}-${round}`);
      mkdirSync(into, { recursive: true });
      t0 = performance.now();
      const down = await core.sshTools.transfers.downloadPath(
        host.id,
        join(task.remoteDir, name),
        into,
        { replace: false },
        owner,
      );
      entry.downSec.push((performance.now() - t0) / 1000);
      if (down.state !== 'succeeded') throw new Error(`download failed: ${down.error}`);
      if (statSync(join(into, name)).size !== statSync(task.file).size) throw new Error('sizes differ');
      rmSync(into, { recursive: true, force: true });
      // The way the window and a browser get a file: the bytes as a stream (an HTTP response), here
      // into a local file.
      const streamed = join(task.localDir, `${setting.label}-${round}.stream`);
      t0 = performance.now();
      const prepared = await core.sshTools.transfers.prepareDownload(
        host.id,
        [join(task.remoteDir, name)],
        owner,
      );
      const sink = createWriteStream(streamed);
      const stream = await prepared.start(sink);
      entry.streamSec.push((performance.now() - t0) / 1000);
      if (stream.state !== 'succeeded') throw new Error(`stream download failed: ${stream.error}`);
      if (statSync(streamed).size !== statSync(task.file).size) throw new Error('stream sizes differ');
      rmSync(streamed, { force: true });
    }
    results[setting.label] = entry;
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
