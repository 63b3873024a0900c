// The notification outbox. Every alert event bound for a channel is written to SQLite before
// anything is sent; the events of a grouping window become one message; messages go out one at a
// time per channel, in order, retried with exponential backoff while the endpoint is down, and are
// marked sent once it answered. A per-channel hourly limit holds further events back, and they go
// out together when the limit allows: a storm becomes a few messages, and nothing is lost.
import type { ChannelKind, ChannelStatus, OutboxMessage } from '../../../common/schemas/alert-channels';
import { SEVERITY_RANK } from '../../../common/schemas/alerts';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { ChannelBook, ChannelRecord } from './channels';
import type { AlertNotice } from './notice';
import { messageTitle } from './render';
import type { Sender, SendOutcome } from './send-types';

const HOUR = 3_600_000;

export interface OutboxOutcome {
  channel: ChannelRecord;
  messageId: number;
  title: string;
  incidentIds: number[];
  events: number;
  ok: boolean;
  /** Why it failed for good, or the server's answer when it went out. */
  message: string;
}

export interface OutboxOptions {
  db: Db;
  channels: ChannelBook;
  senders: Record<ChannelKind, Sender>;
  log: Logger;
  version: string;
  now?: () => number;
  /** Retry delays: initialMs, doubling up to maxMs, ±20 % jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** A message still not delivered after this long is given up (desktop ones sooner: they go stale). */
  maxAgeMs?: number;
  desktopMaxAgeMs?: number;
  /** Deadline of one attempt. */
  timeoutMs?: number;
  /** Sent messages are kept this long for the record. */
  keepSentMs?: number;
  onOutcome?: (outcome: OutboxOutcome) => void;
  random?: () => number;
}

interface MessageRow {
  id: number;
  channel_id: string;
  created_at: number;
  title: string;
  body: string;
  event_count: number;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  expires_at: number;
  last_error: string | null;
  sent_at: number | null;
}

