// The core alone, watching N saved SSH hosts at the fast rate, for bench/collect-ssh.mjs.
// Reads its task from argv: DATA_DIR KNOWN_HOSTS FLEET_JSON. Prints "ready" when every host is up;
// on SIGTERM prints the wire bytes and sample counts.
import { join } from 'node:path';
import { createCore } from '../main/core/core';

interface FleetSpec {
  user: string;
  keyPath: string;
  hosts: { address: string; port: number }[];
}

async function main(): Promise<void> {
  const [dataDir, knownHostsPath, fleetJson] = process.argv.slice(2);
  const fleet = JSON.parse(fleetJson!) as FleetSpec;
  const core = await createCore({
    version: 'bench',
    dataDir: dataDir!,
    env: { ...process.env, HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: '11'.repeat(32) },
    ssh: { knownHostsPath },
    // The real store, in its worker thread, from the build (this file runs as a bundle).
    historyWorkerScript: join(__dirname, '..', 'main', 'core', 'store', 'store-worker.js'),
  });
  await core.start();
  const ids: string[] = [];
  for (const [i, h] of fleet.hosts.entries()) {
    const host = await core.hosts.add({
      name: `bench-${i}`,
      address: h.address,
      port: h.port,
      username: fleet.user,
      auth: { method: 'key', keyPath: fleet.keyPath },
      proxyJump: null,
      tags: [],
    });
    ids.push(host.id);
  }
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
