// A real core on a temporary data folder: real SQLite file, encrypted-file secrets, real /proc.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, type Api } from '../../common/api';
import type { Caller } from '../../common/contract';
import type { HostStatus } from '../../common/schemas/hosts';
import { connect, type ApiClient } from '../../common/rpc/client';
import { createMemoryTransportPair } from '../../common/rpc/memory-transport';
import { serveConnection } from '../../common/rpc/server';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';

export interface TestCore {
  core: Core;
  dataDir: string;
  dispose(): Promise<void>;
}

/** The built transfer worker (`npm test` builds first): downloads and local uploads run in it, as in the app. */
export const TRANSFER_WORKER = join(
  __dirname,
  '..',
  '..',
  'out',
  'main',
  'core',
  'files',
  'transfer-worker.js',
);

export async function createTestCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hyperion-core-'));
  const core = await createCore({
    version: 'test',
    sampleIntervalMs: 200,
    // Tests run the TypeScript sources: the engine runs inline (the worker needs the build).
    historyMode: 'inline',
    historyFlushMs: 0,
    ...options,
    sshTools: {
      ...options.sshTools,
      files: { transferWorker: TRANSFER_WORKER, ...options.sshTools?.files },
    },
    dataDir,
    env: {
      HYPERION_SECRETS: 'file',
      HYPERION_SECRET_KEY: randomBytes(32).toString('hex'),
      ...options.env,
    },
    ssh: options.ssh ?? {
      knownHostsPath: join(dataDir, 'known_hosts'),
      config: { path: join(dataDir, 'ssh_config') },
    },
  });
  return {
    core,
    dataDir,
    dispose: async () => {
      await core.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reconnects quickly, so tests of outages take seconds, not minutes. */
export const FAST_CONNECTIONS = {
  backoff: { initialMs: 200, maxMs: 1_000 },
  connectTimeoutMs: 5_000,
  keepaliveIntervalMs: 1_000,
};

export interface TestClient {
  client: ApiClient<Api>;
  /** The newest status of each host, kept by the hosts.status stream. */
  statuses: Map<string, HostStatus>;
  waitForState(id: string, state: HostStatus['state'], timeout?: number): Promise<HostStatus>;
}

/**
 * A typed API client on a core, through the real RPC server over memory transports, as admin (or
 * as `caller`: a browser's WebSocket, say).
 */
export function connectTestClient(
  core: Core,
  caller: Caller = { id: 'test', role: 'admin', via: 'memory' },
): TestClient {
  const [a, b] = createMemoryTransportPair();
  serveConnection(api, core.handlers, b, caller, core.serveOptions);
  const client = connect(api, a);
  const statuses = new Map<string, HostStatus>();
  client.subscribe('hosts.status', {}, { onEvent: (e) => e.hosts.forEach((s) => statuses.set(s.id, s)) });
  return {
    client,
    statuses,
    async waitForState(id, state, timeout = 15_000) {
      await vi.waitFor(() => expect(statuses.get(id)?.state).toBe(state), { timeout, interval: 50 });
      return statuses.get(id)!;
    },
  };
}
