// One persistent SSH connection per host: host-key check before login, reconnects, channels, RTT and bytes.
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  Client,
  type ConnectConfig,
  type ExecOptions as Ssh2ExecOptions,
  type NegotiatedAlgorithms,
  type ServerHostKeyAlgorithm,
} from 'ssh2';
import { silentLogger, type Logger } from '../log';
import { authHandlerFor, authMethodsFor, type SshAuth } from './auth-methods';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import {
  classifyFailure,
  stateForFailure,
  type ConnectionState,
  type ConnectionStatus,
  type Outage,
} from './connection-state';
import { wrapExecChannel, type ExecChannel, type ExecOptions } from './exec-channel';
import { hostPortId, type HostKeyDecision } from './host-key-policy';
import { OutageLog } from './outage-log';
import { KeepaliveMonitor, realTimers, sendKeepalive, type Timers } from './keepalive';
import { sshFailure, type SshFailure, type SshResult } from './ssh-errors';
import {
  ByteCountingStream,
  hasByteCounts,
  TransportError,
  type CountedStream,
  type OpenSocket,
} from './transport';

export type { SshAuth } from './auth-methods';
export type { ConnectionState, ConnectionStatus, Outage } from './connection-state';
export type { Timers } from './keepalive';
export type { OpenSocket } from './transport';

export interface HostConnectionOptions {
  host: string;
  port?: number;
  username: string;
  /** A name for messages, e.g. the host's alias in the fleet. */
  displayName?: string;
  auth: SshAuth;
  /**
   * Judges the key the server presents (sync; runs inside ssh2's hostVerifier, before any credential
   * leaves this machine). Only 'trusted' lets the login go ahead.
   */
  checkHostKey: (keyBlob: Buffer) => HostKeyDecision;
  /** Host key algorithms in order of preference (see preferredHostKeyAlgorithms). */
  hostKeyAlgorithms?: ServerHostKeyAlgorithm[];
  /** TCP connect, handshake and login together (default 10 s). */
  connectTimeoutMs?: number;
  /** Keepalive and RTT probe interval (default 15 s). */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the host counts as gone (default 3). */
  keepaliveCountMax?: number;
  /** Reconnect delays (default 1 s growing to 60 s, full jitter). */
  backoff?: BackoffOptions;
  /** Offer zlib compression (default true); the server decides. */
  compression?: boolean;
  random?: () => number;
  timers?: Timers;
  now?: () => number;
  logger?: Logger;
  /**
   * Opens the byte stream to the server (default: TCP). May be async and return any duplex, e.g. a
   * channel forwarded by a jump host; the host key is still checked on this connection, end to end.
   */
  openSocket?: OpenSocket;
}

export interface WireTraffic {
  /** Bytes written to the server since this object was made, across reconnects (SSH framing included). */
  bytesSent: number;
  bytesReceived: number;
}

interface Attempt {
  client: Client;
  /** The byte stream to the server; undefined while an async opener (a jump host's tunnel) works. */
  socket: CountedStream | undefined;
  startedAt: number;
  up: boolean;
  hostKey?: HostKeyDecision;
  error?: Error;
  /** Why the opener could not provide a stream. */
  openError?: unknown;
  timedOutAfterMs?: number;
  silentAfterPings?: number;
  connectTimer?: unknown;
  keepalive?: KeepaliveMonitor;
  finished: boolean;
  closed: Promise<void>;
  markClosed: () => void;
}

const COMPRESSION = ['zlib@openssh.com', 'zlib', 'none'] as const;
const STOP_GRACE_MS = 2_000;

export class HostConnection {
  readonly host: string;
  readonly port: number;
  readonly label: string;
  private readonly options: HostConnectionOptions;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly logger: Logger;
  private auth: SshAuth;
  private current: ConnectionStatus;
  private attempt: Attempt | undefined;
  private readonly liveSockets = new Set<CountedStream>();
  private closedTraffic: WireTraffic = { bytesSent: 0, bytesReceived: 0 };
  private retryTimer: unknown;
  private wanted = false;
  private attemptNo = 0;
  private rtt: number | undefined;
  private decision: HostKeyDecision | undefined;
  private negotiated: NegotiatedAlgorithms | undefined;
  private readonly outageLog: OutageLog;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(options: HostConnectionOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port ?? 22;
    const address = hostPortId(options.host, this.port);
    this.label = options.displayName ? `${options.displayName} (${address})` : address;
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    this.auth = options.auth;
    this.current = this.makeStatus('down', `Not connected to ${this.label}.`);
    this.outageLog = new OutageLog((err) =>
      this.logger.error('ssh outage listener failed', { host: this.label, error: String(err) }),
    );
  }

