// Saved hosts and their monitors: add, edit and remove hosts, keep one connection and one sampler
// per host, accept host keys deliberately, and report every host's state.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { MonitoringSettings } from '../../../common/api';
import { ApiError } from '../../../common/errors';
import type { Host, HostStatus, ParsedHostInput } from '../../../common/schemas/hosts';
import type { Sample } from '../../../common/schemas/sample';
import type { SampleHub } from '../live/sample-hub';
import type { WorkerHostLogin } from '../files/transfer-workers';
import type { Logger } from '../log';
import { RemoteMonitor } from '../remote/remote-monitor';
import type { SecretStore } from '../secrets/port';
import { HostConnection, type HostConnectionOptions } from '../ssh/connection';
import { createHostKeyCheck, hostPortId, type HostKeyPolicyInput } from '../ssh/host-key-policy';
import { parseKnownHosts, type KnownHostsEntry } from '../ssh/known-hosts';
import type { Db } from '../store/database';
import { acceptKey, acceptedKeys } from '../store/host-keys-repo';
import {
  deleteHost,
  findHostByName,
  getHost,
  hostsJumpingThrough,
  insertHost,
  listHosts,
  setHasSecret,
  updateHost,
  type HostRecord,
} from '../store/hosts-repo';
import { checkKeyFile, fieldError, resolveAuth, secretRefFor } from './host-auth';
import { credentialProblemStatus, hostStatus } from './host-status';
import { checkJumpHost, jumpHostOpener, reconnectHostsBehind, type JumpHostView } from './jump';

export interface HostsServiceOptions {
  db: Db;
  /** Told when a host's outage begins and ends, so history records it as a gap. */
  onOutage?: (hostId: string, outage: { start: number; end: number | undefined; message: string }) => void;
  secrets: SecretStore;
  hub: SampleHub;
  log: Logger;
  settings: () => MonitoringSettings;
  knownHostsPath?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Connection tuning for tests (short backoff). */
  connectionDefaults?: Partial<ConstructorParameters<typeof HostConnection>[0]>;
}

interface Watched {
  host: Host;
  connection: HostConnection | undefined;
  /** How the connection was made, for side connections with the same login and host-key check. */
  connectionOptions: HostConnectionOptions | undefined;
  monitor: RemoteMonitor | undefined;
  credentialProblem: { message: string; since: number } | undefined;
  offStatus: (() => void) | undefined;
}

export type StatusListener = (statuses: HostStatus[], removed: string[]) => void;

export class HostsService {
  private readonly watched = new Map<string, Watched>();
  private readonly listeners = new Set<StatusListener>();
  private readonly now: () => number;
  private pendingChanged = new Set<string>();
  private pendingRemoved = new Set<string>();
  private flushScheduled = false;
  private costTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: HostsServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  list(): Host[] {
    return listHosts(this.options.db);
  }

  get(id: string): Host {
    const host = getHost(this.options.db, id);
    if (!host) throw new ApiError('not_found', `There is no saved host with id "${id}".`);
    return host;
  }

