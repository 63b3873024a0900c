import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../../main/core/log';
import { SecretError } from '../../../../../main/core/secrets/errors';
import { hostPasswordRef, type SecretStore } from '../../../../../main/core/secrets/port';
import { chooseSecretStore } from '../../../../../main/core/secrets/select';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...fields }));
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

function memoryKeychain(): SecretStore {
  const items = new Map<string, string>();
  return {
    kind: 'os-keychain',
    description: 'Secrets are kept in a test keychain.',
    get: async (ref) => items.get(ref),
    set: async (ref, value) => {
      items.set(ref, value);
    },
    delete: async (ref) => items.delete(ref),
  };
}

const unavailable = async (): Promise<SecretStore> => {
  throw new SecretError('keychain_unavailable', 'The OS keychain could not store a test entry: no D-Bus.');
};

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hyperion-select-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('chooseSecretStore', () => {
  it('uses the OS keychain when its round trip works, and logs which store is in use', async () => {
    const log = recordingLogger();
    const keychain = memoryKeychain();
    const choice = await chooseSecretStore({ dataDir, env: {}, log, probeKeychain: async () => keychain });
    expect(choice.store).toBe(keychain);
    expect(choice.keychainUnavailable).toBeUndefined();
    expect(log.lines.join('\n')).toContain('Secrets are kept in a test keychain.');
  });

  it('falls back to the encrypted file and says why', async () => {
    const log = recordingLogger();
    const choice = await chooseSecretStore({ dataDir, env: {}, log, probeKeychain: unavailable });
    expect(choice.store.kind).toBe('encrypted-file');
    expect(choice.keychainUnavailable).toMatch(/no D-Bus/);
    expect(choice.store.description).toContain(join(dataDir, 'secrets.enc.json'));
    expect(log.lines).toHaveLength(1);
    expect(JSON.parse(log.lines[0] ?? '{}')).toMatchObject({ level: 'warn', store: 'encrypted-file' });
  });

  it('treats a probe that throws something other than a SecretError as an unavailable keychain', async () => {
    const choice = await chooseSecretStore({
      dataDir,
      env: {},
      probeKeychain: async () => {
        throw new TypeError('boom');
      },
    });
    expect(choice.store.kind).toBe('encrypted-file');
  });

  it('HYPERION_SECRETS=file skips the keychain entirely', async () => {
    const probe = vi.fn(async () => memoryKeychain());
    const choice = await chooseSecretStore({
      dataDir,
      env: { HYPERION_SECRETS: 'file' },
      probeKeychain: probe,
    });
    expect(choice.store.kind).toBe('encrypted-file');
    expect(probe).not.toHaveBeenCalled();
  });

  it('HYPERION_SECRETS=keychain refuses to fall back', async () => {
    const log = recordingLogger();
    await expect(
      chooseSecretStore({ dataDir, env: { HYPERION_SECRETS: 'keychain' }, log, probeKeychain: unavailable }),
    ).rejects.toMatchObject({ reason: 'keychain_unavailable' });
    expect(log.lines.join('\n')).toMatch(/required/);
  });

  it('refuses an unknown HYPERION_SECRETS value', async () => {
    await expect(
      chooseSecretStore({ dataDir, env: { HYPERION_SECRETS: 'vault' }, probeKeychain: unavailable }),
    ).rejects.toMatchObject({ reason: 'invalid_setting' });
  });

  it('passes HYPERION_SECRET_KEY to the file store', async () => {
    const env = { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'ab'.repeat(32) };
    const { store } = await chooseSecretStore({ dataDir, env });
    expect(store.description).toMatch(/HYPERION_SECRET_KEY/);
  });

  it('never logs a secret stored through the chosen store', async () => {
    const log = recordingLogger();
    const { store } = await chooseSecretStore({ dataDir, env: {}, log, probeKeychain: unavailable });
    await store.set(hostPasswordRef('web-1'), 'do-not-log-me');
    await store.get(hostPasswordRef('web-1'));
    expect(log.lines.join('\n')).not.toContain('do-not-log-me');
  });
});