  /** The present state; listen with onStatus for changes ("snapshot, then changes"). */
  get status(): ConnectionStatus {
    return { ...this.current };
  }

  /** Last keepalive round trip in ms; undefined until the first reply. */
  get rttMs(): number | undefined {
    return this.rtt;
  }

  /** Bytes on the wire so far, for "bytes/s": sample it and divide the difference by the interval. */
  get traffic(): WireTraffic {
    let { bytesSent, bytesReceived } = this.closedTraffic;
    for (const socket of this.liveSockets) {
      bytesSent += socket.bytesWritten;
      bytesReceived += socket.bytesRead;
    }
    return { bytesSent, bytesReceived };
  }

  /** The key presented at the latest attempt and the verdict on it (to show its fingerprint). */
  get lastHostKey(): HostKeyDecision | undefined {
    return this.decision;
  }

  /** What the last handshake agreed on (cipher, compression, host key type), for diagnostics. */
  get algorithms(): NegotiatedAlgorithms | undefined {
    return this.negotiated;
  }

  /** Outages so far, oldest first; the last one has no end while it goes on. */
  get outages(): Outage[] {
    return this.outageLog.list();
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Called when an outage begins (no end yet) and again when it ends. */
  onOutage(listener: (outage: Outage) => void): () => void {
    return this.outageLog.subscribe(listener);
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.attemptNo = 0;
    this.connect();
  }

  /** Closes the connection and stops retrying; resolves once the socket is closed. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    const attempt = this.attempt;
    this.attempt = undefined;
    this.attemptNo = 0;
    this.outageLog.end(this.now());
    if (this.current.state !== 'down')
      this.setStatus(this.makeStatus('down', `Disconnected from ${this.label}.`));
    if (!attempt) return;
    this.quiesce(attempt);
    const socket = attempt.socket;
    if (!socket) {
      attempt.markClosed(); // still opening: begin() drops the stream when it arrives
      return;
    }
    // A polite SSH disconnect when logged in; otherwise there is nothing to say to the server.
    if (attempt.up) attempt.client.end();
    else socket.destroy();
    const grace = this.timers.setTimeout(() => socket.destroy(), STOP_GRACE_MS);
    await attempt.closed;
    this.timers.clearTimeout(grace);
  }

  /**
   * Tries again at once: after the person fixed credentials (pass them here), accepted a host key, or
   * does not want to wait for the next retry. Does nothing while connected or connecting.
   */
  reconnectNow(update: { auth?: SshAuth } = {}): void {
    if (update.auth) this.auth = update.auth;
    if (!this.wanted) return this.start();
    if (this.current.state === 'up' || this.current.state === 'connecting') return;
    this.clearRetry();
    this.attemptNo = 0;
    this.connect();
  }

  /** Runs a command in a new channel of the existing connection: never a second login. */
  exec(command: string, options: ExecOptions = {}): Promise<SshResult<ExecChannel>> {
    const client = this.connectedClient();
    const attempt = this.attempt;
    if (!client || !attempt) return Promise.resolve({ ok: false, error: this.notConnected() });
    const ssh2Options: Ssh2ExecOptions = {};
    if (options.pty) ssh2Options.pty = true;
    if (options.env) ssh2Options.env = options.env;
    return new Promise((resolve) => {
      try {
        client.exec(command, ssh2Options, (err, channel) => {
          if (err) {
            resolve({
              ok: false,
              error: sshFailure('channel_failed', `${this.label} did not open a channel for the command.`, {
                cause: err.message,
              }),
            });
          } else {
            resolve({ ok: true, value: wrapExecChannel(channel, attempt.closed) });
          }
        });
      } catch (err) {
        resolve({ ok: false, error: this.notConnected(err) });
      }
    });
  }

  /** The live ssh2 client while up, for other channel kinds (SFTP, terminals, forwarding). */
  connectedClient(): Client | undefined {
    const attempt = this.attempt;
    return attempt?.up && this.current.state === 'up' ? attempt.client : undefined;
  }

  /** Sends one keepalive now and resolves with its round trip; undefined when not connected. */
  async measureRtt(): Promise<number | undefined> {
    const keepalive = this.connectedClient() ? this.attempt?.keepalive : undefined;
    return keepalive ? keepalive.measure() : undefined;
  }

  private connect(): void {
    this.clearRetry();
    this.attemptNo += 1;
    this.decision = undefined;
    this.setStatus(
      this.makeStatus(
        'connecting',
        this.attemptNo > 1
          ? `Connecting to ${this.label} (attempt ${this.attemptNo})…`
          : `Connecting to ${this.label}…`,
      ),
    );
    const methods = authMethodsFor(this.options.username, this.auth, this.label);
    if (!methods.ok) return this.settle(methods.error, this.now());

    const client = new Client();
    let markClosed = () => {};
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const attempt: Attempt = {
      client,
      socket: undefined,
      startedAt: this.now(),
      up: false,
      finished: false,
      closed,
      markClosed: () => markClosed(),
    };
    this.attempt = attempt;

    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    attempt.connectTimer = this.timers.setTimeout(() => {
      attempt.timedOutAfterMs = timeoutMs;
      if (attempt.socket) attempt.socket.destroy();
      else this.endUnopened(attempt);
    }, timeoutMs);

    let opened: Socket | Promise<Duplex>;
    try {
      opened = (this.options.openSocket ?? defaultOpenSocket)(this.host, this.port);
    } catch (err) {
      attempt.openError = err;
      return this.endUnopened(attempt);
    }
    if (!isPromiseLike(opened)) return this.begin(attempt, opened, methods.value);
    opened.then(
      (stream) => this.begin(attempt, stream, methods.value),
      (err: unknown) => {
        if (attempt.finished) return;
        attempt.openError = err;
        this.endUnopened(attempt);
      },
    );
  }

  /** Speaks SSH over the stream the opener provided. */
  private begin(attempt: Attempt, stream: Duplex, methods: AuthMethods): void {
    if (attempt.finished) {
      stream.destroy(); // stopped or timed out while the opener worked
      return;
    }
    const socket = hasByteCounts(stream) ? stream : new ByteCountingStream(stream);
    const client = attempt.client;
    attempt.socket = socket;
    this.liveSockets.add(socket);
    socket.once('close', () => {
      this.liveSockets.delete(socket);
      this.closedTraffic = {
        bytesSent: this.closedTraffic.bytesSent + socket.bytesWritten,
        bytesReceived: this.closedTraffic.bytesReceived + socket.bytesRead,
      };
    });

    client.on('handshake', (negotiated: NegotiatedAlgorithms) => {
      if (attempt === this.attempt) this.negotiated = negotiated;
    });
    client.on('ready', () => this.onReady(attempt));
    client.on('error', (err: Error) => {
      attempt.error ??= err;
      socket.destroy();
    });
    client.on('close', () => {
      this.onClosed(attempt);
      attempt.markClosed();
    });

    const config: ConnectConfig = {
      sock: socket,
      username: this.options.username,
      hostVerifier: (key: Buffer): boolean => this.verifyHostKey(attempt, key),
      authHandler: authHandlerFor(this.options.username, methods),
      readyTimeout: 0, // our own timer covers opening the stream + handshake + login
      keepaliveInterval: 0, // our KeepaliveMonitor sends them and measures RTT
      algorithms: {
        compress: this.options.compression === false ? ['none'] : [...COMPRESSION],
        ...(this.options.hostKeyAlgorithms ? { serverHostKey: this.options.hostKeyAlgorithms } : {}),
      },
    };
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 rejected the configuration before wiring its events: settle here, nothing else will.
      attempt.error = err instanceof Error ? err : new Error(String(err));
      socket.destroy();
      this.onClosed(attempt);
      attempt.markClosed();
    }
  }

