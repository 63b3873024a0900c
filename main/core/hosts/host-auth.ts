// Resolves a saved host's credentials for a login: the agent socket, the key file, and the password or
// passphrase from the secret store. Also checks a key file and passphrase before a host is saved.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { ApiError } from '../../../common/errors';
import type { Host } from '../../../common/schemas/hosts';
import { hostPassphraseRef, hostPasswordRef, type SecretStore } from '../secrets/port';
import type { SshAuth } from '../ssh/auth-methods';

export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export const secretRefFor = (host: Pick<Host, 'id'>, method: Host['auth']['method']) =>
  method === 'password'
    ? hostPasswordRef(host.id)
    : method === 'key'
      ? hostPassphraseRef(host.id)
      : undefined;

/** Reads and decrypts a key file; an unreadable file or a wrong passphrase is an input error on its field. */
export async function checkKeyFile(keyPath: string, passphrase: string | undefined): Promise<Buffer> {
  let key: Buffer;
  try {
    key = await readFile(expandHome(keyPath));
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message;
    throw fieldError('auth.keyPath', `Hyperion cannot read the key file ${keyPath}: ${reason}.`);
  }
  const parsed = utils.parseKey(key, passphrase);
  if (parsed instanceof Error) {
    const encrypted = /passphrase|encrypted|decrypt|bad decrypt/i.test(parsed.message);
    if (encrypted) {
      throw fieldError(
        'auth.secret',
        passphrase
          ? 'That passphrase does not unlock the key file.'
          : 'The key file is protected by a passphrase: enter it.',
      );
    }
    throw fieldError('auth.keyPath', `${keyPath} is not a private key Hyperion can use (${parsed.message}).`);
  }
  return key;
}

export function fieldError(path: string, message: string): ApiError {
  return new ApiError('invalid_input', message, { issues: [{ path, message }] });
}

export interface ResolvedAuth {
  auth: SshAuth;
  /** Set when the credentials cannot be had: shown as the host's login problem. */
  problem: string | undefined;
}

export async function resolveAuth(
  host: Host,
  secrets: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedAuth> {
  const { method, keyPath } = host.auth;
  try {
    if (method === 'agent') {
      const socket = env.SSH_AUTH_SOCK;
      return socket
        ? { auth: { agentSocket: socket }, problem: undefined }
        : {
            auth: {},
            problem:
              'No ssh-agent is available to Hyperion (SSH_AUTH_SOCK is not set): start one, or use a key file or password.',
          };
    }
    if (method === 'key') {
      const passphrase = host.auth.hasSecret ? await secrets.get(hostPassphraseRef(host.id)) : undefined;
      const privateKey = await checkKeyFile(keyPath ?? '', passphrase);
      return { auth: { privateKey, passphrase }, problem: undefined };
    }
    const password = await secrets.get(hostPasswordRef(host.id));
    return password === undefined
      ? { auth: {}, problem: `No password is stored for ${host.name}: edit the host to enter it.` }
      : { auth: { password }, problem: undefined };
  } catch (err) {
    return { auth: {}, problem: err instanceof Error ? err.message : String(err) };
  }
}
