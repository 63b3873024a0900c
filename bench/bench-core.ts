// The core of the bench children: a real core on a temporary data folder (secrets in the encrypted
// file, the store in its worker thread from the build), with loopback sshd hosts saved and up.
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../main/core/core';

/** Loopback sshd hosts and the key that logs in to all of them (from test/helpers/sshd.ts). */
export interface BenchFleet {
  user: string;
  keyPath: string;
  hosts: { address: string; port: number }[];
}

export async function startBenchCore(
  dataDir: string,
  knownHostsPath: string,
  more: Partial<CoreOptions> = {},
): Promise<Core> {
  const core = await createCore({
    version: 'bench',
    dataDir,
    env: { ...process.env, HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: '11'.repeat(32) },
    ssh: { knownHostsPath },
    // This file runs as a bundle in out/bench/: the worker is the built one beside it.
    historyWorkerScript: join(__dirname, '..', 'main', 'core', 'store', 'store-worker.js'),
    ...more,
  });
  await core.start();
  return core;
}

/** Saves every host of `fleet` (named PREFIX-0, PREFIX-1, …); resolves with their ids. */
export async function addBenchHosts(core: Core, fleet: BenchFleet, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, h] of fleet.hosts.entries()) {
    const host = await core.hosts.add({
      name: `${prefix}-${i}`,
      address: h.address,
      port: h.port,
      username: fleet.user,
      auth: { method: 'key', keyPath: fleet.keyPath },
      proxyJump: null,
      tags: [],
    });
    ids.push(host.id);
  }
  return ids;
}

/** Waits until every saved host is up, or fails after `timeoutMs`. */
export async function waitAllUp(core: Core, timeoutMs: number): Promise<void> {
  const began = performance.now();
  while (!core.hosts.statuses().every((s) => s.state === 'up')) {
    if (performance.now() - began > timeoutMs)
      throw new Error(`not every host came up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
