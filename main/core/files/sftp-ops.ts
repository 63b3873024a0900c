// SFTP requests as promises, and directory entries as the file browser shows them. Every operation is
// a protocol request carrying the path as data: no shell ever sees a file name.
import type { Attributes, FileEntry as Ssh2FileEntry, OpenMode, SFTPWrapper, Stats } from 'ssh2';
import { ApiError } from '../../../common/errors';
import type { FileEntry, FileType } from '../../../common/schemas/files';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** SFTP status codes (draft-ietf-secsh-filexfer-02) and what they mean for a person. */
const STATUS = { EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4 } as const;

export function fileType(mode: number): FileType {
  const kind = mode & S_IFMT;
  return kind === S_IFDIR ? 'dir' : kind === S_IFREG ? 'file' : kind === S_IFLNK ? 'link' : 'other';
}

/** "drwxr-xr-x" with setuid, setgid and sticky bits as ls shows them. */
export function modeText(mode: number): string {
  const kind = mode & S_IFMT;
  const typeChar =
    kind === S_IFDIR
      ? 'd'
      : kind === S_IFLNK
        ? 'l'
        : kind === 0o020000
          ? 'c'
          : kind === 0o060000
            ? 'b'
            : kind === 0o010000
              ? 'p'
              : kind === 0o140000
                ? 's'
                : '-';
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-');
  const special = (exec: number, flag: number, set: string) =>
    mode & flag ? (mode & exec ? set : set.toUpperCase()) : mode & exec ? 'x' : '-';
  return (
    typeChar +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't')
  );
}

/** OpenSSH's longname is `ls -l` style: "-rw-r--r--    1 alice    staff  1234 Jan  1 10:00 name". */
export function ownerFromLongname(longname: string | undefined): {
  owner: string | null;
  group: string | null;
} {
  if (!longname) return { owner: null, group: null };
  const parts = longname.trim().split(/\s+/);
  return parts.length >= 5 ? { owner: parts[2]!, group: parts[3]! } : { owner: null, group: null };
}

export function joinRemote(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

export function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || '/';
}

export function toEntry(dir: string, name: string, attrs: Attributes, longname?: string): FileEntry {
  const mode = attrs.mode ?? 0;
  return {
    name,
    path: joinRemote(dir, name),
    type: fileType(mode),
    target: null,
    targetType: null,
    size: attrs.size ?? 0,
    mode: mode & 0o7777,
    modeText: modeText(mode),
    uid: attrs.uid ?? 0,
    gid: attrs.gid ?? 0,
    ...ownerFromLongname(longname),
    mtime: (attrs.mtime ?? 0) * 1000,
  };
}

/** An SFTP failure as a sentence about the path, with the right error code. */
export function sftpError(err: unknown, what: string): ApiError {
  const code = (err as { code?: number }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === STATUS.NO_SUCH_FILE)
    return new ApiError('not_found', `${what}: there is no such file or folder.`);
  if (code === STATUS.PERMISSION_DENIED) return new ApiError('forbidden', `${what}: permission denied.`);
  if (message === 'No response from server' || /not connected|closed/i.test(message)) {
    return new ApiError('disconnected', `${what}: the connection was lost.`);
  }
  return new ApiError('conflict', `${what}: ${message}.`, { code });
}

export function isNoSuchFile(err: unknown): boolean {
  return (err as { code?: number }).code === STATUS.NO_SUCH_FILE;
}

/** What ssh2 says for requests its channel could not answer; sftpError reads it as a lost connection. */
export const LOST = 'No response from server';

/** The SFTP requests the file browser and transfers use, as promises. */
export class Sftp {
  private ended = false;

  constructor(readonly raw: SFTPWrapper) {
    // ssh2 drops requests sent on a channel that closed under it, without calling back.
    const end = () => (this.ended = true);
    raw.once('end', end);
    raw.once('close', end);
  }

