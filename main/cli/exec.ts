// `hyperion exec HOSTS -- COMMAND`: runs a command on saved hosts (names, tag:NAME or all), a few
// at a time, printing each host's output as it comes, a summary at the end, and exiting 1 if any
// host failed. One login per host (this is a separate process: there is no open connection to reuse);
// the run goes to the history and every host's outcome to the audit log, as in the app.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CommandHostResult, CommandRun, OutputStream } from '../../common/schemas/commands';
import { CommandText } from '../../common/schemas/commands';
import type { Host } from '../../common/schemas/hosts';
import { AuditLog } from '../core/audit/audit-log';
import { CommandRunner } from '../core/commands/command-runner';
import { CommandStore } from '../core/commands/command-store';
import { waitUntilUp, type HostChannels } from '../core/commands/host-channels';
import { DATABASE_FILE } from '../core/core';
import { resolveAuth } from '../core/hosts/host-auth';
import { jumpHostOpener } from '../core/hosts/jump';
import { chooseSecretStore } from '../core/secrets/select';
import type { SecretStore } from '../core/secrets/port';
import { HostConnection } from '../core/ssh/connection';
import { createHostKeyCheck } from '../core/ssh/host-key-policy';
import { parseKnownHosts, type KnownHostsEntry } from '../core/ssh/known-hosts';
import { openDatabase, type Db } from '../core/store/database';
import { acceptedKeys } from '../core/store/host-keys-repo';
import { listHosts } from '../core/store/hosts-repo';
import { UsageError } from './usage';

export interface ExecOptions {
  hosts: string;
  command: string[];
  dataDir: string;
  timeoutSec: number;
  concurrency: number;
  /** Print each host's output as one block when it ends, instead of prefixed lines as they come. */
  group: boolean;
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Aborting cancels the run (Ctrl-C). */
  signal?: AbortSignal;
}

/** `web-1,web-2`, `tag:web`, `all`, or a mix: the saved hosts meant, in the order given. */
export function selectHosts(spec: string, saved: readonly Host[]): Host[] {
  const chosen = new Map<string, Host>();
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new UsageError('name the hosts: web-1,web-2 or tag:web or all');
  for (const part of parts) {
    if (part === 'all') {
      for (const h of saved) chosen.set(h.id, h);
      continue;
    }
    if (part.startsWith('tag:')) {
      const tag = part.slice(4);
      const tagged = saved.filter((h) => h.tags.includes(tag));
      if (tagged.length === 0) throw new UsageError(`no saved host has the tag "${tag}"`);
      for (const h of tagged) chosen.set(h.id, h);
      continue;
    }
    const host = saved.find((h) => h.name.toLowerCase() === part.toLowerCase() || h.id === part);
    if (!host) {
      const names = saved.map((h) => h.name).join(', ') || 'none yet';
      throw new UsageError(`no saved host is called "${part}" (saved hosts: ${names})`);
    }
    chosen.set(host.id, host);
  }
  return [...chosen.values()];
}

export async function runExec(options: ExecOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const env = options.env ?? process.env;
  const text = CommandText.safeParse(options.command.join(' '));
  if (!text.success) throw new UsageError(`the command: ${text.error.issues[0]?.message ?? 'not valid'}`);
  const path = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new Error(`there is no Hyperion database in ${options.dataDir}`);
  const db = openDatabase({ path });
  const connections = new CliConnections(
    db,
    await chooseSecretStore({ dataDir: options.dataDir, env }).then((s) => s.store),
    env,
  );
  try {
    const hosts = selectHosts(options.hosts, listHosts(db));
    const audit = new AuditLog(db);
    const runner = new CommandRunner({
      store: new CommandStore(db),
      hosts: connections.channels(),
      audit: (record) => audit.record(record),
    });
    const printer = new OutputPrinter(hosts, out, err, options.group, runner);
    const run = runner.start(
      {
        command: text.data,
        hosts: hosts.map((h) => h.id),
        concurrency: options.concurrency,
        timeoutSec: options.timeoutSec,
      },
      { id: 'cli', via: 'cli' },
    );
    const stop = runner.subscribe(run.id, (event) => printer.event(event.run, event.output));
    const onAbort = () => runner.cancel(run.id);
    options.signal?.addEventListener('abort', onAbort);
    const done = await runner.wait(run.id);
    options.signal?.removeEventListener('abort', onAbort);
    stop();
    printer.finish(done);
    err.write(`${summaryLine(done)}\n`);
    return done.summary.succeeded === done.hosts.length ? 0 : 1;
  } finally {
    await connections.stopAll();
    db.close();
  }
}

export function summaryLine(run: CommandRun): string {
  const { succeeded, failed } = run.summary;
  const problems = run.hosts.filter((h) => h.state !== 'succeeded').map((h) => `${h.name}: ${describe(h)}`);
  const hosts = `${run.hosts.length} host${run.hosts.length === 1 ? '' : 's'}`;
  return `${hosts}: ${succeeded} succeeded, ${failed} failed${problems.length ? ` (${problems.join('; ')})` : ''}`;
}

