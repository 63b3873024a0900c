// The file browser's operations on a host over SFTP: list a folder, look at one file, create, rename,
// delete (folders recursively, on request), change mode, and read the start of a text file.
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../../../common/errors';
import type { Conflict, DirectoryListing, FileEntry, TextFile } from '../../../common/schemas/files';
import type { SftpChannels } from './sftp-channels';
import {
  baseName,
  fileType,
  isNoSuchFile,
  joinRemote,
  parentOf,
  sftpError,
  toEntry,
  type Sftp,
} from './sftp-ops';

/** More entries than this are counted but not sent (a folder of mail spool files, say). */
export const MAX_LISTED = 10_000;
/** The viewer shows at most this much of a file. */
export const MAX_VIEW_BYTES = 1024 * 1024;

export class FileBrowser {
  constructor(private readonly channels: SftpChannels) {}

  /** The login user's home folder, where the browser opens. */
  async home(hostId: string): Promise<string> {
    const sftp = await this.channels.browse(hostId);
    try {
      return await sftp.realpath('.');
    } catch (err) {
      throw sftpError(err, 'The home folder');
    }
  }

  async list(hostId: string, path: string): Promise<DirectoryListing> {
    const sftp = await this.channels.browse(hostId);
    let canonical: string;
    try {
      canonical = await sftp.realpath(path);
    } catch (err) {
      throw sftpError(err, path);
    }
    let raw;
    try {
      raw = await sftp.readdir(canonical);
    } catch (err) {
      // OpenSSH answers a plain failure for a file: tell it by looking.
      const attrs = await sftp.stat(canonical).catch(() => undefined);
      if (attrs && fileType(attrs.mode) !== 'dir')
        throw new ApiError('invalid_input', `${canonical} is not a folder.`);
      throw sftpError(err, canonical);
    }
    const entries = raw
      .filter((e) => e.filename !== '.' && e.filename !== '..')
      .slice(0, MAX_LISTED)
      .map((e) => toEntry(canonical, e.filename, e.attrs, e.longname));
    await this.resolveLinks(sftp, entries);
    return { path: canonical, entries, truncated: raw.length > MAX_LISTED + 2, total: raw.length };
  }

  async stat(hostId: string, path: string): Promise<FileEntry> {
    const sftp = await this.channels.browse(hostId);
    try {
      const attrs = await sftp.lstat(path);
      const entry = toEntry(parentOf(path), baseName(path), attrs);
      await this.resolveLinks(sftp, [entry]);
      return entry;
    } catch (err) {
      throw sftpError(err, path);
    }
  }

  async mkdir(hostId: string, dir: string, name: string): Promise<FileEntry> {
    const sftp = await this.channels.browse(hostId);
    const path = joinRemote(dir, name);
    try {
      await sftp.mkdir(path);
    } catch (err) {
      if (await exists(sftp, path)) throw new ApiError('conflict', `${name} already exists in ${dir}.`);
      throw sftpError(err, `Creating ${path}`);
    }
    return this.stat(hostId, path);
  }

  /** Renames or moves; never over an existing file unless `replace`. */
  async rename(hostId: string, from: string, to: string, replace: boolean): Promise<FileEntry> {
    const sftp = await this.channels.browse(hostId);
    if (from === to) return this.stat(hostId, to);
    if (!replace && (await exists(sftp, to))) {
      throw new ApiError('conflict', `${baseName(to)} already exists in ${parentOf(to)}.`);
    }
    try {
      if (replace) await sftp.renameReplacing(from, to);
      else await sftp.rename(from, to);
    } catch (err) {
      throw sftpError(err, `Renaming ${from}`);
    }
    return this.stat(hostId, to);
  }

  /** Deletes a file, a link, or a folder (with everything in it only when `recursive`). */
  async remove(hostId: string, path: string, recursive: boolean): Promise<{ deleted: number }> {
    if (path === '/' || parentOf(path) === path)
      throw new ApiError('invalid_input', 'Hyperion does not delete /.');
    const sftp = await this.channels.browse(hostId);
    let attrs;
    try {
      attrs = await sftp.lstat(path);
    } catch (err) {
      throw sftpError(err, path);
    }
    if (fileType(attrs.mode) !== 'dir') {
      try {
        await sftp.unlink(path);
      } catch (err) {
        throw sftpError(err, `Deleting ${path}`);
      }
      return { deleted: 1 };
    }
    if (!recursive) {
      try {
        await sftp.rmdir(path);
        return { deleted: 1 };
      } catch (err) {
        const inside = await sftp.readdir(path).catch(() => []);
        if (inside.some((e) => e.filename !== '.' && e.filename !== '..')) {
          throw new ApiError('conflict', `${path} is not empty: confirm deleting everything in it.`);
        }
        throw sftpError(err, `Deleting ${path}`);
      }
    }
    return { deleted: await removeTree(sftp, path) };
  }

