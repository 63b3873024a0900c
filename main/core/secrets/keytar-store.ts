// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux) through keytar.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { causeOf, SecretError } from './errors';
import { parseSecretRef, type SecretRef, type SecretStore } from './port';

/** The part of keytar this store uses; the Electron shell may hand in a copy built for its ABI. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarStoreOptions {
  /** The keychain's service name; every Hyperion secret is an account under it. */
  service?: string;
  /** Loads keytar; called once, on first use. Defaults to requiring the `keytar` package. */
  loadKeytar?: () => KeytarModule;
  platform?: NodeJS.Platform;
  /**
   * How long one keychain call may take. A locked keyring that wants to show a prompt never answers
   * on a headless machine; this turns that into an error instead of a hang.
   */
  timeoutMs?: number;
}

export const KEYCHAIN_SERVICE = 'Hyperion';

/** Outside the SecretRef space on purpose: the probe can never touch a real secret. */
const PROBE_ACCOUNT_PREFIX = 'hyperion-probe:';

// Required, not imported: keytar is a native module, and a missing build or a missing libsecret
// must become a SecretError at first use rather than a crash when the core loads.
const requireKeytar = (): KeytarModule => createRequire(__filename)('keytar') as KeytarModule;

export class KeytarSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  readonly description: string;
  private readonly service: string;
  private readonly loadKeytar: () => KeytarModule;
  private readonly timeoutMs: number;
  private loaded: { module: KeytarModule } | { error: SecretError } | undefined;

  constructor(options: KeytarStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.loadKeytar = options.loadKeytar ?? requireKeytar;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.description = keychainDescription(options.platform ?? process.platform, this.service);
  }

  async get(ref: SecretRef): Promise<string | undefined> {
    const account = parseSecretRef(ref);
    const value = await this.call('read', account, (k) => k.getPassword(this.service, account));
    return value ?? undefined;
  }

  async set(ref: SecretRef, value: string): Promise<void> {
    const account = parseSecretRef(ref);
    if (typeof value !== 'string') {
      throw new SecretError('invalid_value', `The value for ${account} must be text.`, { ref: account });
    }
    await this.call('store', account, (k) => k.setPassword(this.service, account, value));
  }

  async delete(ref: SecretRef): Promise<boolean> {
    const account = parseSecretRef(ref);
    return this.call('delete', account, (k) => k.deletePassword(this.service, account));
  }

  /**
   * A real round trip (store, read back, delete) under a throwaway account: loading keytar is not
   * enough, since on Linux it loads fine and fails only when it talks to the Secret Service.
   */
  async probe(): Promise<void> {
    const account = `${PROBE_ACCOUNT_PREFIX}${randomBytes(8).toString('hex')}`;
    const token = randomBytes(16).toString('hex');
    await this.call('store', account, (k) => k.setPassword(this.service, account, token));
    try {
      const back = await this.call('read', account, (k) => k.getPassword(this.service, account));
      if (back !== token) {
        throw new SecretError(
          'keychain_unavailable',
          'The OS keychain accepted a test entry but returned something else when it was read back.',
        );
      }
    } finally {
      await this.call('delete', account, (k) => k.deletePassword(this.service, account)).catch(() => false);
    }
  }

  private module(): KeytarModule {
    if (!this.loaded) {
      try {
        this.loaded = { module: this.loadKeytar() };
      } catch (err) {
        this.loaded = {
          error: new SecretError(
            'keychain_unavailable',
            'The OS keychain cannot be used: its native module (keytar) did not load on this machine.',
            { cause: causeOf(err) },
          ),
        };
      }
    }
    if ('error' in this.loaded) throw this.loaded.error;
    return this.loaded.module;
  }

  private async call<T>(action: string, account: string, op: (k: KeytarModule) => Promise<T>): Promise<T> {
    const keytar = this.module();
    const isProbe = account.startsWith(PROBE_ACCOUNT_PREFIX);
    const what = isProbe ? 'a test entry' : account;
    const ref = isProbe ? {} : { ref: account };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new SecretError(
            'keychain_unavailable',
            `The OS keychain did not ${action} ${what} within ${formatDuration(this.timeoutMs)} (it may be locked and waiting for a prompt nobody can see).`,
            ref,
          ),
        );
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([op(keytar), timeout]);
    } catch (err) {
      if (err instanceof SecretError) throw err;
      throw new SecretError(
        'keychain_unavailable',
        `The OS keychain could not ${action} ${what}: ${causeOf(err)}`,
        { ...ref, cause: causeOf(err) },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

function keychainDescription(platform: NodeJS.Platform, service: string): string {
  if (platform === 'darwin') return `Secrets are kept in the macOS Keychain, under "${service}".`;
  if (platform === 'win32') return `Secrets are kept in the Windows Credential Manager, under "${service}".`;
  return `Secrets are kept in this session's keyring (Secret Service: GNOME Keyring or KWallet), under "${service}".`;
}

const formatDuration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
