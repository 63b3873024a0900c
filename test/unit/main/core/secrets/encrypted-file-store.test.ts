import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptedFileSecretStore } from '../../../../../main/core/secrets/encrypted-file-store';
import { SecretError } from '../../../../../main/core/secrets/errors';
import {
  channelWebhookRef,
  hostPassphraseRef,
  hostPasswordRef,
  type SecretRef,
} from '../../../../../main/core/secrets/port';

const WEB1 = hostPasswordRef('web-1');
const DB1 = hostPassphraseRef('db-1');
const SLACK = channelWebhookRef('ops');

let dataDir: string;
const noEnv = {};
const store = (env: NodeJS.ProcessEnv = noEnv) => new EncryptedFileSecretStore({ dataDir, env });
const secretsPath = () => join(dataDir, 'secrets.enc.json');
const keyPath = () => join(dataDir, 'secrets.key');
const rawFile = () => readFile(secretsPath());
const fileJson = async () =>
  JSON.parse(await readFile(secretsPath(), 'utf8')) as {
    keyCheck: string;
    entries: Record<string, { iv: string; tag: string; data: string }>;
  };

async function failure(promise: Promise<unknown>): Promise<SecretError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a SecretError, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
  if (!(error instanceof SecretError)) throw new Error(`expected a SecretError, got ${String(error)}`);
  return error;
}

beforeEach(async () => {
  // A folder that does not exist yet: the store creates it.
  dataDir = join(await mkdtemp(join(tmpdir(), 'hyperion-secrets-')), 'data');
});

afterEach(async () => {
  await rm(join(dataDir, '..'), { recursive: true, force: true });
});

