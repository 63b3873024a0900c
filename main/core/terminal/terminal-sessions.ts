// Interactive shells on hosts' existing connections: a session per terminal tab, with its scrollback
// kept for viewers that come (back) later, output coalesced per tick with flow control, and a new
// shell when the connection comes back after a drop. Start and end of every shell are audited.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { ApiError } from '../../../common/errors';
import type { TerminalEvent, TerminalSession, TerminalState } from '../../../common/schemas/terminal';
import type { AuditRecord } from '../audit/audit-log';
import { waitUntilUp } from '../commands/host-channels';
import { silentLogger, type Logger } from '../log';
import type { HostConnection } from '../ssh/connection';

export interface TerminalOwner {
  id: string;
  via: AuditRecord['via'];
  address?: string | null;
}

export interface TerminalHosts {
  name(hostId: string): string | undefined;
  connectionOf(hostId: string): HostConnection | undefined;
}

export interface TerminalSessionsOptions {
  hosts: TerminalHosts;
  audit?: (record: AuditRecord) => void;
  log?: Logger;
  now?: () => number;
  /** Output kept for a viewer that attaches later (default 256 KiB of text). */
  scrollbackChars?: number;
  /** A session nobody watches is closed after this long (default 15 minutes). */
  idleCloseMs?: number;
  /** An ended session is forgotten after this long, unless someone still watches (default 1 minute). */
  endedKeepMs?: number;
  /** Output gathers this long before it goes to viewers (default 16 ms). */
  flushMs?: number;
  /** Output a viewer has not acknowledged above which the shell is paused (default 1 MiB). */
  highWaterChars?: number;
  /** How long a shell waits for its host to connect (default 10 s). */
  connectWaitMs?: number;
  /** The TERM the shell sees. */
  term?: string;
}

interface Viewer {
  id: string;
  emit: (event: TerminalEvent) => void;
  pending: string;
  unacked: number;
}