  /** Starts watching every saved host. */
  async start(): Promise<void> {
    for (const host of this.list()) await this.watch(host);
    // Costs and RTT change every tick; they are sent every few seconds, not on every sample.
    this.costTimer = setInterval(() => {
      for (const [id, w] of this.watched) if (w.connection?.status.state === 'up') this.changed(id);
    }, 5_000);
    this.costTimer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.costTimer) clearInterval(this.costTimer);
    await Promise.all([...this.watched.keys()].map((id) => this.unwatch(id)));
  }

  async add(input: ParsedHostInput): Promise<Host> {
    const db = this.options.db;
    await this.validate(input, undefined);
    const record = toRecord(input);
    const id = insertHost(db, record, this.now());
    try {
      await this.storeSecret(id, input);
    } catch (err) {
      deleteHost(db, id);
      throw err;
    }
    const host = this.get(id);
    await this.watch(host);
    return host;
  }

  async update(id: string, input: ParsedHostInput): Promise<Host> {
    const before = this.get(id);
    await this.validate(input, before);
    updateHost(this.options.db, id, toRecord(input), this.now());
    await this.storeSecret(id, input, before);
    const host = this.get(id);
    await this.unwatch(id, false);
    await this.watch(host);
    return host;
  }

  async remove(id: string): Promise<void> {
    const host = this.get(id);
    const dependants = hostsJumpingThrough(this.options.db, id);
    if (dependants.length) {
      throw new ApiError(
        'conflict',
        `${host.name} is the jump host of ${dependants.join(', ')}: change those first.`,
      );
    }
    await this.unwatch(id);
    for (const method of ['password', 'key'] as const) {
      const ref = secretRefFor(host, method);
      if (ref) await this.options.secrets.delete(ref).catch(() => false);
    }
    deleteHost(this.options.db, id);
  }

  /** Trusts the key the host presents now, but only if it is the one the person was shown. */
  acceptKey(id: string, fingerprint: string): HostStatus {
    const w = this.watched.get(id);
    const decision = w?.connection?.status.hostKey ?? w?.connection?.lastHostKey;
    if (!w?.connection || !decision) {
      throw new ApiError(
        'conflict',
        'This host has not presented a key yet: wait for the connection attempt, then try again.',
      );
    }
    if (decision.presented.fingerprint !== fingerprint) {
      throw new ApiError(
        'conflict',
        `The host now presents ${decision.presented.fingerprint}, not the key you were shown (${fingerprint}). Review it again.`,
      );
    }
    acceptKey(this.options.db, {
      hostPort: hostPortId(w.host.address, w.host.port),
      keyType: decision.presented.type,
      keyBase64: decision.presented.keyBase64,
      fingerprint: decision.presented.fingerprint,
      acceptedAt: this.now(),
    });
    this.options.log.info('host key accepted', { host: id, fingerprint });
    w.connection.reconnectNow();
    return this.status(id);
  }

  reconnect(id: string): HostStatus {
    const w = this.watched.get(id);
    if (!w) throw new ApiError('not_found', `There is no saved host with id "${id}".`);
    w.connection?.reconnectNow();
    return this.status(id);
  }

  status(id: string): HostStatus {
    const w = this.watched.get(id);
    if (!w) throw new ApiError('not_found', `There is no saved host with id "${id}".`);
    if (w.credentialProblem)
      return credentialProblemStatus(id, w.credentialProblem.message, w.credentialProblem.since);
    return hostStatus(id, w.connection!.status, w.monitor?.monitoringCost);
  }

  statuses(): HostStatus[] {
    return [...this.watched.keys()].map((id) => this.status(id));
  }

  onStatuses(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The live connection of a saved host and who logs in, for further channels (commands, process
   * tables, journals); undefined while it has a credential problem. Throws for an unknown id.
   */
  connectionOf(id: string): { host: Host; connection: HostConnection | undefined } {
    const w = this.watched.get(id);
    if (!w) throw new ApiError('not_found', `There is no saved host with id "${id}".`);
    return { host: w.host, connection: w.connection };
  }

  /** The outages of a host so far (gaps in its samples), newest last. */
  outages(id: string) {
    return this.watched.get(id)?.connection?.outages ?? [];
  }

  /**
   * A second connection to a watched host with the same login, jump host and host-key check, not
   * started: for bulk file transfers, which zlib on the shared connection slows fourfold. The
   * caller starts and stops it.
   */
  sideConnection(id: string, overrides: { compression?: boolean } = {}): HostConnection | undefined {
    const options = this.watched.get(id)?.connectionOptions;
    return options ? new HostConnection({ ...options, ...overrides, backoff: undefined }) : undefined;
  }

  /**
   * The login of a watched host for the transfer worker's own connection, with the host's key check;
   * undefined behind a jump host (the tunnel lives in this thread) or without a working login.
   */
  workerLogin(id: string): WorkerHostLogin | undefined {
    const o = this.watched.get(id)?.connectionOptions;
    if (!o || o.openSocket) return undefined;
    return {
      login: {
        host: o.host,
        port: o.port ?? 22,
        username: o.username,
        label: o.displayName ?? o.host,
        auth: o.auth,
        ...(o.hostKeyAlgorithms ? { hostKeyAlgorithms: [...o.hostKeyAlgorithms] } : {}),
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        keepaliveIntervalMs: o.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: o.keepaliveCountMax ?? 3,
      },
      checkHostKey: o.checkHostKey,
    };
  }

  private async validate(input: ParsedHostInput, before: Host | undefined): Promise<void> {
    const clash = findHostByName(this.options.db, input.name);
    if (clash && clash.id !== before?.id)
      throw fieldError('name', `There is already a host called ${input.name}.`);
    checkJumpHost(this.options.db, { id: before?.id, name: input.name }, input.proxyJump);
    if (input.auth.method === 'key') {
      // Keeping the stored passphrase on edit: check the key with it.
      const passphrase =
        input.auth.secret === undefined && before?.auth.hasSecret
          ? await this.options.secrets.get(secretRefFor(before, 'key')!)
          : input.auth.secret || undefined;
      await checkKeyFile(input.auth.keyPath ?? '', passphrase);
    }
    if (
      input.auth.method === 'password' &&
      input.auth.secret === undefined &&
      !(before?.auth.method === 'password' && before.auth.hasSecret)
    ) {
      throw fieldError('auth.secret', 'Enter the password.');
    }
  }

  /** Secrets go to the secret store; the database only records that one exists. */
  private async storeSecret(id: string, input: ParsedHostInput, before?: Host): Promise<void> {
    const { secrets, db } = this.options;
    const host = { id };
    const wanted = secretRefFor(host, input.auth.method);
    for (const method of ['password', 'key'] as const) {
      const ref = secretRefFor(host, method);
      if (ref && ref !== wanted) await secrets.delete(ref);
    }
    if (!wanted) {
      setHasSecret(db, id, false);
      return;
    }
    const secret = input.auth.secret;
    if (secret === undefined) {
      setHasSecret(db, id, before?.auth.method === input.auth.method && before.auth.hasSecret);
      return;
    }
    if (secret === '') {
      await secrets.delete(wanted);
      setHasSecret(db, id, false);
      return;
    }
    await secrets.set(wanted, secret);
    setHasSecret(db, id, true);
  }

  private knownHosts(): KnownHostsEntry[] {
    const path = this.options.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts');
    try {
      return parseKnownHosts(readFileSync(path, 'utf8')).entries;
    } catch {
      return [];
    }
  }

  private async watch(host: Host): Promise<void> {
    const { auth, problem } = await resolveAuth(host, this.options.secrets, this.options.env);
    const w: Watched = {
      host,
      connection: undefined,
      connectionOptions: undefined,
      monitor: undefined,
      credentialProblem: undefined,
      offStatus: undefined,
    };
    this.watched.set(host.id, w);
    if (problem) {
      w.credentialProblem = { message: problem, since: this.now() };
      this.changed(host.id);
      return;
    }
    const db = this.options.db;
    const policy: HostKeyPolicyInput = {
      host: host.address,
      port: host.port,
      store: {
        get: (hostPort) =>
          acceptedKeys(db, hostPort).map((k) => ({ type: k.keyType, keyBase64: k.keyBase64 })),
      },
      knownHosts: this.knownHosts(),
    };
    const jumpHostId = host.proxyJump;
    const connectionOptions: HostConnectionOptions = {
      ...this.options.connectionDefaults,
      host: host.address,
      port: host.port,
      username: host.username,
      displayName: host.name,
      auth,
      checkHostKey: createHostKeyCheck(policy),
      logger: this.options.log,
      ...(jumpHostId ? { openSocket: jumpHostOpener(() => this.jumpHostView(jumpHostId)) } : {}),
    };
    const connection = new HostConnection(connectionOptions);
    w.connection = connection;
    w.connectionOptions = connectionOptions;
    const offStatus = connection.onStatus((s) => {
      this.changed(host.id);
      if (s.state === 'up') reconnectHostsBehind(host.id, this.watched.values());
    });
    const offOutage = connection.onOutage((outage) => this.options.onOutage?.(host.id, outage));
    w.offStatus = () => {
      offStatus();
      offOutage();
    };
    w.monitor = new RemoteMonitor({
      hostId: host.id,
      displayName: () => w.host.name,
      connection,
      intervalMs: () => {
        const s = this.options.settings();
        return this.options.hub.isWatched(host.id) ? s.fastIntervalMs : s.backgroundIntervalMs;
      },
      publish: (sample: Sample) => this.options.hub.publish(sample),
      log: this.options.log,
    });
    w.monitor.start();
    this.changed(host.id);
  }

  /** A jump host as its dependants see it when they connect (it may have been re-watched since). */
  private jumpHostView(id: string): JumpHostView {
    const w = this.watched.get(id);
    return {
      name: w?.host.name ?? getHost(this.options.db, id)?.name ?? id,
      connection: w?.connection,
      state: w ? this.status(id).state : 'down',
    };
  }

  private async unwatch(id: string, announce = true): Promise<void> {
    const w = this.watched.get(id);
    if (!w) return;
    this.watched.delete(id);
    w.offStatus?.();
    await w.monitor?.stop();
    if (announce) {
      this.pendingRemoved.add(id);
      this.scheduleFlush();
    }
  }

  private changed(id: string): void {
    this.pendingChanged.add(id);
    this.scheduleFlush();
  }

  /** Status changes within one tick go out as one batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const changed = [...this.pendingChanged]
        .filter((id) => this.watched.has(id))
        .map((id) => this.status(id));
      const removed = [...this.pendingRemoved].filter((id) => !this.watched.has(id));
      this.pendingChanged.clear();
      this.pendingRemoved.clear();
      if (changed.length === 0 && removed.length === 0) return;
      for (const listener of this.listeners) listener(changed, removed);
    });
  }
}

function toRecord(input: ParsedHostInput): HostRecord {
  return {
    name: input.name,
    address: input.address.replace(/^\[|\]$/g, ''),
    port: input.port,
    username: input.username,
    authMethod: input.auth.method,
    keyPath: input.auth.method === 'key' ? (input.auth.keyPath ?? null) : null,
    proxyJump: input.proxyJump,
    tags: [...new Set(input.tags)],
  };
}