  /** The connection under the channel is gone: requests waiting for an answer fail now. */
  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      // ssh2's end of input: it fails every request still waiting ("No response from server").
      (this.raw as unknown as { push(data: null): void }).push(null);
    } catch {
      // Already cleaned up.
    }
  }

  /** False once the channel (or its connection) closed: requests fail at once. */
  get usable(): boolean {
    return !this.ended;
  }

  realpath(path: string): Promise<string> {
    return this.call((cb) => this.raw.realpath(path, cb));
  }
  stat(path: string): Promise<Stats> {
    return this.call((cb) => this.raw.stat(path, cb));
  }
  lstat(path: string): Promise<Stats> {
    return this.call((cb) => this.raw.lstat(path, cb));
  }
  readdir(path: string): Promise<Ssh2FileEntry[]> {
    return this.call((cb) => this.raw.readdir(path, cb));
  }
  readlink(path: string): Promise<string> {
    return this.call((cb) => this.raw.readlink(path, cb));
  }
  mkdir(path: string, mode?: number): Promise<void> {
    return this.call((cb) => this.raw.mkdir(path, mode === undefined ? {} : { mode }, (err) => cb(err)));
  }
  rmdir(path: string): Promise<void> {
    return this.call((cb) => this.raw.rmdir(path, (err) => cb(err)));
  }
  unlink(path: string): Promise<void> {
    return this.call((cb) => this.raw.unlink(path, (err) => cb(err)));
  }
  chmod(path: string, mode: number): Promise<void> {
    return this.call((cb) => this.raw.chmod(path, mode, (err) => cb(err)));
  }
  /** Fails when `to` exists (SFTP's own rename): the safe default. */
  rename(from: string, to: string): Promise<void> {
    return this.call((cb) => this.raw.rename(from, to, (err) => cb(err)));
  }
  /** Replaces `to` atomically when the server has posix-rename@openssh.com; plain rename otherwise. */
  renameReplacing(from: string, to: string): Promise<void> {
    return this.call((cb) => {
      try {
        this.raw.ext_openssh_rename(from, to, (err) => cb(err));
      } catch {
        // Not an OpenSSH server: remove the old file first (not atomic, said in the README).
        this.raw.unlink(to, () => this.raw.rename(from, to, (err) => cb(err)));
      }
    });
  }
  open(path: string, flags: OpenMode, mode?: number): Promise<Buffer> {
    return this.call((cb) => this.raw.open(path, flags, mode === undefined ? {} : { mode }, cb));
  }
  close(handle: Buffer): Promise<void> {
    return this.call((cb) => this.raw.close(handle, (err) => cb(err)));
  }
  fstat(handle: Buffer): Promise<Stats> {
    return this.call((cb) => this.raw.fstat(handle, cb));
  }
  fchmod(handle: Buffer, mode: number): Promise<void> {
    return this.call((cb) => this.raw.fchmod(handle, mode, (err) => cb(err)));
  }
  private call<T>(run: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    if (this.ended) return Promise.reject(new Error(LOST));
    return new Promise((resolve, reject) => {
      try {
        run((err, value) => (err ? reject(err) : resolve(value as T)));
      } catch (err) {
        reject(err);
      }
    });
  }

  read(handle: Buffer, length: number, position: number): Promise<Buffer> {
    if (this.ended) return Promise.reject(new Error(LOST));
    return new Promise((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(length);
      try {
        this.raw.read(handle, buffer, 0, length, position, (err, bytesRead) =>
          err ? reject(err) : resolve(buffer.subarray(0, bytesRead)),
        );
      } catch (err) {
        reject(err);
      }
    });
  }
  /** The largest read and write the server takes in one request (limits@openssh.com). */
  get maxReadLength(): number {
    return (this.raw as unknown as { _maxReadLen?: number })._maxReadLen ?? 32 * 1024;
  }
  get maxWriteLength(): number {
    return (this.raw as unknown as { _maxWriteLen?: number })._maxWriteLen ?? 32 * 1024;
  }
  end(): void {
    try {
      this.raw.end();
    } catch {
      // Already closed.
    }
  }
}
