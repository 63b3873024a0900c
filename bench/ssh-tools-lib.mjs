// Shared pieces of the SSH tools benches: a fleet of loopback sshd hosts with a known_hosts file
// for them.
import { writeFileSync } from 'node:fs';
import { bundle } from './lib.mjs';

/** Starts `size` sshd hosts (test/helpers/sshd.ts) and writes their keys to `knownHostsPath`. */
export async function startFleet(size, options, knownHostsPath) {
  const harness = await import(bundle('test/helpers/sshd.ts'));
  const fleet = await harness.startSshdFleet(size, options);
  writeFileSync(
    knownHostsPath,
    fleet.hosts
      .map((h) => `[${h.address}]:${h.port} ${h.hostKey().type} ${h.hostKey().keyBase64}`)
      .join('\n') + '\n',
  );
  return fleet;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
