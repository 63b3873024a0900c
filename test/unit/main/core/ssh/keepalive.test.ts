// Keepalive pings: RTT from each reply, silence detected after N unanswered pings.
import { KeepaliveMonitor, type Timers } from '../../../../../main/core/ssh/keepalive';

class ManualTimers implements Timers {
  pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    const due = [...this.pending.entries()];
    this.pending.clear();
    due.forEach(([, t]) => t.callback());
  }
}

function setup(countMax = 3) {
  let now = 1_000;
  const timers = new ManualTimers();
  const replies: (() => void)[] = [];
  const losses: (() => void)[] = [];
  const rtts: number[] = [];
  const silent: number[] = [];
  const monitor = new KeepaliveMonitor({
    intervalMs: 15_000,
    countMax,
    timers,
    now: () => now,
    send: (onReply, onLost) => {
      replies.push(onReply);
      losses.push(onLost);
      return true;
    },
    onRtt: (ms) => rtts.push(ms),
    onSilent: (n) => silent.push(n),
  });
  return { monitor, timers, replies, losses, rtts, silent, advance: (ms: number) => (now += ms) };
}

describe('KeepaliveMonitor', () => {
  it('measures a first RTT at once, then one per interval', () => {
    const t = setup();
    expect(t.monitor.start()).toBe(true);
    expect(t.replies).toHaveLength(1);
    t.advance(12);
    t.replies.shift()?.();
    expect(t.rtts).toEqual([12]);
    expect([...t.timers.pending.values()].map((p) => p.ms)).toEqual([15_000]);
    t.timers.fireAll();
    t.advance(3);
    t.replies.shift()?.();
    expect(t.rtts).toEqual([12, 3]);
  });

  it('pairs replies with pings in order', () => {
    const t = setup();
    t.monitor.start();
    t.advance(100);
    t.timers.fireAll(); // second ping sent at +100 while the first is unanswered
    t.advance(50);
    t.replies.shift()?.(); // answers the first: 150 ms
    t.replies.shift()?.(); // answers the second: 50 ms
    expect(t.rtts).toEqual([150, 50]);
  });

  it('reports silence after countMax unanswered pings and stops', () => {
    const t = setup(2);
    t.monitor.start();
    t.timers.fireAll(); // 2 outstanding now
    expect(t.silent).toEqual([]);
    t.timers.fireAll();
    expect(t.silent).toEqual([2]);
    expect(t.timers.pending.size).toBe(0);
  });

  it('any reply resets the count', () => {
    const t = setup(2);
    t.monitor.start();
    t.replies.shift()?.();
    t.timers.fireAll();
    t.replies.shift()?.();
    t.timers.fireAll();
    t.timers.fireAll();
    expect(t.silent).toEqual([]);
  });

  it('measure() resolves with the RTT, or undefined when the connection goes first or it is stopped', async () => {
    const t = setup();
    t.monitor.start();
    const measured = t.monitor.measure();
    t.advance(7);
    t.replies.shift()?.();
    t.replies.shift()?.();
    await expect(measured).resolves.toBe(7);
    const lost = t.monitor.measure();
    t.losses.pop()?.();
    await expect(lost).resolves.toBeUndefined();
    const pending = t.monitor.measure();
    t.monitor.stop();
    await expect(pending).resolves.toBeUndefined();
    await expect(t.monitor.measure()).resolves.toBeUndefined();
  });

  it('says so when pings cannot be sent', () => {
    const monitor = new KeepaliveMonitor({
      intervalMs: 1,
      countMax: 1,
      timers: new ManualTimers(),
      now: () => 0,
      send: () => false,
      onRtt: () => {},
      onSilent: () => {},
    });
    expect(monitor.start()).toBe(false);
  });
});
