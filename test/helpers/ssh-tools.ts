// Helpers for the SSH tools suites: saved, trusted hosts on a test core, and what runs on the hosts.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreOptions } from '../../main/core/core';
import type { Api } from '../../common/api';
import type { ApiClient } from '../../common/rpc/client';
import type { HostStatus } from '../../common/schemas/hosts';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestClient, type TestCore } from './core';
import { startSshdFleet, type SshdFleet, type SshdHost } from './sshd';

/** Saves each sshd host under `name<i>` with the fleet's key, trusts its key, and waits until it is up. */
export async function addTrustedHosts(
  harness: TestClient,
  fleet: SshdFleet,
  hosts: SshdHost[],
  prefix: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, h] of hosts.entries()) {
    const host = await harness.client.call('hosts.add', {
      name: `${prefix}${i + 1}`,
      address: h.address,
      port: h.port,
      username: fleet.user.name,
      auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
      tags: [prefix],
    });
    ids.push(host.id);
  }
  for (const id of ids) {
    const pending = await harness.waitForState(id, 'host_key_unknown');
    await harness.client.call('hosts.acceptKey', { id, fingerprint: pending.hostKey!.fingerprint });
  }
  for (const id of ids) await harness.waitForState(id, 'up');
  return ids;
}

/** Processes of the test user whose command line contains `needle` (the sshd hosts run here). */
export function remoteProcesses(user: string, needle: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-u', user, '-f', needle], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** The same over any API client (a served app's WebSocket): watches hosts.status itself. */
export async function addTrustedHostsVia(
  client: ApiClient<Api>,
  fleet: SshdFleet,
  hosts: SshdHost[],
  prefix: string,
): Promise<string[]> {
  const statuses = new Map<string, HostStatus>();
  const stop = client.subscribe(
    'hosts.status',
    {},
    { onEvent: (e) => e.hosts.forEach((s) => statuses.set(s.id, s)) },
  );
  const waitForState = async (id: string, state: HostStatus['state']) => {
    await vi.waitFor(() => expect(statuses.get(id)?.state).toBe(state), { timeout: 15_000, interval: 50 });
    return statuses.get(id)!;
  };
  try {
    return await addTrustedHosts({ client, statuses, waitForState }, fleet, hosts, prefix);
  } finally {
    stop();
  }
}

/** The SSH tools suites' stage: loopback sshd hosts, saved and trusted on a started test core. */
export interface ToolsCore {
  fleet: SshdFleet;
  testCore: TestCore;
  harness: TestClient;
  /** The saved hosts, named PREFIX1, PREFIX2, … */
  ids: string[];
  stop(): Promise<void>;
}

export async function startToolsCore(
  hosts: number,
  options: { prefix: string; port: number; sshTools?: CoreOptions['sshTools'] },
): Promise<ToolsCore> {
  const fleet = await startSshdFleet(hosts, { namePrefix: options.prefix, port: options.port });
  const testCore = await createTestCore({
    connectionDefaults: FAST_CONNECTIONS,
    ...(options.sshTools ? { sshTools: options.sshTools } : {}),
  });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  const stop = async () => {
    harness.client.close();
    await testCore.dispose();
    await fleet.stop();
  };
  try {
    const ids = await addTrustedHosts(harness, fleet, fleet.hosts, options.prefix);
    return { fleet, testCore, harness, ids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A new temporary folder owned by the fleet's test user (what its sshd sessions may write to). */
export function userFolder(fleet: SshdFleet, prefix: string): { path: string; uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', fleet.user.name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', fleet.user.name], { encoding: 'utf8' }).trim());
  const path = mkdtempSync(join(tmpdir(), prefix));
  chownSync(path, uid, gid);
  return { path, uid, gid };
}
