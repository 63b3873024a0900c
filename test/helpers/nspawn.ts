// Real systemd hosts for tests: a Debian image made once by debootstrap (cached as a zstd tarball
// outside the repository), booted with systemd-nspawn on a shared read-only base with a volatile
// overlay, each container in its own cgroup and with its sshd on its own 127.0.0.N. The host network
// is shared, so nothing leaves loopback. Users inside: root, "operator" (passwordless sudo) and
// "plain" (no sudo), all logging in with one test key; a test unit hyperion-echo.service.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { utils } from 'ssh2';

const run = promisify(execFile);

/** Bump when the image recipe changes: a new name means a new build, never a stale cache. */
const IMAGE_VERSION = 'bookworm-systemd-v3';
export const CACHE_DIR = process.env.HYPERION_TEST_CACHE ?? '/var/cache/hyperion-test';
const TARBALL = join(CACHE_DIR, `${IMAGE_VERSION}.tar.zst`);
const BASE = join(CACHE_DIR, IMAGE_VERSION);
const READY = join(BASE, '.hyperion-image-ready');
const CGROUP_ROOT = '/sys/fs/cgroup/systemd';
const MIRROR = 'http://deb.debian.org/debian';
const PACKAGES = 'systemd,systemd-sysv,dbus,openssh-server,sudo,procps';
/** A test unit (tests install it with installEchoUnit) that writes its greeting to the journal every second and says when it reloads. */
export const ECHO_UNIT = 'hyperion-echo.service';
export const ECHO_UNIT_FILE = `[Unit]
Description=Hyperion test echo service

[Service]
Environment=GREETING=hello
ExecStart=/bin/sh -c 'trap "echo reloaded $$GREETING" HUP; while :; do echo "greeting $$GREETING"; sleep 1 & wait $$!; done'
ExecReload=/bin/kill -HUP $MAINPID

[Install]
WantedBy=multi-user.target
`;

/** Writes the test unit into a running container and makes systemd read it. */
export async function installEchoUnit(host: SystemdHost): Promise<void> {
  const encoded = Buffer.from(ECHO_UNIT_FILE).toString('base64');
  const r = await host.exec(
    `echo ${encoded} | base64 -d > /etc/systemd/system/${ECHO_UNIT} && systemctl daemon-reload`,
  );
  if (r.code !== 0) throw new Error(`installing ${ECHO_UNIT} failed: ${r.stderr}`);
}

export const CONTAINER_USERS = { root: 'root', sudoer: 'opsadmin', plain: 'plain' } as const;

export interface SystemdHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** The nspawn process: its PID 1 (systemd) is a child of it. */
  readonly process: ChildProcess;
  /** Runs a command inside the container as root (through its sshd with the test key). */
  exec(command: string): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
}

export interface SystemdFleet {
  readonly hosts: SystemdHost[];
  readonly keyPath: string;
  /** Milliseconds to boot every container to a listening sshd. */
  readonly bootMs: number;
  /** Milliseconds spent making the image (0 when it was cached). */
  readonly imageMs: number;
  stop(): Promise<void>;
}

/** Whether this machine can run the containers: root, systemd-nspawn, debootstrap, zstd. */
export function systemdHostsProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'the systemd host tests need root';
  for (const bin of ['/usr/bin/systemd-nspawn', '/usr/sbin/debootstrap', '/usr/bin/zstd']) {
    if (!existsSync(bin)) return `${bin} is missing (apt-get install systemd-container debootstrap zstd)`;
  }
  return undefined;
}

