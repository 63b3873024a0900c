// Files on hosts over SFTP: browse, create, rename, delete, change mode, view, and transfers with a
// queue. Bytes of uploads and downloads travel beside the contract (HTTP under `serve`, chunks
// over IPC), under a ticket issued here.
import { z } from 'zod';
import { defineContract } from '../contract';
import {
  Conflict,
  DirectoryListing,
  FileEntry,
  FileMode,
  FileName,
  RemotePath,
  TextFile,
  Transfer,
  TransferId,
  UploadItem,
} from '../schemas/files';
import { HostId } from '../schemas/sample';

/** Where a browser sends an upload's files (PUT …/TICKET/INDEX) and fetches a download (GET …/TICKET). */
export const TRANSFER_HTTP_PATH = '/api/transfer/';

export const Ticket = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/, 'not a transfer ticket');

const OnHost = z.object({ host: HostId });

export const filesContract = defineContract({
  methods: {
    'files.home': {
      input: OnHost.strict(),
      output: z.object({ path: z.string() }),
      role: 'operator',
      summary: 'The login user’s home folder on the host, where browsing starts.',
    },
    'files.list': {
      input: OnHost.extend({ path: RemotePath }).strict(),
      output: DirectoryListing,
      role: 'operator',
      summary: 'A folder’s entries with size, owner, mode and time (not audited: browsing).',
    },
    'files.stat': {
      input: OnHost.extend({ path: RemotePath }).strict(),
      output: FileEntry,
      role: 'operator',
      summary: 'One file, folder or link.',
    },
    'files.read': {
      input: OnHost.extend({ path: RemotePath }).strict(),
      output: TextFile,
      role: 'operator',
      summary: 'The first MiB of a file as text, for the viewer (audited as files.view).',
    },
    'files.conflicts': {
      input: OnHost.extend({ dir: RemotePath, names: z.array(FileName).max(10_000) }).strict(),
      output: z.array(Conflict),
      role: 'operator',
      summary: 'Which of these names already exist in a folder, before an upload asks what to do.',
    },
    'files.mkdir': {
      input: OnHost.extend({ dir: RemotePath, name: FileName }).strict(),
      output: FileEntry,
      role: 'operator',
      mutating: true,
      audit: { target: 'name' },
      summary: 'Creates a folder.',
    },
    'files.rename': {
      input: OnHost.extend({
        from: RemotePath,
        to: RemotePath,
        replace: z.boolean().default(false),
      }).strict(),
      output: FileEntry,
      role: 'operator',
      mutating: true,
      audit: { target: 'from' },
      summary: 'Renames or moves a file or folder; never over an existing one unless replace is set.',
    },
    'files.delete': {
      input: OnHost.extend({ path: RemotePath, recursive: z.boolean().default(false) }).strict(),
      output: z.object({ deleted: z.number().int() }),
      role: 'operator',
      mutating: true,
      dangerous: true,
      audit: { target: 'path' },
      summary: 'Deletes a file, link or empty folder; a folder with everything in it when recursive.',
    },
    'files.chmod': {
      input: OnHost.extend({ path: RemotePath, mode: FileMode }).strict(),
      output: FileEntry,
      role: 'operator',
      mutating: true,
      audit: { target: 'path' },
      summary: 'Changes the permission bits of a file or folder.',
    },
    'files.beginUpload': {
      input: OnHost.extend({ dir: RemotePath, items: z.array(UploadItem).min(1).max(100_000) }).strict(),
      output: z.object({ transfer: Transfer, ticket: Ticket }),
      role: 'operator',
      mutating: true,
      audit: { target: 'dir' },
      summary:
        'Starts an upload into a folder: then send each file’s bytes under the ticket (HTTP PUT, or files.uploadChunk).',
    },
    'files.uploadChunk': {
      input: z
        .object({
          ticket: Ticket,
          index: z.number().int().nonnegative(),
          offset: z.number().int().nonnegative(),
          /** Base64, at most 1 MiB of bytes. */
          data: z.string().max(1_398_104),
          last: z.boolean().default(false),
        })
        .strict(),
      output: z.object({ stored: z.boolean() }),
      role: 'operator',
      summary: 'One piece of an upload’s file, for clients without HTTP (the desktop window).',
    },
    'files.beginDownload': {
      input: OnHost.extend({ paths: z.array(RemotePath).min(1).max(1000) }).strict(),
      output: z.object({
        transfer: Transfer,
        ticket: Ticket,
        filename: z.string(),
        kind: z.enum(['file', 'tar']),
        size: z.number().nullable(),
      }),
      role: 'operator',
      mutating: true,
      summary: 'Prepares a download (one file, or folders as a .tar): then GET it under the ticket.',
    },
    'files.pickLocal': {
      input: z.object({ kind: z.enum(['files', 'folder']) }).strict(),
      output: z
        .object({
          pick: Ticket,
          items: z.array(
            z.object({ name: z.string(), kind: z.enum(['file', 'dir']), size: z.number().nonnegative() }),
          ),
        })
        .nullable(),
      role: 'operator',
      summary:
        'Opens the desktop’s file dialog; the names and sizes chosen (null if cancelled), to upload with uploadPicked.',
    },
    'files.uploadPicked': {
      input: OnHost.extend({
        dir: RemotePath,
        pick: Ticket,
        replace: z.array(FileName).max(10_000).default([]),
        skip: z.array(FileName).max(10_000).default([]),
      }).strict(),
      output: z.object({ transfer: Transfer }),
      role: 'operator',
      mutating: true,
      summary:
        'Uploads what pickLocal chose, read from this computer’s disk (the desktop window); names in skip are left out.',
    },
    'files.downloadToFolder': {
      input: OnHost.extend({ paths: z.array(RemotePath).min(1).max(1000) }).strict(),
      output: z.object({ transfer: Transfer, folder: z.string() }),
      role: 'operator',
      mutating: true,
      summary:
        'Downloads into this computer’s Downloads folder, folders as folders (the desktop window; a browser uses beginDownload).',
    },
    'files.cancelTransfer': {
      input: z.object({ id: TransferId }).strict(),
      output: Transfer,
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Stops an upload or download; nothing half-written is left under the final name.',
    },
    'files.clearTransfers': {
      input: z.object({}).strict(),
      output: z.object({ ok: z.literal(true) }),
      role: 'operator',
      summary: 'Forgets the caller’s finished transfers.',
    },
  },
  streams: {
    'files.transfers': {
      params: z.object({}).strict(),
      event: z.object({ snapshot: z.boolean(), transfers: z.array(Transfer) }),
      role: 'operator',
      summary: 'The caller’s transfers, then each change (progress at most four times a second).',
    },
  },
});
