// Picks where secrets live: the OS keychain when a real round trip works, else the encrypted file.
import { silentLogger, type Logger } from '../log';
import { EncryptedFileSecretStore } from './encrypted-file-store';
import { causeOf, SecretError } from './errors';
import { KeytarSecretStore } from './keytar-store';
import type { SecretStore } from './port';

export const SECRETS_MODE_ENV = 'HYPERION_SECRETS';

export interface ChooseSecretStoreOptions {
  /** Hyperion's data folder: where the encrypted file and its key file go. */
  dataDir: string;
  /** HYPERION_SECRETS=keychain|file forces a store; HYPERION_SECRET_KEY keys the file. */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /**
   * Resolves with a keychain store that has just passed a round trip, or rejects with the reason.
   * Defaults to keytar's store and its `probe()`; tests and the Electron shell pass their own.
   */
  probeKeychain?: () => Promise<SecretStore>;
}

export interface SecretStoreChoice {
  store: SecretStore;
  /** Why the OS keychain is not in use, when it is not (a sentence for the settings screen). */
  keychainUnavailable?: string;
}

export async function probeKeytarKeychain(): Promise<SecretStore> {
  const store = new KeytarSecretStore();
  await store.probe();
  return store;
}

export async function chooseSecretStore(options: ChooseSecretStoreOptions): Promise<SecretStoreChoice> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const probe = options.probeKeychain ?? probeKeytarKeychain;
  const mode = (env[SECRETS_MODE_ENV] ?? '').trim().toLowerCase();
  if (!['', 'auto', 'keychain', 'file'].includes(mode)) {
    throw new SecretError(
      'invalid_setting',
      `${SECRETS_MODE_ENV} must be "keychain", "file" or "auto" (or unset).`,
    );
  }

  if (mode === 'file') {
    const store = new EncryptedFileSecretStore({ dataDir: options.dataDir, env });
    log.info('secrets: using the encrypted file, as HYPERION_SECRETS asks', {
      store: store.kind,
      description: store.description,
    });
    return { store, keychainUnavailable: `${SECRETS_MODE_ENV}=file is set.` };
  }

  let keychainError: SecretError;
  try {
    const store = await probe();
    log.info('secrets: using the OS keychain', { store: store.kind, description: store.description });
    return { store };
  } catch (err) {
    keychainError =
      err instanceof SecretError
        ? err
        : new SecretError('keychain_unavailable', 'The OS keychain did not pass its test.', {
            cause: causeOf(err),
          });
  }
  if (mode === 'keychain') {
    // Asked for by name: falling back quietly would put secrets somewhere the admin did not choose.
    log.error('secrets: the OS keychain was required but is not available', {
      reason: keychainError.message,
    });
    throw keychainError;
  }
  const store = new EncryptedFileSecretStore({ dataDir: options.dataDir, env });
  log.warn('secrets: the OS keychain is not available; using the encrypted file', {
    reason: keychainError.message,
    store: store.kind,
    description: store.description,
  });
  return { store, keychainUnavailable: keychainError.message };
}
