// The fallback secrets store for headless hosts running `hyperion serve`: one AES-256-GCM encrypted file.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';
import { decryptEntry, EncryptedEntry, encryptEntry, keyCheck, keyMatches } from './cipher';
import { causeOf, SecretError } from './errors';
import { parseSecretRef, type SecretRef, type SecretStore } from './port';
import {
  keyFromEnv,
  loadOrCreateKeyFile,
  readKeyFile,
  SECRET_KEY_ENV,
  type KeyFileOptions,
} from './secret-key';

export const SECRETS_FILE_NAME = 'secrets.enc.json';
export const KEY_FILE_NAME = 'secrets.key';

/**
 * Entry names (refs) are in clear so that deleting needs no key; values are encrypted one by one.
 * `keyCheck` tells a wrong key apart from a damaged file.
 */
const SecretsFile = z.object({
  format: z.literal('hyperion-secrets'),
  version: z.literal(1),
  keyCheck: z.string(),
  entries: z.record(z.string(), EncryptedEntry),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export interface EncryptedFileStoreOptions extends KeyFileOptions {
  dataDir: string;
  /** Where HYPERION_SECRET_KEY is looked up. */
  env?: NodeJS.ProcessEnv;
  fileName?: string;
  keyFileName?: string;
}

/** One queue per file, shared by every store instance in this process, so no write is lost. */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(file: string, op: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const result = previous.then(op, op);
  const settled = result.catch(() => undefined);
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return result;
}

export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  readonly description: string;
  readonly path: string;
  readonly keyPath: string;
  private readonly envKey: Buffer | undefined;
  private readonly keyFileOptions: KeyFileOptions;
  private key: Buffer | undefined;

  /** Throws a SecretError `invalid_setting` at once when HYPERION_SECRET_KEY is set but unusable. */
  constructor(options: EncryptedFileStoreOptions) {
    this.path = resolve(options.dataDir, options.fileName ?? SECRETS_FILE_NAME);
    this.keyPath = resolve(options.dataDir, options.keyFileName ?? KEY_FILE_NAME);
    this.envKey = keyFromEnv(options.env ?? process.env);
    this.keyFileOptions = { platform: options.platform, uid: options.uid };
    this.description = this.envKey
      ? `Secrets are kept in the encrypted file ${this.path} (AES-256-GCM), with its key from the ${SECRET_KEY_ENV} environment variable.`
      : `Secrets are kept in the encrypted file ${this.path} (AES-256-GCM), with its key in ${this.keyPath}, readable only by you.`;
  }

  async get(ref: SecretRef): Promise<string | undefined> {
    const name = parseSecretRef(ref);
    return serialized(this.path, async () => {
      const file = await this.readFile(name);
      const entry = file?.entries[name];
      if (!file || !entry) return undefined;
      const key = await this.existingKey(file, name);
      return decryptEntry(key, name, entry);
    });
  }

  async set(ref: SecretRef, value: string): Promise<void> {
    const name = parseSecretRef(ref);
    if (typeof value !== 'string') {
      throw new SecretError('invalid_value', `The value for ${name} must be text.`, { ref: name });
    }
    return serialized(this.path, async () => {
      const file = await this.readFile(name);
      const hasEntries = file !== undefined && Object.keys(file.entries).length > 0;
      const key = hasEntries ? await this.existingKey(file, name) : await this.keyForNewFile(name);
      const next: SecretsFile = {
        format: 'hyperion-secrets',
        version: 1,
        keyCheck: keyCheck(key),
        entries: { ...(hasEntries ? file.entries : {}), [name]: encryptEntry(key, name, value) },
      };
      await this.writeFile(next, name);
    });
  }

  /** Needs no key: forgetting a secret must work even when its key is lost. */
  async delete(ref: SecretRef): Promise<boolean> {
    const name = parseSecretRef(ref);
    return serialized(this.path, async () => {
      const file = await this.readFile(name);
      if (!file || !(name in file.entries)) return false;
      const entries = { ...file.entries };
      delete entries[name];
      await this.writeFile({ ...file, entries }, name);
      return true;
    });
  }

  /** The key for a file that already holds secrets: never a fresh one, which could not read them. */
  private async existingKey(file: SecretsFile, ref: string): Promise<Buffer> {
    const key = this.key ?? this.envKey ?? (await this.loadKeyFile(ref, false));
    if (!keyMatches(key, file.keyCheck)) {
      const source = this.envKey ? `the ${SECRET_KEY_ENV} environment variable` : this.keyPath;
      throw new SecretError(
        'wrong_key',
        `The secrets file ${this.path} was encrypted with a different key than the one in ${source}; restore the original key or store the secrets again.`,
        { ref, path: this.path },
      );
    }
    this.key = key;
    return key;
  }

  private async keyForNewFile(ref: string): Promise<Buffer> {
    const key = this.key ?? this.envKey ?? (await this.loadKeyFile(ref, true));
    this.key = key;
    return key;
  }

  private async loadKeyFile(ref: string, mayCreate: boolean): Promise<Buffer> {
    if (mayCreate) {
      await this.ensureDataDir(ref);
      return (await loadOrCreateKeyFile(this.keyPath, this.keyFileOptions)).key;
    }
    const key = await readKeyFile(this.keyPath, this.keyFileOptions);
    // Secrets but no key file: creating a new key here would lock those secrets away for good.
    if (!key) {
      throw new SecretError(
        'wrong_key',
        `The secrets file ${this.path} holds secrets but its key file ${this.keyPath} is missing; restore that key file or set ${SECRET_KEY_ENV}.`,
        { ref, path: this.keyPath },
      );
    }
    return key;
  }

  private async readFile(ref: string): Promise<SecretsFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SecretError('io_failed', `The secrets file ${this.path} could not be read (for ${ref}).`, {
        ref,
        path: this.path,
        cause: causeOf(err),
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw corrupt(this.path, 'it is not valid JSON');
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) throw corrupt(this.path, 'it does not have the expected fields');
    return parsed.data;
  }

  private async writeFile(file: SecretsFile, ref: string): Promise<void> {
    await this.ensureDataDir(ref);
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    } catch (err) {
      throw new SecretError(
        'io_failed',
        `The secrets file ${this.path} could not be written (saving ${ref}).`,
        {
          ref,
          path: this.path,
          cause: causeOf(err),
        },
      );
    }
  }

  private async ensureDataDir(ref: string): Promise<void> {
    const dir = dirname(this.path);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new SecretError('io_failed', `The data folder ${dir} could not be created (saving ${ref}).`, {
        ref,
        path: dir,
        cause: causeOf(err),
      });
    }
  }
}

function corrupt(path: string, why: string): SecretError {
  return new SecretError(
    'store_corrupt',
    `The secrets file ${path} cannot be used: ${why}. Move it aside and store the secrets again.`,
    { path },
  );
}