  /** Ends an attempt that never got a stream (the opener failed, or took too long). */
  private endUnopened(attempt: Attempt): void {
    this.onClosed(attempt);
    attempt.markClosed();
  }

  private verifyHostKey(attempt: Attempt, key: Buffer): boolean {
    try {
      const decision = this.options.checkHostKey(key);
      attempt.hostKey = decision;
      if (attempt === this.attempt) this.decision = decision;
      return decision.verdict === 'trusted';
    } catch (err) {
      this.logger.error('ssh host key check failed', { host: this.label, error: String(err) });
      return false;
    }
  }

  private onReady(attempt: Attempt): void {
    if (attempt !== this.attempt || attempt.finished) return;
    this.timers.clearTimeout(attempt.connectTimer);
    attempt.up = true;
    this.attemptNo = 0;
    this.outageLog.end(this.now());
    this.setStatus(this.makeStatus('up', `Connected to ${this.label}.`));
    const keepalive = new KeepaliveMonitor({
      intervalMs: this.options.keepaliveIntervalMs ?? 15_000,
      countMax: this.options.keepaliveCountMax ?? 3,
      timers: this.timers,
      now: this.now,
      send: (onReply, onLost) => sendKeepalive(attempt.client, onReply, onLost),
      onRtt: (ms) => {
        if (attempt === this.attempt) this.rtt = ms;
      },
      onSilent: (unanswered) => {
        attempt.silentAfterPings = unanswered;
        attempt.socket?.destroy();
      },
    });
    attempt.keepalive = keepalive;
    if (!keepalive.start())
      this.logger.warn('ssh keepalive unavailable: no RTT for this host', { host: this.label });
  }

