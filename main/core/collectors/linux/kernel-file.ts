// A /proc or /sys file read again and again through one open descriptor: each read is one pread
// from offset 0 into a buffer kept between reads, instead of an open, a stat, a fresh 64 KiB
// buffer and a close every second (what readFileSync does for files that report size 0).
import { closeSync, openSync, readSync } from 'node:fs';

/** One buffer for every file of a reader: reads are synchronous, one at a time. */
export class ReadBuffer {
  bytes = Buffer.allocUnsafe(16 * 1024);

  /** Doubles the buffer, keeping its first `used` bytes. */
  grow(used: number): void {
    const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
    this.bytes.copy(bigger, 0, 0, used);
    this.bytes = bigger;
  }
}

export class KernelFile {
  private fd: number | undefined;

  constructor(
    readonly path: string,
    private readonly buffer: ReadBuffer,
  ) {}

  /** The file's whole text (latin1: kernel files are ASCII); throws when it cannot be read. */
  read(): string {
    if (this.fd === undefined) this.fd = openSync(this.path, 'r');
    try {
      return this.readFrom(this.fd);
    } catch (err) {
      // A file that went away (a sensor unplugged, a device removed) is opened afresh next time.
      this.close();
      throw err;
    }
  }

  /** The text, or undefined when the file cannot be read now. */
  readOptional(): string | undefined {
    try {
      return this.read();
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // already gone
    }
  }

  private readFrom(fd: number): string {
    let used = 0;
    // seq_file regenerates the text for a read at offset 0; later offsets continue that text.
    for (;;) {
      const room = this.buffer.bytes.length - used;
      const n = readSync(fd, this.buffer.bytes, used, room, used);
      if (n === 0) break;
      used += n;
      if (used === this.buffer.bytes.length) this.buffer.grow(used);
    }
    return this.buffer.bytes.toString('latin1', 0, used);
  }
}
