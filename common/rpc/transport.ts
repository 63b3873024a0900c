// What the RPC layer needs from a carrier (Electron IPC, WebSocket, memory): send and receive.

export type Unsubscribe = () => void;

export interface Transport {
  /** Sends one message; a closed transport drops it (the RPC layer reports the loss). */
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): Unsubscribe;
  /** Called when the carrier is lost; a reconnecting transport calls onOpen again later. */
  onClose(listener: (reason: string) => void): Unsubscribe;
  onOpen(listener: () => void): Unsubscribe;
  readonly isOpen: boolean;
  close(): void;
}

/** A small listener set, used by every transport. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): Unsubscribe {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: A): void {
    for (const listener of [...this.set]) listener(...args);
  }

  clear(): void {
    this.set.clear();
  }
}
