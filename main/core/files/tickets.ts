// Tickets for the bytes of a transfer that travel beside the contract (an HTTP request under `serve`,
// chunks over IPC): issued by a contract call that was authorized and audited, unguessable, bound to
// one transfer, and short-lived if unused.
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { ApiError } from '../../../common/errors';
import type { Transfer } from '../../../common/schemas/files';

/** An upload waits this long for each file's bytes to start arriving. */
const FEED_TIMEOUT_MS = 120_000;
/** An unused ticket expires after this long. */
const TICKET_TTL_MS = 5 * 60_000;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a rejection nobody waits for is not an error of the process
  return { promise, resolve, reject };
}

/** The files of one upload, each fed by whoever carries its bytes, in any order. */
export class UploadFeed {
  private readonly sources: Deferred<Readable>[];
  private readonly stored: Deferred<void>[];
  private readonly chunked = new Map<number, { stream: PassThrough; received: number }>();

  constructor(readonly count: number) {
    this.sources = Array.from({ length: count }, () => deferred<Readable>());
    this.stored = Array.from({ length: count }, () => deferred<void>());
  }

  /** For the transfer: the bytes of file `index`, once someone provides them. */
  source = (index: number, signal: AbortSignal): Promise<Readable> => {
    const source = this.sources[index]!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ApiError('timeout', 'The sender stopped sending the files.')),
        FEED_TIMEOUT_MS,
      );
      const onAbort = () => reject(new ApiError('conflict', 'Cancelled.'));
      signal.addEventListener('abort', onAbort, { once: true });
      source.promise.then(
        (readable) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(readable);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  };

  /** Gives file `index` its bytes; resolves once it is stored under its final name. */
  provide(index: number, readable: Readable): Promise<void> {
    this.check(index);
    this.sources[index]!.resolve(readable);
    return this.stored[index]!.promise;
  }

  /** One chunk of file `index` (the IPC path); the last one resolves once the file is stored. */
  async chunk(index: number, offset: number, data: Buffer, last: boolean): Promise<boolean> {
    this.check(index);
    let entry = this.chunked.get(index);
    if (!entry) {
      if (offset !== 0) throw new ApiError('invalid_input', 'A file’s first chunk starts at offset 0.');
      entry = { stream: new PassThrough({ highWaterMark: 4 * 1024 * 1024 }), received: 0 };
      this.chunked.set(index, entry);
      this.sources[index]!.resolve(entry.stream);
    }
    if (offset !== entry.received) {
      throw new ApiError('invalid_input', `Expected the chunk at offset ${entry.received}, not ${offset}.`);
    }
    entry.received += data.length;
    if (!entry.stream.write(data)) await once(entry.stream, 'drain', this.stored[index]!.promise);
    if (!last) return false;
    entry.stream.end();
    await this.stored[index]!.promise;
    return true;
  }

  /** The transfer says how each file ended. */
  settle(index: number, error?: unknown): void {
    if (error === undefined) this.stored[index]?.resolve();
    else this.stored[index]?.reject(error);
  }

  /** The transfer ended: every file not stored yet fails with its reason. */
  failAll(error: unknown): void {
    for (let i = 0; i < this.count; i++) {
      this.sources[i]!.reject(error);
      this.stored[i]!.reject(error);
      this.chunked.get(i)?.stream.destroy();
    }
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new ApiError('invalid_input', `This upload has files 0 to ${this.count - 1}, not ${index}.`);
    }
  }
}

function once(stream: PassThrough, event: string, failed: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once(event, () => resolve());
    failed.then(undefined, reject);
  });
}

export interface UploadTicket {
  kind: 'upload';
  owner: string;
  transfer: Transfer;
  feed: UploadFeed;
}

export interface DownloadTicket {
  kind: 'download';
  owner: string;
  transfer: Transfer;
  filename: string;
  type: 'file' | 'tar';
  size: number | null;
  start: (sink: Writable) => Promise<Transfer>;
  /** Stops the transfer when the receiver goes away. */
  cancel: () => void;
}

export type TransferTicket = (UploadTicket | DownloadTicket) & {
  /** Called when the ticket expires unused. */
  onExpire?: () => void;
};

export class TransferTickets {
  private readonly tickets = new Map<
    string,
    { ticket: TransferTicket; expires: ReturnType<typeof setTimeout> }
  >();

  issue(ticket: TransferTicket): string {
    const id = randomBytes(32).toString('base64url');
    const expires = setTimeout(() => {
      this.revoke(id);
      ticket.onExpire?.();
    }, TICKET_TTL_MS);
    expires.unref?.();
    this.tickets.set(id, { ticket, expires });
    return id;
  }

  /** A download ticket is used once; an upload ticket lasts until its transfer ends. */
  take(id: string): TransferTicket | undefined {
    const entry = this.tickets.get(id);
    if (!entry) return undefined;
    if (entry.ticket.kind === 'download') this.revoke(id);
    return entry.ticket;
  }

  revoke(id: string): void {
    const entry = this.tickets.get(id);
    if (!entry) return;
    clearTimeout(entry.expires);
    this.tickets.delete(id);
  }

  revokeFor(transferId: string): void {
    for (const [id, entry] of this.tickets) if (entry.ticket.transfer.id === transferId) this.revoke(id);
  }
}
