// Keepalive pings that double as the round-trip-time probe, and notice a host that stopped answering.
//
// The probe is OpenSSH's own: a `keepalive@openssh.com` global request with want-reply (what
// ServerAliveInterval sends). The server answers at once with REQUEST_FAILURE, without running
// anything, logging anything or opening a channel, so the time to that reply is the network plus
// sshd's packet handling. ssh2 has no public call for it, so we use its protocol's `ping()` and its
// reply queue; both are checked at run time and the probe reports "unsupported" if they ever change.
import type { Client } from 'ssh2';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Ssh2Internals {
  _protocol?: { ping?: () => void };
  _callbacks?: ((error?: unknown) => void)[];
}

/**
 * Sends one keepalive request; `onReply` runs when the server answers (success or failure both prove it
 * is alive), `onLost` when the connection closed first. False when ssh2 does not expose what we need.
 */
export function sendKeepalive(client: Client, onReply: () => void, onLost: () => void): boolean {
  const internals = client as unknown as Ssh2Internals;
  const protocol = internals._protocol;
  const replies = internals._callbacks;
  if (!protocol || typeof protocol.ping !== 'function' || !Array.isArray(replies)) return false;
  // Replies to global requests arrive in the order sent (RFC 4254 §4), so our callback pairs with our ping.
  replies.push((error) => (error instanceof Error ? onLost() : onReply()));
  protocol.ping();
  return true;
}

export interface KeepaliveOptions {
  intervalMs: number;
  /** Unanswered pings in a row after which the host counts as gone. */
  countMax: number;
  timers: Timers;
  now: () => number;
  send: (onReply: () => void, onLost: () => void) => boolean;
  onRtt: (ms: number) => void;
  onSilent: (unanswered: number) => void;
}

/** Pings at once (a first RTT right after login), then every interval until stopped. */
export class KeepaliveMonitor {
  private readonly sentAt: number[] = [];
  private timer: unknown;
  private stopped = false;
  private readonly waiters: ((ms: number | undefined) => void)[] = [];

  constructor(private readonly options: KeepaliveOptions) {}

  /** False when pings cannot be sent on this ssh2 version (no RTT; liveness then rests on TCP). */
  start(): boolean {
    if (!this.ping()) return false;
    this.schedule();
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiters.splice(0).forEach((resolve) => resolve(undefined));
  }

  /** Sends a ping now and resolves with its round trip (undefined if the connection went first). */
  measure(): Promise<number | undefined> {
    return new Promise((resolve) => {
      if (this.stopped || !this.ping(resolve)) resolve(undefined);
    });
  }

  private schedule(): void {
    this.timer = this.options.timers.setTimeout(() => {
      if (this.stopped) return;
      if (this.sentAt.length >= this.options.countMax) {
        this.stop();
        this.options.onSilent(this.sentAt.length);
        return;
      }
      this.ping();
      this.schedule();
    }, this.options.intervalMs);
  }

  private ping(waiter?: (ms: number | undefined) => void): boolean {
    const sent = this.options.now();
    let settled = false;
    const settle = (ms: number | undefined): void => {
      if (settled) return;
      settled = true;
      const index = this.waiters.indexOf(settle);
      if (index >= 0) this.waiters.splice(index, 1);
      waiter?.(ms);
    };
    const ok = this.options.send(
      () => {
        const rtt = Math.max(0, this.options.now() - (this.sentAt.shift() ?? sent));
        if (!this.stopped) this.options.onRtt(rtt);
        settle(this.stopped ? undefined : rtt);
      },
      () => settle(undefined),
    );
    if (!ok) return false;
    this.sentAt.push(sent);
    if (waiter) this.waiters.push(settle);
    return true;
  }
}
