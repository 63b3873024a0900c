// SFTP throughput on loopback: the same file up and down through Hyperion's transfer queue and
// through OpenSSH's `sftp` client, against the target of at least 80 % of the client's speed. Down
// twice: into a local file (the desktop window's download, in the transfer worker) and over HTTP
// under a ticket (a browser's, under serve; fetched by curl).
// BENCH_SFTP_MB (default 200) sizes the file; BENCH_ROUNDS (default 3) repeats each transfer.
// BENCH_SFTP_TUNE=1 also tries other pipeline depths and chunk sizes, and the shared (compressed)
// connection; BENCH_SFTP_MAIN_THREAD=1 transfers in the main thread too, without the transfer worker.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle, figure, figureAtLeast, isMain, requireBuild, spawnNode } from './lib.mjs';
import { median, startFleet } from './ssh-tools-lib.mjs';

export const name = 'sftp';

const TARGET_RATIO = 80;

function sftpBatch(fleet, host, knownHosts, commands) {
  const t0 = performance.now();
  const result = spawnSync(
    'sftp',
    [
      '-q',
      '-b',
      '-',
      '-i',
      fleet.clientKeys.privateKeyPath,
      '-P',
      String(host.port),
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'BatchMode=yes',
      `${fleet.user.name}@${host.address}`,
    ],
    { input: `${commands.join('\n')}\n`, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`sftp failed: ${result.stderr}`);
  return (performance.now() - t0) / 1000;
}

export async function run() {
  requireBuild();
  const megabytes = Number(process.env.BENCH_SFTP_MB ?? 200);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const work = mkdtempSync(join(tmpdir(), 'hyperion-bench-sftp-'));
  chmodSync(work, 0o755); // the test user on the sshd side must reach the remote folder inside
  const knownHosts = join(work, 'known_hosts');
  const fleet = await startFleet(1, { namePrefix: 'sftpb', port: 2932 }, knownHosts);
  try {
    const host = fleet.hosts[0];
    const uid = Number(execFileSync('id', ['-u', fleet.user.name], { encoding: 'utf8' }).trim());
    const file = join(work, 'payload.bin');
    execFileSync('sh', ['-c', `head -c ${megabytes * 1_000_000} /dev/urandom > "$1"`, 'sh', file]);
    const remoteDir = join(work, 'remote');
    mkdirSync(remoteDir);
    chownSync(remoteDir, uid, uid);
    const bytes = megabytes * 1_000_000;

    const settings = [
      { label: 'default', chunkBytes: 255 * 1024, depth: 32, connection: 'dedicated', worker: true },
    ];
    // BENCH_SFTP_MAIN_THREAD=1: also transfers in the main thread, as before the transfer worker.
    if (process.env.BENCH_SFTP_MAIN_THREAD) {
      settings.push({
        label: 'main-thread',
        chunkBytes: 255 * 1024,
        depth: 32,
        connection: 'dedicated',
        worker: false,
      });
    }
    if (process.env.BENCH_SFTP_TUNE) {
      for (const [chunk, depth] of [
        [32 * 1024, 64],
        [255 * 1024, 16],
        [255 * 1024, 64],
        [255 * 1024, 128],
      ]) {
        settings.push({
          label: `${chunk / 1024}KiB×${depth}`,
          chunkBytes: chunk,
          depth,
          connection: 'dedicated',
          worker: true,
        });
      }
      settings.push({
        label: 'shared-compressed',
        chunkBytes: 255 * 1024,
        depth: 64,
        connection: 'shared',
        worker: false,
      });
    }
    const childScript = bundle('bench/sftp-child.ts');
    // Rounds alternate between the two clients, so a busy moment of the machine hits both alike.
    const login = [];
    const cliUp = [];
    const cliDown = [];
    const ours = Object.fromEntries(
      settings.map((s) => [
        s.label,
        { upSec: [], downSec: [], streamSec: [], putSec: [], loopP99Ms: [], upLoopP99Ms: [], loopMaxMs: [] },
      ]),
    );
    for (let round = 0; round < rounds; round++) {
      // OpenSSH's client, its login time taken off so both sides are timed on the bytes alone.
      const loginSec = sftpBatch(fleet, host, knownHosts, ['bye']);
      login.push(loginSec);
      rmSync(join(remoteDir, 'cli.bin'), { force: true });
      cliUp.push(
        sftpBatch(fleet, host, knownHosts, [`put ${file} ${join(remoteDir, 'cli.bin')}`]) - loginSec,
      );
      cliDown.push(
        sftpBatch(fleet, host, knownHosts, [
          `get ${join(remoteDir, 'cli.bin')} ${join(work, 'cli-down.bin')}`,
        ]) - loginSec,
      );
      rmSync(join(work, 'cli-down.bin'), { force: true });
      rmSync(join(remoteDir, 'cli.bin'), { force: true });
      const child = spawnNode([
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        childScript,
        mkdtempSync(join(work, 'data-')),
        knownHosts,
        JSON.stringify({
          user: fleet.user.name,
          keyPath: fleet.clientKeys.privateKeyPath,
          host: { address: host.address, port: host.port },
          file,
          remoteDir,
          localDir: join(work, 'local'),
          rounds: 1,
          settings,
        }),
      ]);
      const exit = await child.exited;
      if (exit.code !== 0) throw new Error(`the core child failed: ${child.stderr()}`);
      const results = JSON.parse(child.stdout().trim().split('\n').at(-1));
      for (const s of settings) {
        ours[s.label].upSec.push(...results[s.label].upSec);
        ours[s.label].downSec.push(...results[s.label].downSec);
        ours[s.label].streamSec.push(...results[s.label].streamSec);
        ours[s.label].putSec.push(...results[s.label].putSec);
        ours[s.label].loopP99Ms.push(...results[s.label].loopP99Ms);
        ours[s.label].upLoopP99Ms.push(...results[s.label].upLoopP99Ms);
        ours[s.label].loopMaxMs.push(...results[s.label].loopMaxMs);
      }
    }
    const cliUpRate = bytes / median(cliUp) / 1e6;
    const cliDownRate = bytes / median(cliDown) / 1e6;
    console.log(
      `sftp client (login ${Math.round(median(login) * 1000)} ms taken off): up ${cliUpRate.toFixed(0)} MB/s, down ${cliDownRate.toFixed(0)} MB/s`,
    );
    const results = ours;
    const figures = [];
    for (const s of settings) {
      const r = results[s.label];
      const up = bytes / median(r.upSec) / 1e6;
      const down = bytes / median(r.downSec) / 1e6;
      const stream = bytes / median(r.streamSec) / 1e6;
      const put = bytes / median(r.putSec) / 1e6;
      const share = (rate, cli) => `${((rate / cli) * 100).toFixed(0)} % of sftp`;
      console.log(
        `Hyperion ${s.label} (${s.chunkBytes / 1024} KiB × ${s.depth}, ${s.connection} connection): up from a file ${up.toFixed(0)} MB/s (${share(up, cliUpRate)}), up over HTTP (serve, curl) ${put.toFixed(0)} MB/s (${share(put, cliUpRate)}), down to a file ${down.toFixed(0)} MB/s (${share(down, cliDownRate)}), down over HTTP (serve, curl) ${stream.toFixed(0)} MB/s (${share(stream, cliDownRate)})`,
      );
      console.log(
        `  main thread's event-loop delay p99: during the upload from a file ${median(r.upLoopP99Ms).toFixed(1)} ms, during the download to a file ${median(r.loopP99Ms).toFixed(1)} ms (longest ${median(r.loopMaxMs).toFixed(1)} ms; medians of the rounds)`,
      );
      if (s.label !== 'default') continue;
      figures.push(
        figure(
          `${megabytes} MB download to a file: the main thread's event-loop delay, p99`,
          median(r.loopP99Ms),
          'ms',
        ),
      );
      figures.push(
        figure(
          `${megabytes} MB upload from a file: the main thread's event-loop delay, p99`,
          median(r.upLoopP99Ms),
          'ms',
        ),
      );
      figures.push(
        figureAtLeast(
          `${megabytes} MB upload: Hyperion ${up.toFixed(0)} MB/s vs sftp ${cliUpRate.toFixed(0)} MB/s`,
          (up / cliUpRate) * 100,
          '% of sftp',
          TARGET_RATIO,
        ),
      );
      figures.push(
        figureAtLeast(
          `${megabytes} MB download to a file: Hyperion ${down.toFixed(0)} MB/s vs sftp ${cliDownRate.toFixed(0)} MB/s`,
          (down / cliDownRate) * 100,
          '% of sftp',
          TARGET_RATIO,
        ),
      );
      // No target for the HTTP ones: besides SFTP, the bytes cross a loopback HTTP socket from or to
      // another process (curl here, the browser under serve), a copy the sftp client does not make,
      // on the same two cores.
      figures.push(
        figure(
          `${megabytes} MB upload over HTTP (a browser's, under serve): ${put.toFixed(0)} MB/s vs sftp ${cliUpRate.toFixed(0)} MB/s`,
          (put / cliUpRate) * 100,
          '% of sftp',
        ),
      );
      figures.push(
        figure(
          `${megabytes} MB download over HTTP (a browser's, under serve): ${stream.toFixed(0)} MB/s vs sftp ${cliDownRate.toFixed(0)} MB/s`,
          (stream / cliDownRate) * 100,
          '% of sftp',
        ),
      );
    }
    return figures;
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await run();
