// Moving the bytes of uploads and downloads between this browser and the core: files dropped or
// picked (folders walked), sent one after another under the upload's ticket — over HTTP under
// `hyperion serve` (the browser streams the file from disk), in 1 MiB chunks over the desktop
// bridge — and downloads fetched by the browser itself, so nothing is held whole in memory here.
import { TRANSFER_HTTP_PATH } from '../../../../common/contracts/files';
import type { Transfer, UploadItem } from '../../../../common/schemas/files';
import type { HyperionClient } from '../../api/client';

export interface PickedFile {
  /** Relative to the folder it goes into: "site/css/main.css". */
  path: string;
  file: File;
}

export interface Picked {
  files: PickedFile[];
  /** Folders, relative, parents before children (empty ones included). */
  dirs: string[];
}

/** The first part of each path: what lands directly in the target folder. */
export function topNames(picked: Picked): string[] {
  return [...new Set([...picked.dirs, ...picked.files.map((f) => f.path)].map((p) => p.split('/')[0]!))];
}

/** Files from an <input type=file> (with webkitdirectory, their relative paths keep the folders). */
export function fromFileList(list: FileList | File[]): Picked {
  const files: PickedFile[] = [];
  const dirs = new Set<string>();
  for (const file of Array.from(list)) {
    const path = file.webkitRelativePath || file.name;
    files.push({ path, file });
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return { files, dirs: [...dirs].sort((a, b) => a.split('/').length - b.split('/').length) };
}

/** Files and folders dropped on the page, folders walked to the bottom. */
export async function fromDrop(transfer: DataTransfer): Promise<Picked> {
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromFileList(transfer.files);
  const picked: Picked = { files: [], dirs: [] };
  const visit = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      picked.files.push({ path, file });
      return;
    }
    if (!entry.isDirectory) return;
    picked.dirs.push(path);
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches (100 in Chromium) until it answers none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) break;
      for (const child of batch) await visit(child, `${path}/${child.name}`);
    }
  };
  for (const entry of entries) await visit(entry, entry.name);
  return picked;
}

export interface UploadHandle {
  transfer: Transfer;
  /** Resolves when every file was sent and stored (or rejects with the first failure). */
  done: Promise<void>;
  /** Stops sending (the core's transfer is cancelled by the caller). */
  abort: () => void;
}

/**
 * Starts an upload of `picked` into `dir`: `replace` says, per top-level name, whether an existing
 * one may be replaced (the person answered the overwrite prompt).
 */
export async function startUpload(
  client: HyperionClient,
  mode: 'desktop' | 'browser',
  host: string,
  dir: string,
  picked: Picked,
  replace: ReadonlySet<string>,
): Promise<UploadHandle> {
  const replaces = (path: string) => replace.has(path.split('/')[0]!);
  const items: UploadItem[] = [
    ...picked.dirs.map((path) => ({ path, kind: 'dir' as const, replace: replaces(path) })),
    ...picked.files.map((f) => ({
      path: f.path,
      kind: 'file' as const,
      size: f.file.size,
      replace: replaces(f.path),
    })),
  ];
  const { transfer, ticket } = await client.call('files.beginUpload', { host, dir, items });
  let current: XMLHttpRequest | undefined;
  let stopped = false;
  const send = async () => {
    for (const [i, item] of items.entries()) {
      if (item.kind !== 'file') continue;
      if (stopped) throw new Error('Cancelled.');
      const file = picked.files[i - picked.dirs.length]!.file;
      if (mode === 'browser') {
        await new Promise<void>((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          current = xhr;
          xhr.open('PUT', `${TRANSFER_HTTP_PATH}${ticket}/${i}`);
          xhr.onload = () => {
            if (xhr.status === 200) resolve();
            else reject(new Error(errorText(xhr.responseText) ?? `The upload was refused (${xhr.status}).`));
          };
          xhr.onerror = () => reject(new Error('The connection to Hyperion broke during the upload.'));
          xhr.onabort = () => reject(new Error('Cancelled.'));
          xhr.send(file);
        });
      } else {
        await sendInChunks(client, ticket, i, file, () => stopped);
      }
    }
  };
  const done = send();
  done.catch(() => undefined);
  return {
    transfer,
    done,
    abort: () => {
      stopped = true;
      current?.abort();
    },
  };
}

const CHUNK = 1024 * 1024;

async function sendInChunks(
  client: HyperionClient,
  ticket: string,
  index: number,
  file: File,
  stopped: () => boolean,
): Promise<void> {
  let offset = 0;
  do {
    if (stopped()) throw new Error('Cancelled.');
    const piece = new Uint8Array(await file.slice(offset, offset + CHUNK).arrayBuffer());
    const last = offset + piece.length >= file.size;
    await client.call('files.uploadChunk', { ticket, index, offset, data: toBase64(piece), last });
    offset += piece.length;
  } while (offset < file.size);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function errorText(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { message?: string } }).error?.message;
  } catch {
    return undefined;
  }
}

/** Prepares a download and lets the browser fetch it (its own progress and save dialog, streamed). */
export async function startDownload(
  client: HyperionClient,
  host: string,
  paths: string[],
): Promise<{ transfer: Transfer; filename: string }> {
  const { transfer, ticket, filename } = await client.call('files.beginDownload', { host, paths });
  const link = document.createElement('a');
  link.href = `${TRANSFER_HTTP_PATH}${ticket}`;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  return { transfer, filename };
}
