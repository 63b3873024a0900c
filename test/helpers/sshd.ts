// Throwaway real sshd hosts on 127.0.0.N for integration tests: own host key, config, PidFile and log each.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD_BIN = '/usr/sbin/sshd';
export const TEST_USER = 'hyperion-test';
export const TEST_PASSWORD = 'hyperion-test-password-7Qx';
export const CLIENT_KEY_PASSPHRASE = 'hyperion passphrase';

export interface ClientKeys {
  privateKeyPath: string;
  privateKey: Buffer;
  /** The same key, encrypted with CLIENT_KEY_PASSPHRASE. */
  encryptedKeyPath: string;
  encryptedKey: Buffer;
  passphrase: string;
  /** `ssh-ed25519 AAAA… comment`. */
  publicKey: string;
}

export interface SshdHostOptions {
  /** sshd's LogLevel (default VERBOSE: logins and failures, one line each). */
  logLevel?: 'INFO' | 'VERBOSE' | 'DEBUG1';
}

export interface SshdHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly dir: string;
  readonly hostKeyPath: string;
  /** The current host public key: `{type, keyBase64}` as known_hosts would hold it. */
  hostKey(): { type: string; keyBase64: string };
  /** `ssh-keygen -lf` of the current host key: `SHA256:…`. */
  fingerprint(): Promise<string>;
  /** Everything sshd (and its per-connection children) logged, across restarts. */
  log(): string;
  /** Log lines that match, e.g. /Accepted /. */
  logLines(pattern: RegExp): string[];
  readonly running: boolean;
  /** SIGKILL the listener and every session it forked: the host vanishes mid-session. */
  kill(): Promise<void>;
  /** SIGSTOP the listener and its sessions: the host hangs, TCP stays open, nothing answers. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Start again (killing it first if it runs) on the same address and port, with the current key. */
  restart(): Promise<void>;
  /** A fresh host key; takes effect at the next restart(). */
  regenerateHostKey(): Promise<void>;
}

export interface SshdFleet {
  readonly dir: string;
  readonly hosts: SshdHost[];
  readonly user: { name: string; password: string };
  readonly clientKeys: ClientKeys;
  /** Milliseconds to start all hosts (keys, configs and listeners). */
  readonly startMs: number;
  stop(): Promise<void>;
}

export interface FleetOptions extends SshdHostOptions {
  /** First N of 127.0.0.N to try (default 2); busy addresses are skipped. */
  firstAddress?: number;
  /** One fixed high port on every address (default 2222). */
  port?: number;
  /** Prefix for host names (default "h"). */
  namePrefix?: string;
}

const LISTEN_TIMEOUT_MS = 5_000;
const MAX_ADDRESS = 254;
const reservedAddresses = new Set<string>();
const livePids = new Set<number>();

process.once('exit', () => {
  for (const pid of livePids) killTree(pid);
});