function describe(h: CommandHostResult): string {
  if (h.state === 'failed' && h.exitCode !== null) return `exit ${h.exitCode}`;
  const first = (h.error ?? h.state).replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Writes output as `name | line`, stdout to stdout and stderr to stderr, or in blocks per host. */
class OutputPrinter {
  private readonly width: number;
  private readonly partial = new Map<string, string>();
  private readonly names: Map<string, string>;
  private readonly printed = new Set<string>();

  constructor(
    hosts: Host[],
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
    private readonly group: boolean,
    private readonly runner: CommandRunner,
  ) {
    this.names = new Map(hosts.map((h) => [h.id, h.name]));
    this.width = Math.max(...hosts.map((h) => h.name.length));
  }

  event(run: CommandRun, output: { host: string; stream: OutputStream; text: string }[]): void {
    if (!this.group) {
      for (const chunk of output) this.lines(chunk.host, chunk.stream, chunk.text);
    }
    for (const h of run.hosts) if (isFinal(h)) this.hostDone(run.id, h);
  }

  finish(run: CommandRun): void {
    for (const h of run.hosts) this.hostDone(run.id, h);
  }

  private hostDone(runId: string, h: CommandHostResult): void {
    if (this.printed.has(h.host)) return;
    this.printed.add(h.host);
    if (this.group) {
      this.out.write(`── ${h.name} · ${hostOutcome(h)} ──\n`);
      for (const c of this.runner.output(runId, h.host).chunks) {
        (c.stream === 'stdout' ? this.out : this.err).write(c.text);
      }
      if (h.truncated) this.err.write(`(output after the first ${h.outputBytes} bytes was not kept)\n`);
      return;
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial.get(`${h.host}:${stream}`);
      if (rest) this.write(h.host, stream, `${rest}\n`);
      this.partial.delete(`${h.host}:${stream}`);
    }
    if (h.state !== 'succeeded') this.write(h.host, 'stderr', `[${hostOutcome(h)}]\n`);
  }

  private lines(host: string, stream: OutputStream, text: string): void {
    const key = `${host}:${stream}`;
    const all = (this.partial.get(key) ?? '') + text;
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      this.partial.set(key, all);
      return;
    }
    this.partial.set(key, all.slice(cut + 1));
    this.write(host, stream, all.slice(0, cut + 1));
  }

  private write(host: string, stream: OutputStream, text: string): void {
    const prefix = `${(this.names.get(host) ?? host).padEnd(this.width)} | `;
    const body = text
      .split('\n')
      .slice(0, -1)
      .map((line) => `${prefix}${line}\n`)
      .join('');
    (stream === 'stdout' ? this.out : this.err).write(body);
  }
}

function isFinal(h: CommandHostResult): boolean {
  return h.state !== 'queued' && h.state !== 'running';
}

function hostOutcome(h: CommandHostResult): string {
  const time = h.durationMs === null ? '' : `, ${(h.durationMs / 1000).toFixed(1)} s`;
  if (h.state === 'succeeded') return `exit 0${time}`;
  if (h.state === 'failed' && h.exitCode !== null) return `exit ${h.exitCode}${time}`;
  return `${h.state.replace('_', ' ')}: ${h.error ?? ''}`.trim() + time;
}

/** One connection per saved host (and per jump host), made when its turn comes, closed at the end. */
class CliConnections {
  private readonly open = new Map<string, HostConnection>();
  private readonly known: KnownHostsEntry[];

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    const path = join(env.HOME ?? homedir(), '.ssh', 'known_hosts');
    this.known = existsSync(path) ? parseKnownHosts(readFileSync(path, 'utf8')).entries : [];
  }

  channels(): HostChannels {
    const byId = new Map(listHosts(this.db).map((h) => [h.id, h]));
    return {
      name: (id) => byId.get(id)?.name,
      acquire: async (id, signal) => {
        const host = byId.get(id);
        if (!host) return { ok: false, error: 'The host was removed.' };
        const connection = await this.connect(host, byId);
        if (typeof connection === 'string') return { ok: false, error: connection };
        const up = await waitUntilUp(connection, 15_000, signal);
        return up.ok ? { ok: true, connection, release: () => {} } : up;
      },
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((c) => c.stop()));
    this.open.clear();
  }

  private async connect(host: Host, byId: Map<string, Host>): Promise<HostConnection | string> {
    const existing = this.open.get(host.id);
    if (existing) return existing;
    const { auth, problem } = await resolveAuth(host, this.secrets, this.env);
    if (problem) return problem;
    let openSocket;
    if (host.proxyJump) {
      const jump = byId.get(host.proxyJump);
      if (!jump) return 'Its jump host is not saved any more.';
      const jumpConnection = await this.connect(jump, byId);
      if (typeof jumpConnection === 'string')
        return `Its jump host ${jump.name} cannot be used: ${jumpConnection}`;
      const up = await waitUntilUp(jumpConnection, 15_000, new AbortController().signal);
      if (!up.ok) return `Its jump host ${jump.name} is not reachable: ${up.error}`;
      openSocket = jumpHostOpener(() => ({
        name: jump.name,
        connection: jumpConnection,
        state: jumpConnection.status.state === 'up' ? 'up' : 'down',
      }));
    }
    const connection = new HostConnection({
      host: host.address,
      port: host.port,
      username: host.username,
      displayName: host.name,
      auth,
      checkHostKey: createHostKeyCheck({
        host: host.address,
        port: host.port,
        store: {
          get: (hostPort) =>
            acceptedKeys(this.db, hostPort).map((k) => ({ type: k.keyType, keyBase64: k.keyBase64 })),
        },
        knownHosts: this.known,
      }),
      // A failed login is reported, not retried: the command line does not wait for a host to return.
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      ...(openSocket ? { openSocket } : {}),
    });
    this.open.set(host.id, connection);
    connection.start();
    return connection;
  }
}
