// Two linked in-memory transports, for tests and for in-process callers (the CLI).
import { Listeners, type Transport } from './transport';

class MemoryEnd implements Transport {
  peer: MemoryEnd | undefined;
  private open = true;
  private readonly messages = new Listeners<[unknown]>();
  private readonly closes = new Listeners<[string]>();
  private readonly opens = new Listeners<[]>();

  get isOpen(): boolean {
    return this.open;
  }

  send(message: unknown): void {
    if (!this.open || !this.peer) return;
    // A structured clone, as Electron IPC and JSON do: no shared references across the boundary.
    const copy = structuredClone(message);
    const peer = this.peer;
    queueMicrotask(() => peer.deliver(copy));
  }

  deliver(message: unknown): void {
    if (this.open) this.messages.emit(message);
  }

  onMessage(listener: (message: unknown) => void) {
    return this.messages.add(listener);
  }

  onClose(listener: (reason: string) => void) {
    return this.closes.add(listener);
  }

  onOpen(listener: () => void) {
    return this.opens.add(listener);
  }

  close(): void {
    this.shut('closed');
    this.peer?.shut('peer closed');
  }

  shut(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.closes.emit(reason);
  }
}

export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
