// Remembers when a host was wanted but not connected, so the store can keep the gap instead of inventing data.
import type { ConnectionState, Outage } from './connection-state';

const MAX_OUTAGES_KEPT = 100;

export class OutageLog {
  private readonly log: Outage[] = [];
  private open: Outage | undefined;
  private readonly listeners = new Set<(outage: Outage) => void>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  /** Oldest first, the last 100; the last one has no end while it goes on. */
  list(): Outage[] {
    return this.log.map((o) => ({ ...o }));
  }

  /** Called when an outage begins (no end yet) and again when it ends. */
  subscribe(listener: (outage: Outage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens an outage unless one is already open (a retry failing again is the same outage). */
  begin(start: number, state: ConnectionState, message: string): void {
    if (this.open) return;
    const outage: Outage = { start, end: undefined, state, message };
    this.open = outage;
    this.log.push(outage);
    if (this.log.length > MAX_OUTAGES_KEPT) this.log.shift();
    this.emit(outage);
  }

  end(at: number): void {
    const outage = this.open;
    if (!outage) return;
    outage.end = at;
    this.open = undefined;
    this.emit(outage);
  }

  private emit(outage: Outage): void {
    for (const listener of this.listeners) {
      try {
        listener({ ...outage });
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}
