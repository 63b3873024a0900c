// The process-table refresh with thousands of processes, for bench/processes.mjs: a real core,
// this machine's /proc, and the same machine as a loopback SSH host (real sshd). Prints one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core';
import { diffRows, tableRows, readingFromTexts } from '../main/core/processes/process-table';
import { LocalProcReader } from '../main/core/processes/local-proc-reader';
import { flatLines, treeLines } from '../renderer/src/views/processes/process-rows';
import { startSshdFleet } from '../test/helpers/sshd';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 5000);
  const rounds = Number(process.argv[3] ?? 10);
  // The processes: `count` sleeps in one process group, ended together at the end.
  const crowd = spawn(
    '/bin/sh',
    ['-c', 'i=0; while [ $i -lt "$1" ]; do sleep 3600 & i=$((i+1)); done; wait', 'crowd', String(count)],
    { stdio: 'ignore', detached: true },
  );
  const stopCrowd = () => {
    try {
      process.kill(-crowd.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopCrowd);
  const fleet = await startSshdFleet(1, { namePrefix: 'bp', port: 2922 });
  const data = mkdtempSync(join(tmpdir(), 'hyperion-bench-ps-'));
  const knownHosts = join(data, 'known_hosts');
  const h = fleet.hosts[0]!;
  writeFileSync(knownHosts, `[${h.address}]:${h.port} ${h.hostKey().type} ${h.hostKey().keyBase64}\n`);
  const core = await createCore({
    version: 'bench',
    dataDir: data,
    env: { ...process.env, HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: '22'.repeat(32) },
    ssh: { knownHostsPath: knownHosts },
    historyMode: 'inline',
  });
  await core.start();
  try {
    const host = await core.hosts.add({
      name: 'bench-ps',
      address: h.address,
      port: h.port,
      username: fleet.user.name,
      auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
      proxyJump: null,
      tags: [],
    });
    for (let i = 0; i < 200 && core.hosts.status(host.id).state !== 'up'; i++)
      await new Promise((r) => setTimeout(r, 100));
    // Wait until the crowd is there.
    const reader = new LocalProcReader();
    for (let i = 0; i < 300; i++) {
      const n = (await reader.read()).processes.size;
      if (n >= count) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const local: number[] = [];
    const parts = { read: [] as number[], parse: [] as number[], rows: [] as number[], diff: [] as number[] };
    let localBytes = 0;
    let processes = 0;
    let previous: ReturnType<typeof readingFromTexts> | undefined;
    let previousRows = new Map();
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const texts = await reader.read();
      const t1 = performance.now();
      const reading = readingFromTexts(texts);
      const t2 = performance.now();
      const rows = tableRows(reading, previous, texts.passwd);
      const t3 = performance.now();
      diffRows(previousRows, rows);
      const t4 = performance.now();
      previous = reading;
      previousRows = new Map(rows.map((r) => [r.pid, r]));
      parts.read.push(t1 - t0);
      parts.parse.push(t2 - t1);
      parts.rows.push(t3 - t2);
      parts.diff.push(t4 - t3);
      local.push(t4 - t0);
      localBytes = texts.bytes;
      processes = rows.length;
    }
    // Over SSH: what processes.list does (one exec of the fixed script, parse, rows), and the wire.
    const connection = core.hosts.connectionOf(host.id).connection!;
    const remote: number[] = [];
    const wire: number[] = [];
    let remoteBytes = 0;
    let remoteCount = 0;
    for (let i = 0; i < rounds; i++) {
      const before = connection.traffic.bytesReceived + connection.traffic.bytesSent;
      const t0 = performance.now();
      const result = await core.processes.list(host.id);
      remote.push(performance.now() - t0);
      wire.push(connection.traffic.bytesReceived + connection.traffic.bytesSent - before);
      remoteBytes = result.info.bytes;
      remoteCount = result.processes.length;
    }
    // What the renderer does per update: filter and sort the table, flat and as a tree.
    const rows = [...previousRows.values()];
    const sortFlat: number[] = [];
    const sortTree: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      flatLines(rows, { text: 'sle', user: '', state: '' }, { key: 'cpuPercent', descending: true });
      const t1 = performance.now();
      treeLines(rows, { text: '', user: '', state: '' }, { key: 'cpuPercent', descending: true });
      sortFlat.push(t1 - t0);
      sortTree.push(performance.now() - t1);
    }
    // The stream to the renderer: a snapshot, and a change event where nothing but CPU moved.
    const snapshotBytes = JSON.stringify({ kind: 'snapshot', processes: rows }).length;
    console.log(
      JSON.stringify({
        processes,
        remoteCount,
        localMs: median(local),
        localParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)])),
        localBytes,
        remoteMs: median(remote),
        remoteBytes,
        wireBytes: median(wire),
        sortFlatMs: median(sortFlat),
        sortTreeMs: median(sortTree),
        snapshotBytes,
      }),
    );
  } finally {
    await core.stop();
    await fleet.stop();
    stopCrowd();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