/** Makes the base image once: from the cached tarball, or with debootstrap (about a minute). */
export async function ensureImage(): Promise<number> {
  if (existsSync(READY)) return 0;
  const began = performance.now();
  mkdirSync(CACHE_DIR, { recursive: true });
  // One maker at a time across test workers and processes: mkdir is atomic.
  const lock = join(CACHE_DIR, '.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 20 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(READY)) return 0;
    if (!existsSync(TARBALL)) await buildTarball();
    rmSync(BASE, { recursive: true, force: true });
    mkdirSync(BASE, { recursive: true });
    await run('tar', ['-C', BASE, '--zstd', '-xpf', TARBALL], { maxBuffer: 64 * 1024 * 1024 });
    writeFileSync(READY, `${new Date().toISOString()}\n`);
    return performance.now() - began;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function buildTarball(): Promise<void> {
  const root = join(CACHE_DIR, `${IMAGE_VERSION}.build`);
  // A finished debootstrap is kept if a later step fails, so a fix does not download it again.
  if (!existsSync(join(root, '.debootstrapped'))) {
    rmSync(root, { recursive: true, force: true });
    await run('debootstrap', ['--variant=minbase', `--include=${PACKAGES}`, 'bookworm', root, MIRROR], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    });
    writeFileSync(join(root, '.debootstrapped'), '');
  }
  const inRoot = (path: string) => join(root, path);
  for (const user of [CONTAINER_USERS.sudoer, CONTAINER_USERS.plain]) {
    const exists = await run('chroot', [root, 'id', '-u', user]).then(
      () => true,
      () => false,
    );
    if (!exists) await run('chroot', [root, 'useradd', '-m', '-U', '-s', '/bin/bash', user]);
  }
  writeFileSync(inRoot('etc/sudoers.d/opsadmin'), 'opsadmin ALL=(ALL) NOPASSWD: ALL\n', { mode: 0o440 });
  writeFileSync(
    inRoot('etc/ssh/sshd_config.d/00-hyperion.conf'),
    [
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AuthorizedKeysFile /etc/hyperion/authorized_keys',
      'UseDNS no',
      '',
    ].join('\n'),
  );
  mkdirSync(inRoot('etc/hyperion'), { recursive: true });
  // Timers that would reach for the network (apt) or do needless work are masked.
  for (const timer of [
    'apt-daily.timer',
    'apt-daily-upgrade.timer',
    'dpkg-db-backup.timer',
    'e2scrub_all.timer',
    'fstrim.timer',
  ]) {
    rmSync(inRoot(`etc/systemd/system/timers.target.wants/${timer}`), { force: true });
    await run('ln', ['-sf', '/dev/null', inRoot(`etc/systemd/system/${timer}`)]);
  }
  // Each container makes its own machine id at boot, and takes its name from nspawn.
  writeFileSync(inRoot('etc/machine-id'), '');
  rmSync(inRoot('etc/hostname'), { force: true });
  await run('sh', ['-c', 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*', 'clean', root]);
  const partial = `${TARBALL}.partial`;
  rmSync(join(root, '.debootstrapped'));
  await run('tar', ['-C', root, '--zstd', '-cpf', partial, '.'], { maxBuffer: 64 * 1024 * 1024 });
  renameSync(partial, TARBALL);
  rmSync(root, { recursive: true, force: true });
}

function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect({ host: address, port });
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd on ${address}:${port} did not come up`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Boots `count` containers on 127.0.0.(first…), sshd on `port`, sharing one client key. */
export async function startSystemdFleet(
  count: number,
  options: { firstAddress?: number; port?: number; prefix?: string } = {},
): Promise<SystemdFleet> {
  const imageMs = await ensureImage();
  const dir = await mkdtemp(join(tmpdir(), 'hyperion-nspawn-'));
  const keys = utils.generateKeyPairSync('ed25519');
  const keyPath = join(dir, 'id_ed25519');
  writeFileSync(keyPath, keys.private, { mode: 0o600 });
  writeFileSync(join(dir, 'authorized_keys'), `${keys.public}\n`, { mode: 0o644 });
  const began = performance.now();
  const port = options.port ?? 2522;
  const prefix = options.prefix ?? 'sd';
  const hosts = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      bootContainer(
        `${prefix}${process.pid % 1000}x${i + 1}`,
        `127.0.0.${(options.firstAddress ?? 230) + i}`,
        port,
        dir,
        keyPath,
      ),
    ),
  );
  return {
    hosts,
    keyPath,
    bootMs: performance.now() - began,
    imageMs,
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function bootContainer(
  name: string,
  address: string,
  port: number,
  dir: string,
  keyPath: string,
): Promise<SystemdHost> {
  const listen = join(dir, `${name}-listen.conf`);
  writeFileSync(listen, `ListenAddress ${address}\nPort ${port}\n`);
  const cgroup = join(CGROUP_ROOT, `hyperion-${name}`);
  mkdirSync(cgroup, { recursive: true });
  const args = [
    '-D',
    BASE,
    '--volatile=overlay',
    '-b',
    `--machine=${name}`,
    `--hostname=${name}`,
    '--register=no',
    '--keep-unit',
    '--console=passive',
    `--bind-ro=${listen}:/etc/ssh/sshd_config.d/10-listen.conf`,
    `--bind-ro=${join(dir, 'authorized_keys')}:/etc/hyperion/authorized_keys`,
  ];
  // Its own cgroup: the nspawn process moves itself there before it starts the container.
  const child = spawn(
    'sh',
    ['-c', 'echo $$ > "$1/cgroup.procs" && shift && exec systemd-nspawn "$@"', 'nspawn', cgroup, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(address, port, 30_000),
      exited.then(() => {
        throw new Error(`container ${name} exited while booting:\n${output.slice(-2000)}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    running.delete(child);
    throw err;
  }
  const exec = async (command: string) => {
    try {
      const { stdout, stderr } = await run('ssh', [
        '-i',
        keyPath,
        '-p',
        String(port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        '-o',
        'BatchMode=yes',
        `root@${address}`,
        command,
      ]);
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number };
      return {
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
        code: typeof e.code === 'number' ? e.code : 1,
      };
    }
  };
  return {
    name,
    address,
    port,
    process: child,
    exec,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM asks nspawn to power the container off; SIGKILL if it takes too long.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      try {
        rmdirSync(cgroup);
      } catch {
        // still populated for a moment after the container ended: harmless, reused next time
      }
    },
  };
}
