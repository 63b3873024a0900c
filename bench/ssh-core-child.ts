// The core alone, watching N saved SSH hosts at the fast rate, for bench/collect-ssh.mjs.
// Reads its task from argv: DATA_DIR KNOWN_HOSTS FLEET_JSON. Prints "ready" when every host is up;
// on SIGTERM prints the wire bytes and sample counts.
import { addBenchHosts, startBenchCore, type BenchFleet } from './bench-core';

async function main(): Promise<void> {
  const [dataDir, knownHostsPath, fleetJson] = process.argv.slice(2);
  const fleet = JSON.parse(fleetJson!) as BenchFleet;
  const core = await startBenchCore(dataDir!, knownHostsPath!);
  const ids = await addBenchHosts(core, fleet, 'bench');
  // Everything on screen: every host is sampled at the fast (1 s) rate, as in a fleet view.
  let samples = 0;
  core.hub.watch(ids, (batch) => (samples += batch.length));
  const waitUp = setInterval(() => {
    if (core.hosts.statuses().every((s) => s.state === 'up')) {
      clearInterval(waitUp);
      process.stdout.write('ready\n');
    }
  }, 100);
  process.on('SIGUSR2', () => {
    const costs = core.hosts.statuses();
    const wire = costs.reduce((sum, s) => sum + (s.wireBytesPerSec ?? 0), 0);
    process.stdout.write(`${JSON.stringify({ samples, wireBytesPerSec: wire, hosts: costs.length })}\n`);
  });
  process.on('SIGTERM', () => {
    void core.stop().then(() => process.exit(0));
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
