// Moving one file each way without ever writing a half file under its final name: an upload goes to
// a temporary name beside the target and is renamed at the end; a download to a local temporary file
// likewise. A dropped link or a cancel fails the transfer and removes the temporary file (or leaves
// it for removal when the host is back, if the link is gone).
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ApiError } from '../../../common/errors';
import {
  readToFile,
  readToStream,
  TransferAborted,
  writeFromStream,
  type PipelineOptions,
} from './pipelined';
import { baseName, fileType, isNoSuchFile, joinRemote, parentOf, sftpError, type Sftp } from './sftp-ops';

/** A temporary name beside `name` in the same folder, never longer than a name may be. */
export function temporaryName(name: string): string {
  const tag = `.hyperion-${randomBytes(6).toString('hex')}.part`;
  const candidate = `.${name}${tag}`;
  return Buffer.byteLength(candidate) <= 255 ? candidate : tag;
}

export interface UploadOptions extends PipelineOptions {
  /** Replace a file already at the path (the person confirmed it); otherwise fail on it. */
  replace: boolean;
  /** The size the sender announced: fewer bytes means the transfer broke. */
  expectedSize?: number;
  /** Told the temporary path when it could not be removed (the connection is gone). */
  onOrphan?: (path: string) => void;
}

/** Streams `source` to `remotePath`; resolves with the bytes written. */
export async function uploadFile(
  sftp: Sftp,
  source: Readable,
  remotePath: string,
  options: UploadOptions,
): Promise<number> {
  let existingMode: number | undefined;
  try {
    const attrs = await sftp.stat(remotePath);
    if (fileType(attrs.mode) === 'dir') {
      throw new ApiError('conflict', `${remotePath} is a folder: choose another name.`);
    }
    if (!options.replace)
      throw new ApiError('conflict', `${baseName(remotePath)} already exists in ${parentOf(remotePath)}.`);
    existingMode = attrs.mode & 0o7777;
  } catch (err) {
    if (err instanceof ApiError) {
      source.destroy();
      throw err;
    }
    if (!isNoSuchFile(err)) {
      source.destroy();
      throw sftpError(err, remotePath);
    }
  }
  const temp = joinRemote(parentOf(remotePath), temporaryName(baseName(remotePath)));
  let handle: Buffer | undefined;
  try {
    // Only the owner can read it while it is incomplete; it gets its final mode at the end.
    handle = await sftp.open(temp, 'wx', 0o600);
    const written = await writeFromStream(sftp, handle, source, options);
    if (options.expectedSize !== undefined && written !== options.expectedSize) {
      throw new ApiError(
        'conflict',
        `The upload of ${baseName(remotePath)} ended after ${written} of ${options.expectedSize} bytes.`,
      );
    }
    // An existing file keeps its mode (a config file stays 0640); a new one is 0644.
    await sftp.fchmod(handle, existingMode ?? 0o644);
    await sftp.close(handle);
    handle = undefined;
    if (options.replace) await sftp.renameReplacing(temp, remotePath);
    else await sftp.rename(temp, remotePath);
    return written;
  } catch (err) {
    source.destroy();
    if (handle) await sftp.close(handle).catch(() => undefined);
    await sftp.unlink(temp).catch((unlinkErr: unknown) => {
      if (!isNoSuchFile(unlinkErr)) options.onOrphan?.(temp);
    });
    throw transferError(err, `Uploading ${baseName(remotePath)}`);
  }
}

/** Streams `remotePath` into `sink` (not ended); resolves with the bytes read. */
export async function downloadToStream(
  sftp: Sftp,
  remotePath: string,
  sink: Writable,
  options: PipelineOptions & { size?: number },
): Promise<number> {
  let handle: Buffer;
  try {
    handle = await sftp.open(remotePath, 'r');
  } catch (err) {
    throw sftpError(err, remotePath);
  }
  try {
    const size = options.size ?? (await sftp.fstat(handle)).size ?? 0;
    return await readToStream(sftp, handle, size, sink, options);
  } catch (err) {
    throw transferError(err, `Downloading ${baseName(remotePath)}`);
  } finally {
    await sftp.close(handle).catch(() => undefined);
  }
}

/** Downloads to a local file through a temporary one beside it; never over an existing file unless `replace`. */
export async function downloadToFile(
  sftp: Sftp,
  remotePath: string,
  localPath: string,
  options: PipelineOptions & { replace: boolean; mode?: number },
): Promise<number> {
  const temp = join(dirname(localPath), temporaryName(basename(localPath)));
  let file: FileHandle | undefined;
  let remote: Buffer | undefined;
  try {
    try {
      remote = await sftp.open(remotePath, 'r');
    } catch (err) {
      throw sftpError(err, remotePath);
    }
    file = await open(temp, 'wx', 0o600);
    const size = (await sftp.fstat(remote)).size ?? 0;
    const bytes = await readToFile(sftp, remote, size, file.fd, options);
    await file.close();
    file = undefined;
    await sftp.close(remote).catch(() => undefined);
    remote = undefined;
    await chmod(temp, (options.mode ?? 0o644) & 0o777);
    if (options.replace) await rename(temp, localPath);
    else {
      // link() refuses an existing name, so nothing is overwritten even if it appeared meanwhile.
      try {
        await link(temp, localPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new ApiError('conflict', `${localPath} already exists.`);
        }
        throw err;
      }
      await unlink(temp);
    }
    return bytes;
  } catch (err) {
    await file?.close().catch(() => undefined);
    if (remote) await sftp.close(remote).catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw transferError(err, `Downloading ${baseName(remotePath)}`);
  }
}

function transferError(err: unknown, what: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof TransferAborted) return new ApiError('conflict', err.message);
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string') return new ApiError('conflict', `${what}: ${(err as Error).message}.`);
  return sftpError(err, what);
}

/** Where a transfer's downloads run: on an SFTP channel in this thread, or in the transfer worker. */
export interface Downloader {
  toFile(
    remotePath: string,
    localPath: string,
    options: PipelineOptions & { replace: boolean; mode?: number },
  ): Promise<number>;
  toStream(remotePath: string, sink: Writable, options: PipelineOptions & { size?: number }): Promise<number>;
}

/** Downloads on `sftp`, in this thread. */
export function channelDownloader(sftp: Sftp): Downloader {
  return {
    toFile: (remotePath, localPath, options) => downloadToFile(sftp, remotePath, localPath, options),
    toStream: (remotePath, sink, options) => downloadToStream(sftp, remotePath, sink, options),
  };
}

/** Where a transfer's uploads of local files run: on a channel here, or in the transfer worker. */
export interface Uploader {
  fromFile(localPath: string, remotePath: string, options: UploadOptions): Promise<number>;
}

/** Uploads local files on `sftp`, in this thread. */
export function channelUploader(sftp: Sftp): Uploader {
  return {
    fromFile: (localPath, remotePath, options) =>
      uploadFile(
        sftp,
        // Reads of whole requests' worth, so the pipeline cuts them without copying.
        createReadStream(localPath, { highWaterMark: options.chunkBytes * 4 }),
        remotePath,
        options,
      ),
  };
}
