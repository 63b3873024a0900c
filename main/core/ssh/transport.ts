// What a HostConnection speaks SSH over: a TCP socket by default, or any duplex stream (a jump host's
// forwarded channel) with its bytes counted, and the error that says why such a path broke.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * Opens the byte stream to a server's SSH port: a TCP socket at once, or any duplex later (a channel
 * forwarded by a jump host). Throwing or rejecting is a failed attempt; the error's message says why.
 */
export type OpenSocket = (host: string, port: number) => Socket | Promise<Duplex>;

/** A duplex that knows how many bytes went each way, as a net.Socket does. */
export interface CountedStream extends Duplex {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

/**
 * The way to the server failed for a reason outside the server itself. The message is a clause for a
 * person that completes "… is unreachable because …", e.g. "its jump host bastion is down".
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

export function hasByteCounts(stream: Duplex): stream is CountedStream {
  const s = stream as Partial<CountedStream>;
  return typeof s.bytesRead === 'number' && typeof s.bytesWritten === 'number';
}

/**
 * Passes everything through to another duplex and counts the bytes. Destroying it ends at once (the
 * inner stream is asked to close but not waited for), so a stuck tunnel never holds up a reconnect.
 */
export class ByteCountingStream extends Duplex implements CountedStream {
  bytesRead = 0;
  bytesWritten = 0;

  constructor(private readonly inner: Duplex) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      if (!this.push(chunk)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.once('error', (err: Error) => this.destroy(err));
    // A channel closed under us (its connection went away) is the end of this stream too.
    inner.once('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytesWritten += chunk.length;
    this.inner.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    try {
      this.inner.destroy();
    } catch {
      // The inner stream's connection is already gone: there is nobody left to tell.
    }
    callback(error);
  }
}
