// `hyperion sample TARGET`: one sample of a saved host or of `[user@]host[:port]`, over one SSH login.
// The host key is checked as the app does: known_hosts and keys accepted in Hyperion; an unknown key
// is refused unless the person passes the fingerprint they verified.
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { HostAddress, Port, Username, type Host } from '../../common/schemas/hosts';
import type { Sample } from '../../common/schemas/sample';
import { DATABASE_FILE } from '../core/core';
import { checkKeyFile, expandHome, resolveAuth } from '../core/hosts/host-auth';
import { sampleOnce } from '../core/remote/sample-once';
import { chooseSecretStore } from '../core/secrets/select';
import type { SshAuth } from '../core/ssh/auth-methods';
import { HostConnection } from '../core/ssh/connection';
import { createHostKeyCheck, type KnownKeyStore } from '../core/ssh/host-key-policy';
import { parseKnownHosts } from '../core/ssh/known-hosts';
import { openDatabase } from '../core/store/database';
import { acceptedKeys } from '../core/store/host-keys-repo';
import { listHosts } from '../core/store/hosts-repo';
import { UsageError } from './usage';

export interface RemoteSampleOptions {
  target: string;
  intervalMs: number;
  dataDir: string;
  identity?: string;
  knownHosts?: string;
  acceptKey?: string;
  env?: NodeJS.ProcessEnv;
}

interface Target {
  name: string;
  address: string;
  port: number;
  username: string;
  auth: SshAuth;
}

/** `[user@]host[:port]`, with `[v6]:port` for IPv6 addresses. */
export function parseTarget(text: string): { user?: string; address: string; port: number } {
  const match = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/.exec(text.trim());
  if (!match) throw new UsageError(`"${text}" is not a saved host or [user@]host[:port]`);
  const address = HostAddress.safeParse(match[2]!.replace(/^\[|\]$/g, ''));
  if (!address.success) throw new UsageError(`${match[2]}: ${address.error.issues[0]?.message}`);
  const port = Port.safeParse(match[3] ?? 22);
  if (!port.success) throw new UsageError(`port ${match[3]}: ${port.error.issues[0]?.message}`);
  let user: string | undefined;
  if (match[1] !== undefined) {
    const parsed = Username.safeParse(match[1]);
    if (!parsed.success) throw new UsageError(`user "${match[1]}": ${parsed.error.issues[0]?.message}`);
    user = parsed.data;
  }
  return { user, address: address.data, port: port.data };
}

export async function takeRemoteSample(options: RemoteSampleOptions): Promise<Sample> {
  const env = options.env ?? process.env;
  const dbPath = join(options.dataDir, DATABASE_FILE);
  const db = existsSync(dbPath) ? openDatabase({ path: dbPath }) : undefined;
  try {
    const saved = db
      ? listHosts(db).find((h) => h.name.toLowerCase() === options.target.toLowerCase())
      : undefined;
    const target = saved ? await savedTarget(saved, options, env) : await adHocTarget(options, env);
    const store: KnownKeyStore = {
      get: (hostPort) =>
        db ? acceptedKeys(db, hostPort).map((k) => ({ type: k.keyType, keyBase64: k.keyBase64 })) : [],
    };
    const knownHostsPath = options.knownHosts ?? join(homedir(), '.ssh', 'known_hosts');
    const knownHosts = existsSync(knownHostsPath)
      ? parseKnownHosts(readFileSync(knownHostsPath, 'utf8')).entries
      : [];
    if (options.knownHosts && !existsSync(options.knownHosts))
      throw new Error(`cannot read ${options.knownHosts}: there is no such file`);
    const policy = createHostKeyCheck({ host: target.address, port: target.port, store, knownHosts });
    const connection = new HostConnection({
      host: target.address,
      port: target.port,
      username: target.username,
      displayName: target.name,
      auth: target.auth,
      // A fingerprint passed on the command line trusts exactly that key, once; a changed key never.
      checkHostKey: (blob) => {
        const decision = policy(blob);
        return decision.verdict === 'unknown' && decision.presented.fingerprint === options.acceptKey
          ? { ...decision, verdict: 'trusted', failure: undefined }
          : decision;
      },
    });
    try {
      await waitUntilUp(connection, options);
      return await sampleOnce(connection, saved?.id ?? 'remote', target.name, options.intervalMs);
    } finally {
      await connection.stop();
    }
  } finally {
    db?.close();
  }
}

async function savedTarget(
  host: Host,
  options: RemoteSampleOptions,
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  const { store } = await chooseSecretStore({ dataDir: options.dataDir, env });
  const { auth, problem } = await resolveAuth(host, store, env);
  if (problem) throw new Error(problem);
  return { name: host.name, address: host.address, port: host.port, username: host.username, auth };
}

async function adHocTarget(options: RemoteSampleOptions, env: NodeJS.ProcessEnv): Promise<Target> {
  const { user, address, port } = parseTarget(options.target);
  const auth: SshAuth = {};
  if (options.identity) {
    auth.privateKey = await checkKeyFile(options.identity, env.HYPERION_SSH_PASSPHRASE).catch(
      (err: Error) => {
        throw new Error(err.message);
      },
    );
    auth.passphrase = env.HYPERION_SSH_PASSPHRASE;
  } else {
    if (env.SSH_AUTH_SOCK) auth.agentSocket = env.SSH_AUTH_SOCK;
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const path = expandHome(`~/.ssh/${name}`);
      if (!existsSync(path)) continue;
      const key = await checkKeyFile(path, env.HYPERION_SSH_PASSPHRASE).catch(() => undefined);
      if (key) {
        auth.privateKey = key;
        auth.passphrase = env.HYPERION_SSH_PASSPHRASE;
        break;
      }
    }
  }
  if (env.HYPERION_SSH_PASSWORD) auth.password = env.HYPERION_SSH_PASSWORD;
  if (!auth.agentSocket && !auth.privateKey && !auth.password) {
    throw new Error('no way to log in: pass --identity FILE, run an ssh-agent, or set HYPERION_SSH_PASSWORD');
  }
  return { name: options.target, address, port, username: user ?? userInfo().username, auth };
}

function waitUntilUp(connection: HostConnection, options: RemoteSampleOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = connection.onStatus((status) => {
      if (status.state === 'up') {
        off();
        resolve();
        return;
      }
      if (status.state === 'connecting' || status.state === 'down') return;
      off();
      const key = status.hostKey?.presented;
      if (status.state === 'host_key_unknown' && key) {
        reject(
          new Error(
            `the host key of ${connection.label} is not known: ${key.fingerprint} (${key.type}). ` +
              `Compare it with the server's (ssh-keygen -lf on its host key) and run again with --accept-key ${key.fingerprint}` +
              (options.acceptKey ? ` (you passed ${options.acceptKey}, which does not match)` : ''),
          ),
        );
        return;
      }
      reject(new Error(status.message));
    });
    connection.start();
  });
}