export class Outbox {
  private readonly now: () => number;
  private readonly groupTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pumpTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly lastOutcome = new Map<string, { at: number; error: string | null }>();
  private stopped = true;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Picks up what a previous run left: events to group, messages to send. */
  start(): void {
    this.stopped = false;
    for (const channel of this.options.channels.list()) {
      this.scheduleGroup(channel.id);
      this.pump(channel.id);
    }
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), HOUR);
    this.pruneTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.groupTimers.values()) clearTimeout(t);
    for (const t of this.pumpTimers.values()) clearTimeout(t);
    this.groupTimers.clear();
    this.pumpTimers.clear();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Whether a channel takes this event at all (enabled, severity high enough). */
  accepts(channel: ChannelRecord, notice: AlertNotice): boolean {
    return channel.enabled && SEVERITY_RANK[notice.severity] >= SEVERITY_RANK[channel.minSeverity];
  }

  /** Stores the event for the channel; it goes out with the others of its grouping window. */
  enqueue(channelId: string, notice: AlertNotice): boolean {
    const channel = this.options.channels.get(channelId);
    if (!channel || !this.accepts(channel, notice)) return false;
    this.options.db
      .prepare('INSERT INTO notify_events (channel_id, incident_id, created_at, payload) VALUES (?, ?, ?, ?)')
      .run(channelId, notice.incidentId, this.now(), JSON.stringify(notice));
    this.scheduleGroup(channelId);
    return true;
  }

  /** Sends now, outside the outbox (test notifications): the real answer, nothing stored. */
  async sendNow(channel: ChannelRecord, notices: AlertNotice[], messageId: string): Promise<SendOutcome> {
    const secrets = await this.options.channels.secretsOf(channel);
    return this.options.senders[channel.kind]({
      channel,
      secrets,
      messageId,
      notices,
      version: this.options.version,
      timeoutMs: this.options.timeoutMs ?? 15_000,
    });
  }

  status(channelId: string): ChannelStatus {
    const db = this.options.db;
    const queued = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM notify_events e LEFT JOIN notify_messages m ON m.id = e.message_id
           WHERE e.channel_id = ? AND (e.message_id IS NULL OR m.state = 'pending')`,
        )
        .get(channelId) as { n: number }
    ).n;
    const failed = (
      db
        .prepare("SELECT COUNT(*) AS n FROM notify_messages WHERE channel_id = ? AND state = 'failed'")
        .get(channelId) as {
        n: number;
      }
    ).n;
    const lastSent = (
      db
        .prepare("SELECT MAX(sent_at) AS t FROM notify_messages WHERE channel_id = ? AND state = 'sent'")
        .get(channelId) as {
        t: number | null;
      }
    ).t;
    const next = (
      db
        .prepare(
          "SELECT MIN(next_attempt_at) AS t FROM notify_messages WHERE channel_id = ? AND state = 'pending'",
        )
        .get(channelId) as { t: number | null }
    ).t;
    const problem = db
      .prepare(
        `SELECT last_error FROM notify_messages WHERE channel_id = ? AND state != 'sent' AND last_error IS NOT NULL
         ORDER BY id DESC LIMIT 1`,
      )
      .get(channelId) as { last_error: string } | undefined;
    const last = this.lastOutcome.get(channelId);
    const lastError = last?.error ?? problem?.last_error ?? null;
    return {
      queued,
      failed,
      lastSentAt: lastSent,
      lastError,
      lastErrorAt: last?.error ? last.at : null,
      nextAttemptAt: next,
    };
  }

  list(channelId: string | undefined, limit: number): OutboxMessage[] {
    const rows = (
      channelId
        ? this.options.db
            .prepare('SELECT * FROM notify_messages WHERE channel_id = ? ORDER BY id DESC LIMIT ?')
            .all(channelId, limit)
        : this.options.db.prepare('SELECT * FROM notify_messages ORDER BY id DESC LIMIT ?').all(limit)
    ) as MessageRow[];
    return rows.map((r) => ({
      id: r.id,
      channelId: r.channel_id,
      title: r.title,
      events: r.event_count,
      state: r.state as OutboxMessage['state'],
      attempts: r.attempts,
      createdAt: r.created_at,
      nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
      sentAt: r.sent_at,
      lastError: r.last_error,
    }));
  }

  /** Tries the channel's waiting and failed messages again now. */
  retry(channelId: string): number {
    const changed = this.options.db
      .prepare(
        `UPDATE notify_messages SET state = 'pending', next_attempt_at = NULL
         WHERE channel_id = ? AND (state = 'failed' OR (state = 'pending' AND next_attempt_at IS NOT NULL))`,
      )
      .run(channelId).changes;
    // They get a full retry period again from now.
    const channel = this.options.channels.get(channelId);
    if (channel) {
      this.options.db
        .prepare("UPDATE notify_messages SET expires_at = ? WHERE channel_id = ? AND state = 'pending'")
        .run(this.now() + this.maxAge(channel), channelId);
    }
    const timer = this.pumpTimers.get(channelId);
    if (timer) clearTimeout(timer);
    this.pumpTimers.delete(channelId);
    this.pump(channelId);
    return changed;
  }

  /** The clock jumped (a resume from sleep, a test's clock): every wait is worked out again. */
  wake(): void {
    for (const t of this.groupTimers.values()) clearTimeout(t);
    for (const t of this.pumpTimers.values()) clearTimeout(t);
    this.groupTimers.clear();
    this.pumpTimers.clear();
    for (const channel of this.options.channels.list()) {
      this.scheduleGroup(channel.id);
      this.pump(channel.id);
    }
  }

  /** A channel was enabled or changed: what waits for it may go now. */
  channelChanged(channelId: string): void {
    this.scheduleGroup(channelId);
    this.pump(channelId);
  }

  private scheduleGroup(channelId: string): void {
    if (this.stopped || this.groupTimers.has(channelId)) return;
    const oldest = this.options.db
      .prepare('SELECT MIN(created_at) AS t FROM notify_events WHERE channel_id = ? AND message_id IS NULL')
      .get(channelId) as { t: number | null };
    if (oldest.t === null) return;
    const channel = this.options.channels.get(channelId);
    if (!channel) return;
    let at = oldest.t + channel.groupWindowSec * 1000;
    // The hourly limit: wait until the oldest message of the last hour is an hour old.
    const recent = this.options.db
      .prepare(
        'SELECT created_at FROM notify_messages WHERE channel_id = ? AND created_at > ? ORDER BY created_at',
      )
      .all(channelId, this.now() - HOUR) as { created_at: number }[];
    if (recent.length >= channel.maxPerHour) {
      at = Math.max(at, recent[recent.length - channel.maxPerHour]!.created_at + HOUR);
    }
    const delay = Math.max(0, at - this.now());
    const timer = setTimeout(() => {
      this.groupTimers.delete(channelId);
      this.group(channelId);
    }, delay);
    timer.unref?.();
    this.groupTimers.set(channelId, timer);
  }

  /** Turns the waiting events of a channel into one message. */
  private group(channelId: string): void {
    if (this.stopped) return;
    const db = this.options.db;
    const channel = this.options.channels.get(channelId);
    if (!channel) return;
    const recent = (
      db
        .prepare('SELECT COUNT(*) AS n FROM notify_messages WHERE channel_id = ? AND created_at > ?')
        .get(channelId, this.now() - HOUR) as { n: number }
    ).n;
    if (recent >= channel.maxPerHour) {
      this.scheduleGroup(channelId);
      return;
    }
    db.transaction(() => {
      const events = db
        .prepare(
          'SELECT id, payload FROM notify_events WHERE channel_id = ? AND message_id IS NULL ORDER BY id',
        )
        .all(channelId) as { id: number; payload: string }[];
      if (events.length === 0) return;
      const notices = events.map((e) => JSON.parse(e.payload) as AlertNotice);
      const id = Number(
        db
          .prepare(
            `INSERT INTO notify_messages (channel_id, created_at, title, body, event_count, state, expires_at)
             VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
          )
          .run(
            channelId,
            this.now(),
            messageTitle(notices),
            JSON.stringify(notices),
            notices.length,
            this.now() + this.maxAge(channel),
          ).lastInsertRowid,
      );
      const assign = db.prepare('UPDATE notify_events SET message_id = ? WHERE id = ?');
      for (const e of events) assign.run(id, e.id);
    })();
    this.pump(channelId);
    // Events that arrived meanwhile start the next window.
    this.scheduleGroup(channelId);
  }

  /**
   * Sends the channel's oldest pending message, if it is due and none is on its way. `due` when
   * the retry timer set for it fired (whatever the clock says now).
   */
  private pump(channelId: string, due = false): void {
    if (this.stopped || this.inFlight.has(channelId)) return;
    const channel = this.options.channels.get(channelId);
    if (!channel?.enabled) return;
    const row = this.options.db
      .prepare("SELECT * FROM notify_messages WHERE channel_id = ? AND state = 'pending' ORDER BY id LIMIT 1")
      .get(channelId) as MessageRow | undefined;
    if (!row) return;
    const now = this.now();
    if (!due && row.next_attempt_at !== null && row.next_attempt_at > now) {
      if (!this.pumpTimers.has(channelId)) {
        const timer = setTimeout(() => {
          this.pumpTimers.delete(channelId);
          this.pump(channelId, true);
        }, row.next_attempt_at - now);
        timer.unref?.();
        this.pumpTimers.set(channelId, timer);
      }
      return;
    }
    const attempt = this.attempt(channel, row).finally(() => {
      this.inFlight.delete(channelId);
      if (!this.stopped) setImmediate(() => this.pump(channelId));
    });
    this.inFlight.set(channelId, attempt);
  }

  private async attempt(channel: ChannelRecord, row: MessageRow): Promise<void> {
    const notices = JSON.parse(row.body) as AlertNotice[];
    let outcome: SendOutcome;
    try {
      outcome = await this.sendNow(channel, notices, `msg-${row.id}`);
    } catch (err) {
      outcome = {
        ok: false,
        permanent: false,
        error: `Sending failed: ${(err as Error).message}`,
        detail: null,
      };
    }
    if (this.stopped && !this.options.db.open) return;
    const db = this.options.db;
    const now = this.now();
    const attempts = row.attempts + 1;
    const incidentIds = [...new Set(notices.map((n) => n.incidentId).filter((i): i is number => i !== null))];
    if (outcome.ok) {
      db.prepare(
        "UPDATE notify_messages SET state = 'sent', sent_at = ?, attempts = ?, last_error = NULL, next_attempt_at = NULL WHERE id = ?",
      ).run(now, attempts, row.id);
      this.lastOutcome.set(channel.id, { at: now, error: null });
      this.options.onOutcome?.({
        channel,
        messageId: row.id,
        title: row.title,
        incidentIds,
        events: row.event_count,
        ok: true,
        message: outcome.detail,
      });
      return;
    }
    this.lastOutcome.set(channel.id, { at: now, error: outcome.error });
    const giveUp = outcome.permanent || now >= row.expires_at;
    if (giveUp) {
      db.prepare(
        "UPDATE notify_messages SET state = 'failed', attempts = ?, last_error = ?, next_attempt_at = NULL WHERE id = ?",
      ).run(attempts, outcome.error, row.id);
      this.options.log.warn('notification given up', {
        channel: channel.id,
        message: row.id,
        error: outcome.error,
      });
      this.options.onOutcome?.({
        channel,
        messageId: row.id,
        title: row.title,
        incidentIds,
        events: row.event_count,
        ok: false,
        message: outcome.permanent ? outcome.error : `${outcome.error} Given up after ${attempts} attempts.`,
      });
      return;
    }
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 5_000, maxMs: 5 * 60_000 };
    const jitter = 0.8 + 0.4 * (this.options.random ?? Math.random)();
    const delay = Math.max(
      outcome.retryAfterMs ?? 0,
      Math.min(maxMs, initialMs * 2 ** (attempts - 1)) * jitter,
    );
    db.prepare(
      'UPDATE notify_messages SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?',
    ).run(attempts, outcome.error, Math.round(now + delay), row.id);
  }

  private maxAge(channel: ChannelRecord): number {
    return channel.kind === 'desktop'
      ? (this.options.desktopMaxAgeMs ?? 15 * 60_000)
      : (this.options.maxAgeMs ?? 24 * HOUR);
  }

  private prune(): void {
    if (this.stopped) return;
    const keep = this.options.keepSentMs ?? 30 * 24 * HOUR;
    this.options.db
      .prepare("DELETE FROM notify_messages WHERE state != 'pending' AND created_at < ?")
      .run(this.now() - keep);
  }
}