interface Session {
  info: TerminalSession;
  owner: TerminalOwner;
  channel: ClientChannel | undefined;
  connection: HostConnection | undefined;
  offStatus: (() => void) | undefined;
  decoder: StringDecoder;
  scrollback: string[];
  scrollbackChars: number;
  viewers: Map<string, Viewer>;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  paused: boolean;
  shellStartedAt: number;
  /** Bumped for each shell, so late events of an old channel are ignored. */
  token: number;
}

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export class TerminalSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly scrollbackLimit: number;
  private readonly idleCloseMs: number;
  private readonly endedKeepMs: number;
  private readonly flushMs: number;
  private readonly high: number;
  private readonly connectWaitMs: number;

  constructor(private readonly options: TerminalSessionsOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.scrollbackLimit = options.scrollbackChars ?? 256 * 1024;
    this.idleCloseMs = options.idleCloseMs ?? 15 * 60_000;
    this.endedKeepMs = options.endedKeepMs ?? 60_000;
    this.flushMs = options.flushMs ?? 16;
    this.high = options.highWaterChars ?? 1024 * 1024;
    this.connectWaitMs = options.connectWaitMs ?? 10_000;
  }

  async open(
    hostId: string,
    size: { cols: number; rows: number },
    owner: TerminalOwner,
  ): Promise<TerminalSession> {
    const hostName = this.options.hosts.name(hostId);
    if (hostName === undefined)
      throw new ApiError('not_found', `There is no saved host with id "${hostId}".`);
    const now = this.now();
    const session: Session = {
      info: {
        id: randomBytes(12).toString('base64url'),
        host: hostId,
        hostName,
        state: 'opening',
        message: `Opening a shell on ${hostName}…`,
        openedAt: now,
        since: now,
        cols: size.cols,
        rows: size.rows,
        generation: 1,
        exitCode: null,
      },
      owner,
      channel: undefined,
      connection: undefined,
      offStatus: undefined,
      decoder: new StringDecoder('utf8'),
      scrollback: [],
      scrollbackChars: 0,
      viewers: new Map(),
      flushTimer: undefined,
      idleTimer: undefined,
      paused: false,
      shellStartedAt: now,
      token: 0,
    };
    this.sessions.set(session.info.id, session);
    this.armIdle(session);
    const error = await this.startShell(session);
    if (error) {
      this.sessions.delete(session.info.id);
      this.clearTimers(session);
      throw new ApiError('unavailable', error);
    }
    return { ...session.info };
  }

  list(owner: TerminalOwner, hostId?: string): TerminalSession[] {
    return [...this.sessions.values()]
      .filter((s) => s.owner.id === owner.id && (hostId === undefined || s.info.host === hostId))
      .sort((a, b) => a.info.openedAt - b.info.openedAt)
      .map((s) => ({ ...s.info }));
  }

  input(id: string, owner: TerminalOwner, data: string): void {
    const session = this.own(id, owner);
    if (session.info.state !== 'open' || !session.channel) {
      throw new ApiError('conflict', `The shell is not open: ${session.info.message}`);
    }
    session.channel.write(data);
  }

  resize(id: string, owner: TerminalOwner, size: { cols: number; rows: number }): TerminalSession {
    const session = this.own(id, owner);
    session.info.cols = size.cols;
    session.info.rows = size.rows;
    // rows, cols, then the size in pixels, which terminals leave at 0.
    if (session.info.state === 'open') session.channel?.setWindow(size.rows, size.cols, 0, 0);
    return { ...session.info };
  }

  ack(id: string, owner: TerminalOwner, viewerId: string, chars: number): void {
    const session = this.own(id, owner);
    const viewer = session.viewers.get(viewerId);
    if (!viewer) return;
    viewer.unacked = Math.max(0, viewer.unacked - chars);
    this.applyFlowControl(session);
  }

  /** A new shell in a dropped or ended session; the host is asked to reconnect when it is down. */
  async reconnect(id: string, owner: TerminalOwner): Promise<TerminalSession> {
    const session = this.own(id, owner);
    if (session.info.state === 'open' || session.info.state === 'opening') return { ...session.info };
    const connection = this.options.hosts.connectionOf(session.info.host);
    // This shell replaces the one the drop would open when the host is back.
    session.offStatus?.();
    session.offStatus = undefined;
    if (connection && connection.status.state !== 'up') connection.reconnectNow();
    session.info.generation++;
    const error = await this.startShell(session);
    if (error) this.setState(session, 'dropped', error);
    return { ...session.info };
  }

  close(id: string, owner: TerminalOwner): TerminalSession {
    const session = this.own(id, owner);
    this.endShell(session, 'closed', `Closed by ${owner.id}.`, 'closed by the user');
    this.forget(session);
    return { ...session.info };
  }

  /** Snapshot first (scrollback and state), then output and changes; resolves how to stop watching. */
  attach(id: string, owner: TerminalOwner, emit: (event: TerminalEvent) => void): () => void {
    const session = this.own(id, owner);
    this.flush(session); // output not yet sent is in the scrollback the snapshot carries
    const viewer: Viewer = { id: randomBytes(8).toString('base64url'), emit, pending: '', unacked: 0 };
    const data = session.scrollback.join('');
    viewer.unacked = data.length;
    emit({ snapshot: true, viewer: viewer.id, data, session: { ...session.info } });
    session.viewers.set(viewer.id, viewer);
    this.armIdle(session);
    return () => {
      session.viewers.delete(viewer.id);
      this.applyFlowControl(session);
      this.armIdle(session);
      if (session.info.state === 'closed' && session.viewers.size === 0) this.scheduleForget(session);
    };
  }

  async stopAll(): Promise<void> {
    for (const session of [...this.sessions.values()]) {
      this.endShell(session, 'closed', 'Hyperion stopped.', 'Hyperion stopped');
      this.forget(session);
    }
  }

  private own(id: string, owner: TerminalOwner): Session {
    const session = this.sessions.get(id);
    // Someone else's session is answered as missing: its id tells nothing.
    if (!session || session.owner.id !== owner.id) {
      throw new ApiError('not_found', 'That terminal session is over (or was never yours).');
    }
    return session;
  }

  /** Opens a shell on the session's host; answers why not, or undefined once it is open. */
  private async startShell(session: Session): Promise<string | undefined> {
    const { info } = session;
    const token = ++session.token;
    this.setState(session, 'opening', `Opening a shell on ${info.hostName}…`);
    const connection = this.options.hosts.connectionOf(info.host);
    const failed = (message: string): string => {
      this.auditStart(session, message);
      return message;
    };
    if (!connection) return failed(`${info.hostName} has no connection: edit the host to fix its login.`);
    const up = await waitUntilUp(connection, this.connectWaitMs, new AbortController().signal);
    if (token !== session.token) return undefined;
    if (!up.ok) return failed(up.error);
    const client = connection.connectedClient();
    if (!client) return failed(`${info.hostName} is not connected.`);
    let channel: ClientChannel;
    try {
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        client.shell(
          {
            term: this.options.term ?? 'xterm-256color',
            cols: info.cols,
            rows: info.rows,
            width: 0,
            height: 0,
          },
          { env: { COLORTERM: 'truecolor' } },
          (err, ch) => (err ? reject(err) : resolve(ch)),
        );
      });
    } catch (err) {
      return failed(`${info.hostName} did not open a shell: ${(err as Error).message}.`);
    }
    if (token !== session.token) {
      channel.close();
      return undefined;
    }
    session.channel = channel;
    session.connection = connection;
    session.decoder = new StringDecoder('utf8');
    session.shellStartedAt = this.now();
    session.paused = false;
    if (info.generation > 1) {
      this.output(
        session,
        `\r\n${DIM}── ${clock(this.now())} · new shell on ${info.hostName} ──${RESET}\r\n`,
      );
    }
    let exitCode: number | null = null;
    channel.on('data', (chunk: Buffer) => {
      if (token === session.token) this.output(session, session.decoder.write(chunk));
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (token === session.token) this.output(session, session.decoder.write(chunk));
    });
    channel.once('exit', (code: number | null) => {
      exitCode = typeof code === 'number' ? code : null;
    });
    channel.once('close', () => {
      if (token !== session.token) return;
      // The connection going away closes the channel too: tell a drop from an exit.
      setImmediate(() => {
        if (token !== session.token || session.info.state !== 'open') return;
        if (connection.status.state === 'up') {
          info.exitCode = exitCode;
          const how = exitCode === null ? 'The shell ended.' : `The shell exited with status ${exitCode}.`;
          this.endShell(
            session,
            'closed',
            how,
            exitCode === null ? 'the shell ended' : `the shell exited (${exitCode})`,
          );
          this.scheduleForget(session);
        } else this.drop(session, connection);
      });
    });
    session.offStatus?.();
    session.offStatus = connection.onStatus((status) => {
      if (token !== session.token) return;
      if (status.state !== 'up' && session.info.state === 'open') this.drop(session, connection);
    });
    this.setState(session, 'open', `Shell on ${info.hostName}.`);
    this.auditStart(session, undefined);
    return undefined;
  }

  private drop(session: Session, connection: HostConnection): void {
    const at = clock(this.now());
    // The line goes out before the state, so a viewer sees it by the time the banner shows.
    this.output(session, `\r\n${DIM}── ${at} · connection to ${session.info.hostName} lost ──${RESET}\r\n`);
    this.endShell(
      session,
      'dropped',
      `The connection to ${session.info.hostName} was lost at ${at}: a new shell opens when it comes back.`,
      'the connection was lost',
      'failed',
    );
    // The next 'up' opens a new shell (see startShell's status listener), which survives endShell.
    session.offStatus = connection.onStatus((status) => {
      if (status.state === 'up' && session.info.state === 'dropped') {
        session.offStatus?.();
        session.info.generation++;
        void this.startShell(session).then((error) => {
          if (error) this.setState(session, 'dropped', error);
        });
      }
    });
  }

  /** Ends the current shell (if any), audits its end, and puts the session in `state`. */
  private endShell(
    session: Session,
    state: TerminalState,
    message: string,
    reason: string,
    result: 'ok' | 'failed' = 'ok',
  ): void {
    const wasOpen = session.info.state === 'open' && session.channel !== undefined;
    session.token++;
    session.offStatus?.();
    session.offStatus = undefined;
    const channel = session.channel;
    session.channel = undefined;
    if (channel) {
      try {
        channel.close();
      } catch {
        // The connection is already gone.
      }
    }
    this.flush(session);
    this.setState(session, state, message);
    if (!wasOpen) return;
    this.audit(session, {
      action: 'terminal.end',
      result,
      error: result === 'failed' ? message : null,
      args: {
        session: session.info.id,
        generation: session.info.generation,
        reason,
        durationMs: this.now() - session.shellStartedAt,
        exitCode: session.info.exitCode,
      },
    });
  }

  private auditStart(session: Session, error: string | undefined): void {
    this.audit(session, {
      action: 'terminal.start',
      result: error ? 'failed' : 'ok',
      error: error ?? null,
      args: {
        session: session.info.id,
        generation: session.info.generation,
        cols: session.info.cols,
        rows: session.info.rows,
      },
    });
  }

  private audit(session: Session, entry: Pick<AuditRecord, 'action' | 'result' | 'error' | 'args'>): void {
    try {
      this.options.audit?.({
        actor: session.owner.id,
        via: session.owner.via,
        address: session.owner.address ?? null,
        host: session.info.host,
        target: `session ${session.info.id}`,
        ...entry,
      });
    } catch (err) {
      this.log.error('terminal event not audited', { error: String(err) });
    }
  }

  private setState(session: Session, state: TerminalState, message: string): void {
    session.info.state = state;
    session.info.message = message;
    session.info.since = this.now();
    for (const viewer of session.viewers.values()) {
      this.flushViewer(viewer);
      viewer.emit({ snapshot: false, data: '', session: { ...session.info } });
    }
  }

  private output(session: Session, text: string): void {
    if (!text) return;
    session.scrollback.push(text);
    session.scrollbackChars += text.length;
    while (session.scrollbackChars > this.scrollbackLimit && session.scrollback.length > 1) {
      session.scrollbackChars -= session.scrollback.shift()!.length;
    }
    if (session.scrollbackChars > this.scrollbackLimit) {
      const only = session.scrollback[0]!;
      session.scrollback[0] = only.slice(only.length - this.scrollbackLimit);
      session.scrollbackChars = session.scrollback[0].length;
    }
    for (const viewer of session.viewers.values()) {
      viewer.pending += text;
      viewer.unacked += text.length;
    }
    this.applyFlowControl(session);
    if (!session.flushTimer && session.viewers.size > 0) {
      session.flushTimer = setTimeout(() => {
        session.flushTimer = undefined;
        this.flush(session);
      }, this.flushMs);
    }
  }

  private flush(session: Session): void {
    if (session.flushTimer) clearTimeout(session.flushTimer);
    session.flushTimer = undefined;
    for (const viewer of session.viewers.values()) this.flushViewer(viewer);
  }

  private flushViewer(viewer: Viewer): void {
    if (!viewer.pending) return;
    const data = viewer.pending;
    viewer.pending = '';
    viewer.emit({ snapshot: false, data });
  }

  /** Pauses the shell while a viewer is far behind, resumes once every viewer caught up. */
  private applyFlowControl(session: Session): void {
    const channel = session.channel;
    if (!channel) return;
    const behind = [...session.viewers.values()].some((v) => v.unacked > this.high);
    if (behind && !session.paused) {
      session.paused = true;
      channel.pause();
    } else if (!behind && session.paused) {
      session.paused = false;
      channel.resume();
    }
  }

  private armIdle(session: Session): void {
    if (session.idleTimer) clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    if (session.viewers.size > 0) return;
    session.idleTimer = setTimeout(() => {
      if (session.viewers.size > 0 || !this.sessions.has(session.info.id)) return;
      this.endShell(session, 'closed', 'Closed after nobody watched it for a while.', 'nobody watched it');
      this.forget(session);
    }, this.idleCloseMs);
    session.idleTimer.unref?.();
  }

  private scheduleForget(session: Session): void {
    const timer = setTimeout(() => {
      // Someone still looks at the ended session: it stays until they leave.
      if (session.info.state === 'closed' && session.viewers.size === 0) this.forget(session);
    }, this.endedKeepMs);
    timer.unref?.();
  }

  private forget(session: Session): void {
    this.clearTimers(session);
    this.sessions.delete(session.info.id);
  }

  private clearTimers(session: Session): void {
    if (session.idleTimer) clearTimeout(session.idleTimer);
    if (session.flushTimer) clearTimeout(session.flushTimer);
    session.idleTimer = undefined;
    session.flushTimer = undefined;
  }
}

function clock(ts: number): string {
  return new Date(ts).toTimeString().slice(0, 8);
}