describe('EncryptedFileSecretStore', () => {
  it('stores, reads back and reports unknown refs as undefined', async () => {
    const s = store();
    expect(s.kind).toBe('encrypted-file');
    expect(await s.get(WEB1)).toBeUndefined();
    await s.set(WEB1, 'hunter2');
    await s.set(SLACK, 'https://hooks.slack.com/services/T000/B000/XXXX');
    expect(await s.get(WEB1)).toBe('hunter2');
    expect(await s.get(SLACK)).toBe('https://hooks.slack.com/services/T000/B000/XXXX');
    expect(await s.get(DB1)).toBeUndefined();
  });

  it('overwrites a value stored under the same ref', async () => {
    const s = store();
    await s.set(WEB1, 'first');
    await s.set(WEB1, 'second');
    expect(await s.get(WEB1)).toBe('second');
    expect(Object.keys((await fileJson()).entries)).toEqual([WEB1]);
  });

  it('keeps secrets across instances (a restart)', async () => {
    await store().set(WEB1, 'survives a restart');
    expect(await store().get(WEB1)).toBe('survives a restart');
  });

  it('round-trips unicode, newlines and an empty value exactly', async () => {
    const value = 'pässwörd ✓ 🔐 日本語\nline two\r\n\ttabbed  \u0000 end';
    const s = store();
    await s.set(DB1, value);
    await s.set(WEB1, '');
    expect(await store().get(DB1)).toBe(value);
    expect(await store().get(WEB1)).toBe('');
  });

  it('never writes a value in clear, nor merely base64-encoded', async () => {
    const secret = `correct-horse-battery-staple-${randomBytes(4).toString('hex')}`;
    await store().set(WEB1, secret);
    const raw = await rawFile();
    expect(raw.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    expect(raw.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    expect(raw.includes(Buffer.from(Buffer.from(secret).toString('base64')))).toBe(false);
    expect(raw.includes(Buffer.from(Buffer.from(secret).toString('hex')))).toBe(false);
    // The key file holds a key, not the secret either.
    expect((await readFile(keyPath())).includes(Buffer.from(secret))).toBe(false);
  });

  it('uses a fresh IV for every entry, even for equal values', async () => {
    const s = store();
    await s.set(WEB1, 'same');
    await s.set(DB1, 'same');
    const { entries } = await fileJson();
    expect(entries[WEB1]?.iv).not.toBe(entries[DB1]?.iv);
    expect(entries[WEB1]?.data).not.toBe(entries[DB1]?.data);
    expect(Buffer.from(entries[WEB1]?.iv ?? '', 'base64')).toHaveLength(12);
    expect(Buffer.from(entries[WEB1]?.tag ?? '', 'base64')).toHaveLength(16);
  });

  it('deletes one entry, keeps the others, and says whether anything was there', async () => {
    const s = store();
    await s.set(WEB1, 'a');
    await s.set(DB1, 'b');
    expect(await s.delete(WEB1)).toBe(true);
    expect(await s.delete(WEB1)).toBe(false);
    expect(await s.delete(SLACK)).toBe(false);
    expect(await s.get(WEB1)).toBeUndefined();
    expect(await s.get(DB1)).toBe('b');
    expect(Object.keys((await fileJson()).entries)).toEqual([DB1]);
  });

  it('deletes without the key, so a secret can be forgotten after its key is lost', async () => {
    await store().set(WEB1, 'a');
    await rm(keyPath());
    expect(await store().delete(WEB1)).toBe(true);
  });

  it('serializes concurrent sets, within one instance and across instances', async () => {
    const a = store();
    const b = store();
    const ids = Array.from({ length: 40 }, (_, i) => `host-${i}`);
    await Promise.all(ids.map((id, i) => (i % 2 ? a : b).set(hostPasswordRef(id), `secret ${i}`)));
    const fresh = store();
    for (const [i, id] of ids.entries()) expect(await fresh.get(hostPasswordRef(id))).toBe(`secret ${i}`);
    // Every write went through a temp file and a rename: nothing is left behind.
    expect((await readdir(dataDir)).sort()).toEqual(['secrets.enc.json', 'secrets.key']);
  });

  it('orders a get after the set that came before it', async () => {
    const s = store();
    const set = s.set(WEB1, 'written first');
    const got = s.get(WEB1);
    await set;
    expect(await got).toBe('written first');
  });

  describe('file permissions', () => {
    it('creates the secrets file and the key file with mode 0600, the folder with 0700', async () => {
      await store().set(WEB1, 'x');
      expect((await stat(secretsPath())).mode & 0o777).toBe(0o600);
      expect((await stat(keyPath())).mode & 0o777).toBe(0o600);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    });

    it('keeps mode 0600 after a rewrite, whatever the umask', async () => {
      const old = process.umask(0o000);
      try {
        const s = store();
        await s.set(WEB1, 'x');
        await chmod(secretsPath(), 0o644);
        await s.set(DB1, 'y');
        expect((await stat(secretsPath())).mode & 0o777).toBe(0o600);
      } finally {
        process.umask(old);
      }
    });

    it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o', async (mode) => {
      await store().set(WEB1, 'x');
      await chmod(keyPath(), mode);
      const error = await failure(store().get(WEB1));
      expect(error.reason).toBe('key_file_insecure');
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain(keyPath());
      expect(error.message).toContain('chmod 600');
    });

    it('refuses a key file that is a symbolic link', async () => {
      await store().set(WEB1, 'x');
      const elsewhere = join(dataDir, '..', 'elsewhere.key');
      await writeFile(elsewhere, await readFile(keyPath()), { mode: 0o600 });
      await rm(keyPath());
      await symlink(elsewhere, keyPath());
      expect((await failure(store().get(WEB1))).reason).toBe('key_file_insecure');
    });

    it('refuses a key file that is a folder', async () => {
      await store().set(WEB1, 'x');
      await rm(keyPath());
      await mkdir(keyPath(), { mode: 0o700 });
      const error = await failure(store().get(WEB1));
      expect(error.reason).toBe('key_file_insecure');
      expect(error.message).toMatch(/not a regular file/);
    });

    it('refuses a key file owned by another user', async () => {
      await store().set(WEB1, 'x');
      const other = new EncryptedFileSecretStore({ dataDir, env: noEnv, uid: 4242 });
      const error = await failure(other.get(WEB1));
      expect(error.reason).toBe('key_file_insecure');
      expect(error.message).toMatch(/another user/);
    });
  });

  describe('keys', () => {
    const hexKey = randomBytes(32).toString('hex');
    const base64Key = Buffer.from(hexKey, 'hex').toString('base64');

    it('takes the key from HYPERION_SECRET_KEY (hex or base64) and then needs no key file', async () => {
      await store({ HYPERION_SECRET_KEY: hexKey }).set(WEB1, 'from env');
      expect(await readdir(dataDir)).toEqual(['secrets.enc.json']);
      // The same 32 bytes written in base64 open the same file.
      expect(await store({ HYPERION_SECRET_KEY: base64Key }).get(WEB1)).toBe('from env');
      expect(store({ HYPERION_SECRET_KEY: hexKey }).description).toMatch(/HYPERION_SECRET_KEY/);
    });

    it('accepts URL-safe base64 without padding', async () => {
      const key = Buffer.from('fbff'.repeat(16), 'hex');
      await store({ HYPERION_SECRET_KEY: key.toString('base64url') }).set(WEB1, 'ok');
      expect(await store({ HYPERION_SECRET_KEY: key.toString('hex') }).get(WEB1)).toBe('ok');
    });

    it.each([
      ['too short', randomBytes(16).toString('hex')],
      ['too long', randomBytes(48).toString('base64')],
      ['not a key', 'my password'],
    ])('refuses a HYPERION_SECRET_KEY that is %s, without repeating it', (_, value) => {
      let error: unknown;
      try {
        store({ HYPERION_SECRET_KEY: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SecretError);
      expect((error as SecretError).reason).toBe('invalid_setting');
      expect(
        JSON.stringify({ m: (error as SecretError).message, d: (error as SecretError).details }),
      ).not.toContain(value);
    });

    it('reports a wrong key as such, never returns garbage, and never overwrites the file', async () => {
      await store({ HYPERION_SECRET_KEY: hexKey }).set(WEB1, 'right key');
      const before = await rawFile();
      const wrong = store({ HYPERION_SECRET_KEY: randomBytes(32).toString('hex') });
      const read = await failure(wrong.get(WEB1));
      expect(read.reason).toBe('wrong_key');
      expect(read.message).toMatch(/different key/);
      expect(read.details.ref).toBe(WEB1);
      expect((await failure(wrong.set(DB1, 'other'))).reason).toBe('wrong_key');
      expect(await rawFile()).toEqual(before);
    });

    it('reports a wrong key when the key file was replaced', async () => {
      await store().set(WEB1, 'x');
      await writeFile(keyPath(), randomBytes(32).toString('base64'), { mode: 0o600 });
      expect((await failure(store().get(WEB1))).reason).toBe('wrong_key');
    });

    it('does not make up a new key when the key file of a non-empty file is missing', async () => {
      await store().set(WEB1, 'x');
      await rm(keyPath());
      const error = await failure(store().set(DB1, 'y'));
      expect(error.reason).toBe('wrong_key');
      expect(error.message).toMatch(/key file .* is missing/);
      expect(await readdir(dataDir)).toEqual(['secrets.enc.json']);
    });

    it('starts over with a new key once every secret is deleted', async () => {
      await store().set(WEB1, 'x');
      await store().delete(WEB1);
      await rm(keyPath());
      await store().set(DB1, 'y');
      expect(await store().get(DB1)).toBe('y');
    });
  });

  describe('tampering and damage', () => {
    async function edit(change: (file: Awaited<ReturnType<typeof fileJson>>) => void): Promise<void> {
      const file = await fileJson();
      change(file);
      await writeFile(secretsPath(), JSON.stringify(file), { mode: 0o600 });
    }
    const flipFirstByte = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      return bytes.toString('base64');
    };

    beforeEach(async () => {
      const s = store();
      await s.set(WEB1, 'the real password');
      await s.set(SLACK, 'https://hooks.example/real');
    });

    it.each([
      ['a flipped ciphertext byte', 'data'],
      ['a flipped tag byte', 'tag'],
      ['a flipped IV byte', 'iv'],
    ] as const)('refuses %s', async (_, field) => {
      await edit((file) => {
        const entry = file.entries[WEB1];
        if (entry) entry[field] = flipFirstByte(entry[field]);
      });
      const error = await failure(store().get(WEB1));
      expect(error.reason).toBe('tampered');
      expect(error.message).toContain(WEB1);
      expect(error.message).not.toContain('the real password');
      // The other entry is intact.
      expect(await store().get(SLACK)).toBe('https://hooks.example/real');
    });

    it('refuses a truncated tag (GCM tags shorter than 16 bytes are forgeable)', async () => {
      await edit((file) => {
        const entry = file.entries[WEB1];
        if (entry) entry.tag = Buffer.from(entry.tag, 'base64').subarray(0, 4).toString('base64');
      });
      expect((await failure(store().get(WEB1))).reason).toBe('tampered');
    });

    it('refuses an entry moved under another ref', async () => {
      await edit((file) => {
        const webhook = file.entries[SLACK];
        if (webhook) file.entries[WEB1] = webhook;
      });
      expect((await failure(store().get(WEB1))).reason).toBe('tampered');
    });

    it.each([
      ['truncated JSON', (text: string) => text.slice(0, text.length / 2)],
      ['another format', () => JSON.stringify({ hello: 'world' })],
      ['an empty file', () => ''],
    ])('reports %s as a damaged file', async (_, damage) => {
      await writeFile(secretsPath(), damage(await readFile(secretsPath(), 'utf8')));
      const error = await failure(store().get(WEB1));
      expect(error.reason).toBe('store_corrupt');
      expect(error.message).toContain(secretsPath());
    });
  });

  it('refuses refs it does not know with a rejected promise, before touching the disk', async () => {
    const error = await failure(store().set('host:web-1:token' as SecretRef, 'x'));
    expect(error.reason).toBe('invalid_ref');
    expect(error.code).toBe('invalid_input');
    expect((await failure(store().get('channel:ops' as SecretRef))).reason).toBe('invalid_ref');
    await expect(readdir(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a value that is not text', async () => {
    const error = await failure(store().set(WEB1, 42 as unknown as string));
    expect(error.reason).toBe('invalid_value');
  });

  it('names the ref but never the value when a write fails', async () => {
    await writeFile(join(dataDir, '..', 'blocker'), 'not a folder');
    const blocked = new EncryptedFileSecretStore({
      dataDir: join(dataDir, '..', 'blocker', 'data'),
      env: noEnv,
    });
    const error = await failure(blocked.set(WEB1, 'super-secret-value'));
    expect(error.reason).toBe('io_failed');
    expect(error.message).toContain(WEB1);
    expect(JSON.stringify(error.toJSON())).not.toContain('super-secret-value');
    expect(String(error.stack)).not.toContain('super-secret-value');
  });

  it('describes itself for the settings screen', () => {
    const s = store();
    expect(s.description).toContain(secretsPath());
    expect(s.description).toContain(keyPath());
    expect(s.description).toMatch(/AES-256-GCM/);
  });
});