  private onClosed(attempt: Attempt): void {
    if (attempt.finished) return;
    this.quiesce(attempt);
    if (attempt !== this.attempt) return; // replaced by stop() or a newer attempt
    this.attempt = undefined;
    const now = this.now();
    const failure =
      attempt.hostKey && attempt.hostKey.verdict !== 'trusted' && attempt.hostKey.failure
        ? attempt.hostKey.failure
        : (this.pathFailure(attempt) ??
          classifyFailure(attempt.error, {
            label: this.label,
            port: this.port,
            wasUp: attempt.up,
            ...(attempt.timedOutAfterMs !== undefined ? { timedOutAfterMs: attempt.timedOutAfterMs } : {}),
            ...(attempt.silentAfterPings !== undefined ? { silentAfterPings: attempt.silentAfterPings } : {}),
          }));
    this.settle(failure, attempt.up ? now : attempt.startedAt);
  }

  /** A failure of the way to the server (the opener, or a tunnel that broke), said as such. */
  private pathFailure(attempt: Attempt): SshFailure | undefined {
    const err = attempt.openError ?? attempt.error;
    if (err instanceof TransportError) {
      return attempt.up
        ? sshFailure(
            'connection_lost',
            `The connection to ${this.label} was lost because ${err.message}; reconnecting.`,
            { cause: err.message },
          )
        : sshFailure('network', `${this.label} is unreachable because ${err.message}.`, {
            cause: err.message,
          });
    }
    if (attempt.openError === undefined) return undefined;
    const cause = err instanceof Error ? err.message : String(err);
    return sshFailure('network', `A connection to ${this.label} could not be opened: ${cause}.`, { cause });
  }

  /** Puts the connection in the state a failure calls for, retrying only when the network is to blame. */
  private settle(failure: SshFailure, outageStart: number): void {
    const state = stateForFailure(failure);
    this.outageLog.begin(outageStart, state, failure.message);
    const status = this.makeStatus(state, failure.message);
    status.error = failure;
    if (this.decision && (state === 'host_key_unknown' || state === 'host_key_mismatch')) {
      status.hostKey = this.decision;
    }
    if (state === 'unreachable') {
      const delay = backoffDelay(
        Math.max(1, this.attemptNo),
        this.options.backoff ?? DEFAULT_BACKOFF,
        this.random,
      );
      status.nextRetryAt = this.now() + delay;
      this.retryTimer = this.timers.setTimeout(() => {
        this.retryTimer = undefined;
        if (this.wanted) this.connect();
      }, delay);
    }
    this.setStatus(status);
  }

  private quiesce(attempt: Attempt): void {
    attempt.finished = true;
    this.timers.clearTimeout(attempt.connectTimer);
    attempt.keepalive?.stop();
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private notConnected(cause?: unknown): SshFailure {
    return sshFailure(
      'not_connected',
      `${this.label} is not connected: ${this.current.message}`,
      cause === undefined ? undefined : { cause: String(cause) },
    );
  }

  private makeStatus(state: ConnectionState, message: string): ConnectionStatus {
    const since = state === this.current?.state ? this.current.since : this.now();
    const attempt = state === 'up' || state === 'down' ? 0 : this.attemptNo;
    return { state, message, since, attempt, nextRetryAt: undefined };
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    this.logger.info('ssh connection state', {
      host: this.label,
      state: status.state,
      attempt: status.attempt,
      ...(status.error ? { code: status.error.code, details: status.error.details } : {}),
    });
    for (const listener of this.statusListeners) {
      try {
        listener({ ...status });
      } catch (err) {
        this.logger.error('ssh status listener failed', { host: this.label, error: String(err) });
      }
    }
  }
}

type AuthMethods = Parameters<typeof authHandlerFor>[1];

function isPromiseLike(value: Socket | Promise<Duplex>): value is Promise<Duplex> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function defaultOpenSocket(host: string, port: number): Socket {
  const socket = netConnect({ host, port });
  socket.setNoDelay(true);
  return socket;
}
