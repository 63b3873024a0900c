// The core alone with N saved SSH hosts up (and monitored, as in the app), for bench/exec-fanout.mjs:
// runs a command on all of them, ROUNDS times per concurrency, and prints the times to all results.
import { addBenchHosts, startBenchCore, waitAllUp, type BenchFleet } from './bench-core';

interface Task extends BenchFleet {
  command: string;
  rounds: number;
  concurrencies: number[];
}

async function main(): Promise<void> {
  const [dataDir, knownHostsPath, taskJson] = process.argv.slice(2);
  const task = JSON.parse(taskJson!) as Task;
  const core = await startBenchCore(dataDir!, knownHostsPath!);
  const ids = await addBenchHosts(core, task, 'fan');
  await waitAllUp(core, 60_000);
  await new Promise((r) => setTimeout(r, 3_000)); // let the samplers settle
  const results: Record<string, { ms: number[]; firstMs: number[]; failed: number }> = {};
  const runner = core.sshTools.commands;
  for (const concurrency of task.concurrencies) {
    const entry = { ms: [] as number[], firstMs: [] as number[], failed: 0 };
    for (let round = 0; round < task.rounds; round++) {
      const t0 = performance.now();
      let first: number | undefined;
      const run = runner.start(
        { command: task.command, hosts: ids, concurrency, timeoutSec: 60 },
        { id: 'bench', via: 'core' },
      );
      const off = runner.subscribe(run.id, (e) => {
        if (first === undefined && e.run.hosts.some((h) => h.state === 'succeeded'))
          first = performance.now() - t0;
      });
      const done = await runner.wait(run.id);
      off();
      entry.ms.push(performance.now() - t0);
      entry.firstMs.push(first ?? performance.now() - t0);
      entry.failed += done.summary.failed;
    }
    results[String(concurrency)] = entry;
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  await core.stop();
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
