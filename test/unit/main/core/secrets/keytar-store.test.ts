import { SecretError } from '../../../../../main/core/secrets/errors';
import { KeytarSecretStore, type KeytarModule } from '../../../../../main/core/secrets/keytar-store';
import { hostPassphraseRef, hostPasswordRef, type SecretRef } from '../../../../../main/core/secrets/port';

/** An in-memory keychain with keytar's interface. */
function fakeKeytar(): KeytarModule & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    items,
    getPassword: async (service, account) => items.get(key(service, account)) ?? null,
    setPassword: async (service, account, password) => {
      items.set(key(service, account), password);
    },
    deletePassword: async (service, account) => items.delete(key(service, account)),
  };
}

async function failure(promise: Promise<unknown>): Promise<SecretError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SecretError);
  return error as SecretError;
}

const WEB1 = hostPasswordRef('web-1');

describe('KeytarSecretStore', () => {
  it('stores each secret as an account of the "Hyperion" service', async () => {
    const keytar = fakeKeytar();
    const store = new KeytarSecretStore({ loadKeytar: () => keytar });
    expect(store.kind).toBe('os-keychain');
    await store.set(WEB1, 'p@ss');
    expect([...keytar.items.keys()]).toEqual(['Hyperion\u0000host:web-1:password']);
    expect(await store.get(WEB1)).toBe('p@ss');
    expect(await store.get(hostPassphraseRef('web-1'))).toBeUndefined();
    expect(await store.delete(WEB1)).toBe(true);
    expect(await store.delete(WEB1)).toBe(false);
  });

  it('loads keytar once, lazily', async () => {
    const load = vi.fn(fakeKeytar);
    const store = new KeytarSecretStore({ loadKeytar: load });
    expect(load).not.toHaveBeenCalled();
    await store.get(WEB1);
    await store.get(WEB1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('turns a native module that does not load into keychain_unavailable, not a crash', async () => {
    const store = new KeytarSecretStore({
      loadKeytar: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
      },
    });
    const error = await failure(store.set(WEB1, 'never-logged'));
    expect(error.reason).toBe('keychain_unavailable');
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/keytar/);
    expect(error.details.cause).toMatch(/libsecret/);
    expect(JSON.stringify(error.toJSON())).not.toContain('never-logged');
    // The failure is remembered, not retried on every call.
    expect((await failure(store.get(WEB1))).reason).toBe('keychain_unavailable');
  });

  it('names the ref but not the value when the keychain refuses', async () => {
    const store = new KeytarSecretStore({
      loadKeytar: () => ({
        ...fakeKeytar(),
        setPassword: async () => {
          throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
        },
      }),
    });
    const error = await failure(store.set(WEB1, 'top-secret-value'));
    expect(error.reason).toBe('keychain_unavailable');
    expect(error.message).toContain(WEB1);
    expect(error.message).toMatch(/D-Bus/);
    expect(error.details.ref).toBe(WEB1);
    expect(JSON.stringify(error.toJSON())).not.toContain('top-secret-value');
  });

  it('gives up on a keychain that never answers (a locked keyring waiting for a prompt)', async () => {
    const store = new KeytarSecretStore({
      timeoutMs: 50,
      loadKeytar: () => ({ ...fakeKeytar(), getPassword: () => new Promise<never>(() => {}) }),
    });
    const error = await failure(store.get(WEB1));
    expect(error.reason).toBe('keychain_unavailable');
    expect(error.message).toMatch(/did not read host:web-1:password within/);
  });

  it('refuses refs it does not know', async () => {
    const store = new KeytarSecretStore({ loadKeytar: fakeKeytar });
    const error = await failure(Promise.resolve().then(() => store.get('ssh:web-1' as SecretRef)));
    expect(error.reason).toBe('invalid_ref');
  });

  describe('probe', () => {
    it('passes a round trip and leaves nothing behind', async () => {
      const keytar = fakeKeytar();
      await new KeytarSecretStore({ loadKeytar: () => keytar }).probe();
      expect(keytar.items.size).toBe(0);
    });

    it('fails when the keychain returns something else than what it was given', async () => {
      const keytar = { ...fakeKeytar(), getPassword: async () => 'something else' };
      const error = await failure(new KeytarSecretStore({ loadKeytar: () => keytar }).probe());
      expect(error.reason).toBe('keychain_unavailable');
      expect(error.details.ref).toBeUndefined();
    });

    it('fails when the keychain cannot store', async () => {
      const keytar = {
        ...fakeKeytar(),
        setPassword: async () => {
          throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
        },
      };
      const error = await failure(new KeytarSecretStore({ loadKeytar: () => keytar }).probe());
      expect(error.message).toMatch(/could not store a test entry: The name org.freedesktop.secrets/);
    });
  });

  it('describes the keychain of each platform', () => {
    const on = (platform: NodeJS.Platform) =>
      new KeytarSecretStore({ platform, loadKeytar: fakeKeytar }).description;
    expect(on('darwin')).toMatch(/macOS Keychain/);
    expect(on('win32')).toMatch(/Windows Credential Manager/);
    expect(on('linux')).toMatch(/Secret Service/);
  });
});
