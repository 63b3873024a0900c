// Remote files over SFTP: paths and names as validated at the boundary, directory entries, transfers.
import { z } from 'zod';
import { HostId } from './sample';

const utf8Length = (value: string): number => {
  let bytes = 0;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
};

/**
 * An absolute path on the remote host. Any byte but NUL may appear in a name (spaces, quotes,
 * newlines, a leading "-"): SFTP carries paths as data, never through a shell.
 */
export const RemotePath = z
  .string()
  .min(1, 'enter a path')
  .refine((v) => v.startsWith('/'), 'a path starts with "/"')
  .refine((v) => !v.includes('\0'), 'a path cannot contain a NUL character')
  .refine((v) => utf8Length(v) <= 4096, 'a path has at most 4096 bytes');
export type RemotePath = z.infer<typeof RemotePath>;

/** One name inside a folder: no "/", not "." or "..". */
export const FileName = z
  .string()
  .min(1, 'enter a name')
  .refine((v) => !v.includes('/'), 'a name cannot contain "/"')
  .refine((v) => !v.includes('\0'), 'a name cannot contain a NUL character')
  .refine((v) => v !== '.' && v !== '..', '"." and ".." are not names')
  .refine((v) => utf8Length(v) <= 255, 'a name has at most 255 bytes');

/** A path below an upload's target folder, as a dropped folder gives it: "site/css/main.css". */
export const RelativePath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (v) => v.split('/').every((part) => FileName.safeParse(part).success),
    'each part of the path must be a name (no empty part, "." or "..")',
  );

/** Permission bits, as chmod takes them in octal: 0o644 is 420. */
export const FileMode = z
  .number()
  .int()
  .min(0, 'modes go from 0 to 7777 (octal)')
  .max(0o7777, 'modes go from 0 to 7777 (octal)');

export const FileType = z.enum(['file', 'dir', 'link', 'other']);
export type FileType = z.infer<typeof FileType>;

export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: FileType,
  /** What a symlink points at, when it was read. */
  target: z.string().nullable(),
  /** The type of what a symlink points at ("dir" for a link to a folder), when known. */
  targetType: FileType.nullable(),
  size: z.number().nonnegative(),
  /** Permission bits (0–0o7777). */
  mode: z.number().int(),
  /** "drwxr-xr-x", as ls shows it. */
  modeText: z.string(),
  uid: z.number().int(),
  gid: z.number().int(),
  /** User and group names when the server says them (OpenSSH does in directory listings). */
  owner: z.string().nullable(),
  group: z.string().nullable(),
  /** Last modification, ms since the epoch. */
  mtime: z.number(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const DirectoryListing = z.object({
  /** The folder's canonical path (symlinks and ".." resolved by the server). */
  path: z.string(),
  entries: z.array(FileEntry),
  /** True when the folder had more entries than are sent. */
  truncated: z.boolean(),
  total: z.number().int(),
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;

export const TextFile = z.object({
  path: z.string(),
  size: z.number(),
  /** The first bytes as UTF-8 text (invalid sequences replaced). */
  text: z.string(),
  /** True when only the beginning of the file is shown. */
  truncated: z.boolean(),
  /** True when the bytes look like a binary file (NUL bytes), so the text is not shown. */
  binary: z.boolean(),
});
export type TextFile = z.infer<typeof TextFile>;

export const TransferId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a transfer id');

export const TransferState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof TransferState>;

export const Transfer = z.object({
  id: TransferId,
  host: HostId,
  hostName: z.string(),
  direction: z.enum(['upload', 'download']),
  /** What a person calls it: a file name, a folder name, or "3 items". */
  name: z.string(),
  /** The remote folder (uploads) or path (downloads). */
  remotePath: z.string(),
  state: TransferState,
  bytesDone: z.number(),
  /** Null while it is not known (a folder still being walked). */
  bytesTotal: z.number().nullable(),
  filesDone: z.number().int(),
  filesTotal: z.number().int().nullable(),
  /** Over the last few seconds. */
  bytesPerSec: z.number(),
  /** The file being transferred now. */
  current: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type Transfer = z.infer<typeof Transfer>;

export const UploadItem = z
  .object({
    /** Relative to the target folder. */
    path: RelativePath,
    kind: z.enum(['file', 'dir']).default('file'),
    size: z.number().int().nonnegative().default(0),
    /** Replace a file that exists (the person said so), or fail on it. */
    replace: z.boolean().default(false),
  })
  .strict();
export type UploadItem = z.input<typeof UploadItem>;

export const Conflict = z.object({
  name: z.string(),
  type: FileType,
  size: z.number(),
  mtime: z.number(),
});
export type Conflict = z.infer<typeof Conflict>;
