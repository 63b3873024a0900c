// The key of the encrypted secrets file: from HYPERION_SECRET_KEY, or from a key file only its owner can read.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { causeOf, SecretError } from './errors';
import { fsyncDirectory } from './atomic-file';

export const KEY_BYTES = 32;
export const SECRET_KEY_ENV = 'HYPERION_SECRET_KEY';

/**
 * 32 bytes written as 64 hex digits or as base64 (standard or URL-safe, padding optional).
 * Returns undefined when the text is neither; the caller words the error, which never repeats the text.
 */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

export function encodeKey(key: Buffer): string {
  return key.toString('base64');
}

export interface LoadedKey {
  key: Buffer;
  source: 'env' | 'file';
  /** The key file, when the key came from one. */
  path?: string;
  /** True when this call created the key file. */
  created: boolean;
}

/** The key from the environment variable; undefined when it is not set. */
export function keyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const text = env[SECRET_KEY_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const key = decodeKey(text);
  if (!key) {
    throw new SecretError(
      'invalid_setting',
      `${SECRET_KEY_ENV} must hold a 32-byte key written as 64 hex digits or as base64 (for example from "openssl rand -base64 32").`,
    );
  }
  return key;
}

export interface KeyFileOptions {
  platform?: NodeJS.Platform;
  /** The user the key file must belong to; defaults to this process's user (POSIX only). */
  uid?: number;
}

/**
 * Reads the key file, creating it (mode 0600, random key) when it does not exist yet. Refuses a file
 * that other users can read or write, a symbolic link, or a file owned by another user: a key anyone
 * can read protects nothing.
 */
export async function loadOrCreateKeyFile(path: string, options: KeyFileOptions = {}): Promise<LoadedKey> {
  const existing = await readKeyFile(path, options);
  if (existing) return { key: existing, source: 'file', path, created: false };
  const key = randomBytes(KEY_BYTES);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(`${encodeKey(key)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsyncDirectory(dirname(path));
  } catch (err) {
    // Another process created it between our read and our create: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKeyFile(path, options);
      if (theirs) return { key: theirs, source: 'file', path, created: false };
    }
    throw new SecretError('io_failed', `The secrets key file ${path} could not be created.`, {
      path,
      cause: causeOf(err),
    });
  }
  return { key, source: 'file', path, created: true };
}

/**
 * The key in the key file, or undefined when there is no key file. The checks run on the opened
 * file itself (O_NOFOLLOW, then fstat), so the file cannot be swapped between check and read.
 */
export async function readKeyFile(path: string, options: KeyFileOptions = {}): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw notRegular(path);
    throw new SecretError('io_failed', `The secrets key file ${path} could not be read.`, {
      path,
      cause: causeOf(err),
    });
  }
  let text: string;
  try {
    checkKeyFile(path, await handle.stat(), options);
    text = await handle.readFile('utf8');
  } catch (err) {
    if (err instanceof SecretError) throw err;
    throw new SecretError('io_failed', `The secrets key file ${path} could not be read.`, {
      path,
      cause: causeOf(err),
    });
  } finally {
    await handle.close();
  }
  const key = decodeKey(text);
  if (!key) {
    throw new SecretError(
      'invalid_setting',
      `The secrets key file ${path} does not hold a 32-byte key (64 hex digits or base64).`,
      { path },
    );
  }
  return key;
}

function notRegular(path: string): SecretError {
  return new SecretError(
    'key_file_insecure',
    `The secrets key file ${path} is not a regular file (a link or a folder); Hyperion will not use it.`,
    { path },
  );
}

function checkKeyFile(
  path: string,
  stats: { mode: number; uid: number; isFile(): boolean },
  options: KeyFileOptions,
): void {
  if (!stats.isFile()) throw notRegular(path);
  // Windows has no POSIX modes: there the file inherits the ACL of the user's profile folder.
  if ((options.platform ?? process.platform) === 'win32') return;
  const uid = options.uid ?? process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new SecretError(
      'key_file_insecure',
      `The secrets key file ${path} belongs to another user (uid ${stats.uid}); Hyperion will not use it.`,
      { path },
    );
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretError(
      'key_file_insecure',
      `The secrets key file ${path} can be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}); run "chmod 600 ${path}" and restart Hyperion.`,
      { path },
    );
  }
}
