// Shared pieces of the SSH tools benches: bundling a TypeScript entry, and a fleet of loopback sshd
// hosts with a known_hosts file for them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib.mjs';

/** Bundles a TypeScript entry (and the test harness it imports) into one runnable file in out/bench. */
export function bundle(entry) {
  const out = join(REPO_ROOT, 'out', 'bench', `${entry.replace(/\W+/g, '_')}.cjs`);
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'),
    [
      join(REPO_ROOT, entry),
      '--bundle',
      '--platform=node',
      '--format=cjs',
      `--outfile=${out}`,
      '--log-level=error',
      '--external:better-sqlite3',
      '--external:keytar',
      '--external:ssh2',
      '--external:cpu-features',
      '--external:systeminformation',
    ],
    { cwd: REPO_ROOT },
  );
  return out;
}

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
