// A real core on a temporary data folder: real SQLite file, encrypted-file secrets, real /proc.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';

export interface TestCore {
  core: Core;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function createTestCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hyperion-core-'));
  const core = await createCore({
    version: 'test',
    sampleIntervalMs: 200,
    // Tests run the TypeScript sources: the engine runs inline (the worker needs the build).
    historyMode: 'inline',
    ...options,
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