/** Starts `count` sshd hosts in parallel, each on its own 127.0.0.N, sharing one test user and client key. */
export async function startSshdFleet(count: number, options: FleetOptions = {}): Promise<SshdFleet> {
  const began = performance.now();
  checkPrerequisites();
  const dir = await mkdtemp(join(tmpdir(), 'hyperion-sshd-'));
  // sshd reads AuthorizedKeysFile as the test user: the folder must be traversable by it.
  chmodSync(dir, 0o755);
  const [clientKeys] = await Promise.all([makeClientKeys(dir), ensureTestUser()]);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, `${clientKeys.publicKey}\n`, { mode: 0o644 });
  const port = options.port ?? 2222;
  const addresses = await reserveAddresses(count, options.firstAddress ?? 2, port);
  const started = await Promise.allSettled(
    addresses.map((address, i) =>
      startHost(`${options.namePrefix ?? 'h'}${i + 1}`, address, port, dir, authorizedKeys, options),
    ),
  );
  const hosts = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    // Leave nothing running behind a failed start: the caller never gets a fleet to stop.
    await Promise.all(hosts.map((h) => h.kill()));
    addresses.forEach((a) => reservedAddresses.delete(a));
    hosts.forEach((h) => reservedAddresses.delete(h.address));
    await rm(dir, { recursive: true, force: true });
    throw failure.reason;
  }
  const startMs = performance.now() - began;
  return {
    dir,
    hosts,
    user: { name: TEST_USER, password: TEST_PASSWORD },
    clientKeys,
    startMs,
    async stop() {
      await Promise.all(hosts.map((h) => h.kill()));
      hosts.forEach((h) => reservedAddresses.delete(h.address));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function checkPrerequisites(): void {
  try {
    accessSync(SSHD_BIN, constants.X_OK);
  } catch {
    throw new Error(
      `${SSHD_BIN} is missing: install openssh-server (apt-get install openssh-server) to run the SSH tests.`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error('The SSH integration tests start sshd and create a test user: run them as root.');
  }
  // sshd refuses to start without its privilege separation folder (created by the service on a real host).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
}

async function makeClientKeys(dir: string): Promise<ClientKeys> {
  const clientDir = join(dir, 'client');
  mkdirSync(clientDir, { mode: 0o700 });
  const privateKeyPath = join(clientDir, 'id_ed25519');
  const encryptedKeyPath = join(clientDir, 'id_ed25519_passphrase');
  await run('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'hyperion-test-client',
    '-f',
    privateKeyPath,
  ]);
  copyFileSync(privateKeyPath, encryptedKeyPath);
  await run('ssh-keygen', ['-q', '-p', '-P', '', '-N', CLIENT_KEY_PASSPHRASE, '-f', encryptedKeyPath]);
  return {
    privateKeyPath,
    privateKey: readFileSync(privateKeyPath),
    encryptedKeyPath,
    encryptedKey: readFileSync(encryptedKeyPath),
    passphrase: CLIENT_KEY_PASSPHRASE,
    publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8').trim(),
  };
}

let userReady: Promise<void> | undefined;

/** The run's test user with its known password; reused when it already exists. */
export function ensureTestUser(): Promise<void> {
  userReady ??= (async () => {
    const exists = await run('id', ['-u', TEST_USER]).then(
      () => true,
      () => false,
    );
    if (!exists) {
      // Another test worker may create it at the same moment: exit code 9 means "already exists".
      await run('useradd', ['-m', '-s', '/bin/sh', TEST_USER]).catch(async (err: unknown) => {
        const stillMissing = await run('id', ['-u', TEST_USER]).then(
          () => false,
          () => true,
        );
        if (stillMissing) throw err;
      });
    }
    // chpasswd locks /etc/shadow; a parallel worker holding the lock makes it fail briefly.
    for (let tries = 0; ; tries++) {
      try {
        await run('chpasswd', [], `${TEST_USER}:${TEST_PASSWORD}\n`);
        return;
      } catch (err) {
        if (tries >= 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 + tries * 25));
      }
    }
  })();
  return userReady;
}

async function reserveAddresses(count: number, first: number, port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (let n = first; addresses.length < count; n++) {
    if (n > MAX_ADDRESS)
      throw new Error(`No ${count} free addresses in 127.0.0.${first}–${MAX_ADDRESS} on port ${port}.`);
    const address = `127.0.0.${n}`;
    if (reservedAddresses.has(address) || !(await portIsFree(address, port))) continue;
    reservedAddresses.add(address);
    addresses.push(address);
  }
  return addresses;
}

function portIsFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: address, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function startHost(
  name: string,
  firstAddress: string,
  port: number,
  fleetDir: string,
  authorizedKeys: string,
  options: SshdHostOptions,
): Promise<SshdHost> {
  const dir = join(fleetDir, name);
  mkdirSync(dir);
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  await generateHostKey(hostKeyPath, name);
  let address = firstAddress;
  let child: ChildProcess | undefined;
  let logText = '';
  const configPath = join(dir, 'sshd_config');

  const writeConfig = () =>
    writeFileSync(
      configPath,
      [
        `ListenAddress ${address}:${port}`,
        `HostKey ${hostKeyPath}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        'UsePAM no',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin no',
        `AllowUsers ${TEST_USER}`,
        'StrictModes no',
        'UseDNS no',
        'PrintMotd no',
        'MaxStartups 100:30:200',
        'Subsystem sftp internal-sftp',
        `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
        '',
      ].join('\n'),
    );

  const launch = async (): Promise<void> => {
    writeConfig();
    const proc = spawn(SSHD_BIN, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let started = '';
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`sshd ${name} did not listen on ${address}:${port} within 5 s:\n${started}`)),
        LISTEN_TIMEOUT_MS,
      );
      proc.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        logText += text;
        started += text;
        if (started.includes('Server listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      // 'close', not 'exit': only then has all of stderr (e.g. "Address already in use") been read.
      proc.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `sshd ${name} exited (${code ?? signal}) before listening on ${address}:${port}:\n${started}`,
          ),
        );
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    if (proc.pid !== undefined) livePids.add(proc.pid);
    proc.once('exit', () => {
      if (proc.pid !== undefined) livePids.delete(proc.pid);
      if (child === proc) child = undefined;
    });
    try {
      await listening;
    } catch (err) {
      if (proc.exitCode === null && proc.pid !== undefined) killTree(proc.pid);
      throw err;
    }
  };

  // Another test process may have taken the address between the probe and sshd's bind: move on.
  for (;;) {
    try {
      await launch();
      break;
    } catch (err) {
      if (!String(err).includes('Address already in use')) throw err;
      reservedAddresses.delete(address);
      const [next] = await reserveAddresses(1, Number(address.split('.')[3]) + 1, port);
      if (next === undefined) throw err;
      address = next;
    }
  }

  const host: SshdHost = {
    name,
    get address() {
      return address;
    },
    port,
    dir,
    hostKeyPath,
    hostKey() {
      const [type = '', keyBase64 = ''] = readFileSync(`${hostKeyPath}.pub`, 'utf8').trim().split(/\s+/);
      return { type, keyBase64 };
    },
    async fingerprint() {
      const out = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`]);
      const fingerprint = out.split(/\s+/)[1];
      if (!fingerprint) throw new Error(`ssh-keygen printed no fingerprint: ${out}`);
      return fingerprint;
    },
    log: () => logText,
    logLines: (pattern) => logText.split('\n').filter((line) => pattern.test(line)),
    get running() {
      return child !== undefined;
    },
    async kill() {
      const proc = child;
      if (!proc || proc.pid === undefined) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      killTree(proc.pid);
      await exited;
    },
    freeze() {
      if (child?.pid !== undefined) killTree(child.pid, 'SIGSTOP');
    },
    thaw() {
      if (child?.pid !== undefined) killTree(child.pid, 'SIGCONT');
    },
    async restart() {
      await host.kill();
      await launch();
    },
    async regenerateHostKey() {
      await rm(hostKeyPath, { force: true });
      await rm(`${hostKeyPath}.pub`, { force: true });
      await generateHostKey(hostKeyPath, name);
    },
  };
  return host;
}

function generateHostKey(path: string, name: string): Promise<string> {
  return run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `hyperion-test-${name}`, '-f', path]);
}

/** Signals a process and all its descendants (sshd's per-connection children outlive the listener). */
function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const all: number[] = [];
  const visit = (p: number) => {
    all.push(p);
    (children.get(p) ?? []).forEach(visit);
  };
  visit(pid);
  for (const p of all) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
}

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