  async chmod(hostId: string, path: string, mode: number): Promise<FileEntry> {
    const sftp = await this.channels.browse(hostId);
    try {
      await sftp.chmod(path, mode);
    } catch (err) {
      throw sftpError(err, `Changing the mode of ${path}`);
    }
    return this.stat(hostId, path);
  }

  /** The start of a file as text, or a note that it is binary. */
  async readText(hostId: string, path: string, maxBytes = MAX_VIEW_BYTES): Promise<TextFile> {
    const sftp = await this.channels.browse(hostId);
    let handle: Buffer;
    try {
      const attrs = await sftp.stat(path);
      if (fileType(attrs.mode) === 'dir') throw new ApiError('invalid_input', `${path} is a folder.`);
      handle = await sftp.open(path, 'r');
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw sftpError(err, path);
    }
    try {
      const size = (await sftp.fstat(handle)).size ?? 0;
      const want = Math.min(size, maxBytes);
      const parts: Buffer[] = [];
      let got = 0;
      while (got < want) {
        const piece = await sftp.read(handle, Math.min(want - got, sftp.maxReadLength), got);
        if (piece.length === 0) break;
        parts.push(piece);
        got += piece.length;
      }
      const bytes = Buffer.concat(parts);
      const binary = bytes.subarray(0, 8192).includes(0);
      // A character cut by the limit is left out, not mangled: the decoder holds back a partial one.
      const text = got < size ? new StringDecoder('utf8').write(bytes) : bytes.toString('utf8');
      return {
        path,
        size,
        text: binary ? '' : text,
        truncated: got < size,
        binary,
      };
    } catch (err) {
      throw sftpError(err, path);
    } finally {
      await sftp.close(handle).catch(() => undefined);
    }
  }

  /** Which of these names already exist in a folder (before an upload asks what to do). */
  async conflicts(hostId: string, dir: string, names: string[]): Promise<Conflict[]> {
    const sftp = await this.channels.browse(hostId);
    const found: Conflict[] = [];
    for (const name of names) {
      try {
        const attrs = await sftp.lstat(joinRemote(dir, name));
        found.push({ name, type: fileType(attrs.mode), size: attrs.size, mtime: attrs.mtime * 1000 });
      } catch (err) {
        if (!isNoSuchFile(err)) throw sftpError(err, joinRemote(dir, name));
      }
    }
    return found;
  }

  /** Symlinks show what they point at, and whether that is a folder (to open it). */
  private async resolveLinks(sftp: Sftp, entries: FileEntry[]): Promise<void> {
    const links = entries.filter((e) => e.type === 'link').slice(0, 500);
    await Promise.all(
      links.map(async (entry) => {
        try {
          entry.target = await sftp.readlink(entry.path);
          entry.targetType = fileType((await sftp.stat(entry.path)).mode);
        } catch {
          // A dangling link: shown with its target (when read) and no type.
        }
      }),
    );
  }
}

async function exists(sftp: Sftp, path: string): Promise<boolean> {
  try {
    await sftp.lstat(path);
    return true;
  } catch (err) {
    if (isNoSuchFile(err)) return false;
    throw sftpError(err, path);
  }
}

/** Depth first, never following symlinks: a link to / deletes the link, not /. */
async function removeTree(sftp: Sftp, path: string): Promise<number> {
  let count = 0;
  let entries;
  try {
    entries = await sftp.readdir(path);
  } catch (err) {
    throw sftpError(err, `Reading ${path}`);
  }
  for (const e of entries) {
    if (e.filename === '.' || e.filename === '..') continue;
    const child = joinRemote(path, e.filename);
    if (fileType(e.attrs.mode) === 'dir') count += await removeTree(sftp, child);
    else {
      try {
        await sftp.unlink(child);
        count++;
      } catch (err) {
        throw sftpError(err, `Deleting ${child} (${count} deleted before it)`);
      }
    }
  }
  try {
    await sftp.rmdir(path);
  } catch (err) {
    throw sftpError(err, `Deleting ${path} (${count} deleted inside it)`);
  }
  return count + 1;
}
