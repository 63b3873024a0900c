// Binds the files part of the contract to the file browser, the transfer queue and its tickets.
import type { filesContract } from '../../../common/contracts/files';
import type { Caller } from '../../../common/contract';
import { ApiError } from '../../../common/errors';
import type { Handlers } from '../../../common/rpc/server';
import type { AuditRecord } from '../audit/audit-log';
import type { FileBrowser } from '../files/file-browser';
import type { LocalPicks } from '../files/local-picks';
import { UploadFeed, type TransferTickets } from '../files/tickets';
import type { TransferActor, Transfers } from '../files/transfers';

const ownerOf = (caller: Caller): TransferActor => ({
  id: caller.id,
  via: caller.via,
  address: caller.address ?? null,
});

export interface FilesHandlerDeps {
  browser: FileBrowser;
  transfers: Transfers;
  tickets: TransferTickets;
  audit: (record: AuditRecord) => void;
  /** Where the desktop window's downloads go (the person's Downloads folder). */
  downloadsDir: string;
  /** What the desktop's file dialog chose, for uploads read from this computer's disk. */
  picks: LocalPicks;
}

/**
 * Calls about this computer's own folders: the person's only in the desktop window (in-process
 * callers are the same machine); under serve they would be the server's.
 */
function desktopOnly(caller: Caller, what: string): void {
  if (caller.via !== 'ipc' && caller.via !== 'memory') {
    throw new ApiError('forbidden', `${what} is for the desktop window; in a browser, the browser does it.`);
  }
}

export function createFilesHandlers(deps: FilesHandlerDeps): Handlers<typeof filesContract> {
  const { browser, transfers, tickets } = deps;
  return {
    methods: {
      'files.home': async ({ host }) => ({ path: await browser.home(host) }),
      'files.list': ({ host, path }) => browser.list(host, path),
      'files.stat': ({ host, path }) => browser.stat(host, path),
      'files.read': async ({ host, path }, { caller }) => {
        const record = (error: string | null) =>
          deps.audit({
            actor: caller.id,
            via: caller.via,
            address: caller.address ?? null,
            host,
            action: 'files.view',
            target: path,
            args: { host, path },
            result: error ? 'failed' : 'ok',
            error,
          });
        try {
          const file = await browser.readText(host, path);
          record(null);
          return file;
        } catch (err) {
          record(err instanceof Error ? err.message : String(err));
          throw err;
        }
      },
      'files.conflicts': ({ host, dir, names }) => browser.conflicts(host, dir, names),
      'files.mkdir': ({ host, dir, name }) => browser.mkdir(host, dir, name),
      'files.rename': ({ host, from, to, replace }) => browser.rename(host, from, to, replace),
      'files.delete': ({ host, path, recursive }) => browser.remove(host, path, recursive),
      'files.chmod': ({ host, path, mode }) => browser.chmod(host, path, mode),
      'files.beginUpload': ({ host, dir, items }, { caller }) => {
        const feed = new UploadFeed(items.length);
        const transfer = transfers.upload(host, dir, items, feed.source, ownerOf(caller), feed);
        const ticket = tickets.issue({ kind: 'upload', owner: caller.id, transfer, feed });
        void transfers.wait(transfer.id).then(() => tickets.revokeFor(transfer.id));
        return { transfer, ticket };
      },
      'files.uploadChunk': async ({ ticket, index, offset, data, last }, { caller }) => {
        const entry = tickets.take(ticket);
        if (!entry || entry.kind !== 'upload' || entry.owner !== caller.id) {
          throw new ApiError('not_found', 'This upload is over (or was never yours).');
        }
        return { stored: await entry.feed.chunk(index, offset, Buffer.from(data, 'base64'), last) };
      },
      'files.beginDownload': async ({ host, paths }, { caller }) => {
        const owner = ownerOf(caller);
        const prepared = await transfers.prepareDownload(host, paths, owner);
        const id = prepared.transfer.id;
        const ticket = tickets.issue({
          kind: 'download',
          owner: caller.id,
          transfer: prepared.transfer,
          filename: prepared.filename,
          type: prepared.kind,
          size: prepared.size,
          start: prepared.start,
          cancel: () => void transfers.cancel(id, caller.id),
          onExpire: () => transfers.expire(id, 'The download was not fetched within 5 minutes.'),
        });
        return {
          transfer: prepared.transfer,
          ticket,
          filename: prepared.filename,
          kind: prepared.kind,
          size: prepared.size,
        };
      },
      'files.pickLocal': ({ kind }, { caller }) => {
        desktopOnly(caller, 'Choosing files of this computer');
        return deps.picks.pick(kind, caller.id);
      },
      'files.uploadPicked': async ({ host, dir, pick, replace, skip }, { caller }) => {
        desktopOnly(caller, 'Uploading from this computer’s disk');
        const paths = deps.picks.take(pick, caller.id);
        const transfer = await transfers.uploadLocal(
          host,
          paths,
          dir,
          { replace: new Set(replace), skip: new Set(skip) },
          ownerOf(caller),
        );
        return { transfer };
      },
      'files.downloadToFolder': async ({ host, paths }, { caller }) => {
        desktopOnly(caller, 'Downloading into a folder');
        const transfer = await transfers.downloadTo(host, paths, deps.downloadsDir, ownerOf(caller));
        return { transfer, folder: deps.downloadsDir };
      },
      'files.cancelTransfer': ({ id }, { caller }) => transfers.cancel(id, caller.id),
      'files.clearTransfers': (_input, { caller }) => {
        transfers.clearFinished(caller.id);
        return { ok: true as const };
      },
    },
    streams: {
      'files.transfers': (_params, emit, { caller }) => {
        emit({ snapshot: true, transfers: transfers.list(caller.id) });
        return transfers.onChange((changed, owner) => {
          if (owner === caller.id) emit({ snapshot: false, transfers: changed });
        });
      },
    },
  };
}
