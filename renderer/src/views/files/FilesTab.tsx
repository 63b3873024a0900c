// The Files tab of a host (SFTP): a path bar, the folder's entries with size, owner, mode and time,
// sorting, hidden files on request, uploads by picking or dropping files and folders (with an
// overwrite prompt), downloads, new folder, rename, change mode, delete, a text viewer, and the
// transfer queue. Names are data: every operation is an SFTP request, never a shell line.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { Conflict, DirectoryListing, FileEntry, Transfer } from '../../../../common/schemas/files';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { formatBytes } from '../../lib/format';
import type { ToolTabProps } from '../host/host-tab-registry';
import { ChmodDialog, ConflictDialog, DeleteDialog, NameDialog } from './FileDialogs';
import { FileIcon } from './FileIcon';
import { FileViewer } from './FileViewer';
import {
  clickSelection,
  crumbs,
  isFolder,
  joinPath,
  nameIsTricky,
  octal,
  NO_SELECTION,
  parentPath,
  selectOnly,
  sortEntries,
  visibleName,
  type FileSort,
  type Selection,
  type SortKey,
} from './file-rows';
import {
  fromDrop,
  fromFileList,
  startDownload,
  startUpload,
  topNames,
  type Picked,
  type UploadHandle,
} from './file-transfers';
import { TransferQueue, useTransfers } from './TransferQueue';
import './files.css';

type DialogState =
  | { kind: 'none' }
  | { kind: 'mkdir' }
  | { kind: 'rename'; entry: FileEntry }
  | { kind: 'chmod'; entry: FileEntry }
  | { kind: 'delete'; entries: FileEntry[] }
  | { kind: 'view'; entry: FileEntry }
  | {
      kind: 'conflicts';
      dir: string;
      conflicts: Conflict[];
      /** Goes on with the upload, told what to replace and what to leave out. */
      proceed: (replace: Set<string>, skip: Set<string>) => void;
    };

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size', num: true },
  { key: 'owner', label: 'Owner' },
  { key: 'mode', label: 'Mode' },
  { key: 'mtime', label: 'Modified', num: true },
];

const lastPathKey = (host: string) => `hyperion.files.${host}`;

function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function FilesTab({ hostId, host, status }: ToolTabProps) {
  const client = useClient();
  const mode = typeof window !== 'undefined' && window.hyperion ? 'desktop' : 'browser';
  const [path, setPath] = useState<string>();
  const [listing, setListing] = useState<DirectoryListing>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [sort, setSort] = useState<FileSort>({ key: 'name', descending: false });
  const [showHidden, setShowHidden] = useState(false);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const setSelected = (name: string) => setSelection(selectOnly(name));
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const [editingPath, setEditingPath] = useState(false);
  const [pathText, setPathText] = useState('');
  const [dragging, setDragging] = useState(false);
  const transfers = useTransfers();
  const uploads = useRef(new Map<string, UploadHandle>());
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLDivElement>(null);
  const hostName = host?.name ?? hostId;

  const latest = useRef(0);
  const load = useCallback(
    async (target: string, keepSelection = false) => {
      // Only the newest navigation lands: a slow earlier listing must not replace it.
      const request = ++latest.current;
      setLoading(true);
      setError(undefined);
      try {
        const result = await client.call('files.list', { host: hostId, path: target });
        if (request !== latest.current) return;
        setListing(result);
        setPath(result.path);
        if (!keepSelection) setSelection(NO_SELECTION);
        try {
          window.localStorage.setItem(lastPathKey(hostId), result.path);
        } catch {
          // Private mode: the next visit starts at home.
        }
      } catch (err) {
        if (request === latest.current) setError((err as Error).message);
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [client, hostId],
  );

  // Where the last visit was, else the login user's home folder.
  useOnConnected(
    useCallback(
      (c) => {
        if (hostId === 'local') return;
        let last: string | null = null;
        try {
          last = window.localStorage.getItem(lastPathKey(hostId));
        } catch {
          last = null;
        }
        if (last) void load(last, true);
        else
          void c.call('files.home', { host: hostId }).then(
            (home) => load(home.path),
            (err: Error) => setError(err.message),
          );
      },
      [hostId, load],
    ),
  );

  // A finished upload into the folder shown changes it: list it again.
  const finishedHere = transfers.filter(
    (t) => t.direction === 'upload' && t.finishedAt !== null && t.remotePath === path,
  ).length;
  useEffect(() => {
    if (finishedHere > 0 && path) void load(path, true);
  }, [finishedHere]); // eslint-disable-line react-hooks/exhaustive-deps

  const rows = useMemo(
    () => (listing ? sortEntries(listing.entries, sort, showHidden) : []),
    [listing, sort, showHidden],
  );
  const hiddenCount = listing ? listing.entries.filter((e) => e.name.startsWith('.')).length : 0;
  // In the order shown; the single-item actions (view, rename, permissions) need exactly one.
  const selectedEntries = rows.filter((e) => selection.names.has(e.name));
  const selectedEntry = selectedEntries.length === 1 ? selectedEntries[0] : undefined;

  if (hostId === 'local') {
    return (
      <EmptyState title="Files are for SSH hosts">
        The file browser works over SFTP on saved SSH hosts. This computer’s files are in your own file
        manager.
      </EmptyState>
    );
  }

  const open = (entry: FileEntry) => {
    if (isFolder(entry)) void load(entry.path);
    else if (entry.type === 'file' || entry.type === 'link') setDialog({ kind: 'view', entry });
  };

  const download = async (entries: FileEntry[]) => {
    setNotice(undefined);
    const first = entries[0];
    if (!first) return;
    const what = entries.length === 1 ? visibleName(first.name) : `${entries.length} items`;
    try {
      if (mode === 'desktop') {
        // The desktop window saves straight into Downloads: a folder stays a folder, no .tar.
        const { folder } = await client.call('files.downloadToFolder', {
          host: hostId,
          paths: entries.map((e) => e.path),
        });
        setNotice(`${what} ${entries.length === 1 ? 'is' : 'are'} downloading into ${folder}.`);
        return;
      }
      const { filename } = await startDownload(
        client,
        hostId,
        entries.map((e) => e.path),
      );
      setNotice(
        entries.length === 1 && !isFolder(first)
          ? `${what} is downloading: your browser saves it.`
          : `${what} ${entries.length === 1 ? 'downloads' : 'download'} as ${visibleName(filename)} (streamed as it is read).`,
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const upload = async (picked: Picked, dir: string, replace: Set<string>, skip: Set<string>) => {
    const kept: Picked = {
      files: picked.files.filter((f) => !skip.has(f.path.split('/')[0]!)),
      dirs: picked.dirs.filter((d) => !skip.has(d.split('/')[0]!)),
    };
    if (kept.files.length === 0 && kept.dirs.length === 0) return;
    try {
      const handle = await startUpload(client, mode, hostId, dir, kept, replace);
      uploads.current.set(handle.transfer.id, handle);
      handle.done.then(
        () => uploads.current.delete(handle.transfer.id),
        () => uploads.current.delete(handle.transfer.id),
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };

  /**
   * The desktop window: the shell's own file dialog chooses, and the core reads the files from disk
   * (no bytes through the page); the same question before anything is replaced.
   */
  const uploadFromDisk = async (kind: 'files' | 'folder') => {
    if (!path) return;
    setError(undefined);
    const dir = path;
    try {
      const picked = await client.call('files.pickLocal', { kind });
      if (!picked) return;
      const go = async (replace: Set<string>, skip: Set<string>) => {
        if (picked.items.every((i) => skip.has(i.name))) return;
        try {
          await client.call('files.uploadPicked', {
            host: hostId,
            dir,
            pick: picked.pick,
            replace: [...replace],
            skip: [...skip],
          });
        } catch (err) {
          setError((err as Error).message);
        }
      };
      const conflicts = await client.call('files.conflicts', {
        host: hostId,
        dir,
        names: picked.items.map((i) => i.name),
      });
      if (conflicts.length > 0) {
        setDialog({ kind: 'conflicts', dir, conflicts, proceed: (replace, skip) => void go(replace, skip) });
      } else await go(new Set(), new Set());
    } catch (err) {
      setError((err as Error).message);
    }
  };

  /** Asks before overwriting anything; then uploads into the folder shown. */
  const offer = async (picked: Picked) => {
    if (!path || (picked.files.length === 0 && picked.dirs.length === 0)) return;
    setError(undefined);
    try {
      const conflicts = await client.call('files.conflicts', {
        host: hostId,
        dir: path,
        names: topNames(picked),
      });
      const dir = path;
      if (conflicts.length > 0) {
        setDialog({
          kind: 'conflicts',
          dir,
          conflicts,
          proceed: (replace, skip) => void upload(picked, dir, replace, skip),
        });
      } else await upload(picked, dir, new Set(), new Set());
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const cancel = (t: Transfer) => {
    uploads.current.get(t.id)?.abort();
    void client.call('files.cancelTransfer', { id: t.id }).catch((err: Error) => setError(err.message));
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    try {
      await offer(await fromDrop(event.dataTransfer));
    } catch (err) {
      setError(`The dropped files could not be read: ${(err as Error).message}`);
    }
  };

  const onTableKey = (event: KeyboardEvent) => {
    const index = rows.findIndex((e) => e.name === selection.anchor);
    const move = (i: number) => {
      const entry = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (entry) setSelected(entry.name);
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index <= 0 ? 0 : index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(rows.length - 1);
    else if (event.key === 'Enter' && selectedEntry) open(selectedEntry);
    else if (event.key === 'Backspace' && path) void load(parentPath(path));
    else if (event.key === 'Delete' && selectedEntries.length > 0)
      setDialog({ kind: 'delete', entries: selectedEntries });
    else if (event.key === 'a' && (event.ctrlKey || event.metaKey))
      setSelection({ names: new Set(rows.map((e) => e.name)), anchor: selection.anchor });
    else if (event.key === 'Escape' && selection.names.size > 0) setSelection(NO_SELECTION);
    else if (event.key === 'F2' && selectedEntry) setDialog({ kind: 'rename', entry: selectedEntry });
    else return;
    event.preventDefault();
  };

  const sortBy = (key: SortKey) =>
    setSort((s) =>
      s.key === key
        ? { key, descending: !s.descending }
        : { key, descending: key === 'size' || key === 'mtime' },
    );

  const connected = status?.state === 'up';

  return (
    <div
      className={`files-tab${dragging ? ' dragging' : ''}`}
      data-testid="files-tab"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="files-bar">
        <button
          type="button"
          onClick={() => path && void load(parentPath(path))}
          disabled={!path || path === '/'}
          title="Up one folder (Backspace)"
          aria-label="Up one folder"
        >
          ↑
        </button>
        <button
          type="button"
          onClick={() =>
            void client.call('files.home', { host: hostId }).then(
              (h) => load(h.path),
              (err: Error) => setError(err.message),
            )
          }
          title="Home folder"
          aria-label="Home folder"
        >
          ⌂
        </button>
        {editingPath ? (
          <form
            className="path-form"
            onSubmit={(e) => {
              e.preventDefault();
              setEditingPath(false);
              void load(pathText.trim() || '/');
            }}
          >
            <input
              className="path-input"
              aria-label="Path"
              autoFocus
              value={pathText}
              onChange={(e) => setPathText(e.target.value)}
              onBlur={() => setEditingPath(false)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditingPath(false);
              }}
              spellCheck={false}
              data-testid="path-input"
            />
          </form>
        ) : (
          <nav
            className="path-bar"
            aria-label="Path"
            data-testid="path-bar"
            onDoubleClick={() => {
              setPathText(path ?? '/');
              setEditingPath(true);
            }}
          >
            {(path ? crumbs(path) : []).map((c, i, all) => (
              <span key={c.path}>
                <button
                  type="button"
                  className="crumb"
                  onClick={() => void load(c.path)}
                  aria-current={i === all.length - 1 ? 'location' : undefined}
                >
                  {c.label}
                </button>
                {i > 0 && i < all.length - 1 && <span className="crumb-sep">/</span>}
              </span>
            ))}
            <button
              type="button"
              className="crumb-edit"
              onClick={() => {
                setPathText(path ?? '/');
                setEditingPath(true);
              }}
              title="Type a path"
              aria-label="Type a path"
              data-testid="edit-path"
            >
              ✎
            </button>
          </nav>
        )}
        <button
          type="button"
          onClick={() => path && void load(path, true)}
          disabled={!path || loading}
          title="List again"
          aria-label="Refresh"
        >
          ⟳
        </button>
      </div>
      <div className="files-actions">
        <button
          type="button"
          onClick={() => setDialog({ kind: 'mkdir' })}
          disabled={!path}
          data-testid="new-folder"
        >
          New folder
        </button>
        <button
          type="button"
          onClick={() => (mode === 'desktop' ? void uploadFromDisk('files') : fileInput.current?.click())}
          disabled={!path}
          data-testid="upload-files"
        >
          Upload files…
        </button>
        <button
          type="button"
          onClick={() => (mode === 'desktop' ? void uploadFromDisk('folder') : folderInput.current?.click())}
          disabled={!path}
          data-testid="upload-folder"
        >
          Upload folder…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) void offer(fromFileList(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          data-testid="folder-input"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            if (e.target.files) void offer(fromFileList(e.target.files));
            e.target.value = '';
          }}
        />
        <span className="files-selection">
          {selectedEntries.length > 1 && (
            <span className="muted small" data-testid="selection-count">
              {selectedEntries.length} selected
            </span>
          )}
          {selectedEntry && !isFolder(selectedEntry) && selectedEntry.type !== 'other' && (
            <button type="button" onClick={() => setDialog({ kind: 'view', entry: selectedEntry })}>
              View
            </button>
          )}
          {selectedEntries.length > 0 && (
            <button type="button" onClick={() => void download(selectedEntries)} data-testid="download">
              Download
              {mode === 'browser' &&
              (selectedEntries.length > 1 || (selectedEntry && isFolder(selectedEntry)))
                ? ' (.tar)'
                : ''}
            </button>
          )}
          {selectedEntry && (
            <>
              <button
                type="button"
                onClick={() => setDialog({ kind: 'rename', entry: selectedEntry })}
                data-testid="rename"
              >
                Rename
              </button>
              <button
                type="button"
                onClick={() => setDialog({ kind: 'chmod', entry: selectedEntry })}
                data-testid="chmod"
              >
                Permissions
              </button>
            </>
          )}
          {selectedEntries.length > 0 && (
            <button
              type="button"
              className="danger"
              onClick={() => setDialog({ kind: 'delete', entries: selectedEntries })}
              data-testid="delete"
            >
              Delete
            </button>
          )}
        </span>
        <label className="small files-hidden">
          <input
            type="checkbox"
            checked={showHidden}
            onChange={(e) => setShowHidden(e.target.checked)}
            data-testid="show-hidden"
          />{' '}
          Hidden files
          {hiddenCount > 0 && !showHidden ? ` (${hiddenCount})` : ''}
        </label>
      </div>
      {!connected && status && (
        <p className="muted small" role="status">
          {status.message}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="files-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="muted small" role="status">
          {notice}
        </p>
      )}
      <div
        className="files-table-wrap"
        ref={table}
        tabIndex={0}
        onKeyDown={onTableKey}
        aria-busy={loading}
        data-testid="files-table"
      >
        <table className="files-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={c.num ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="th-button" onClick={() => sortBy(c.key)}>
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr
                key={e.name}
                className={selection.names.has(e.name) ? 'selected' : undefined}
                aria-selected={selection.names.has(e.name)}
                onClick={(event) => {
                  setSelection(
                    clickSelection(
                      rows.map((r) => r.name),
                      selection,
                      e.name,
                      { toggle: event.ctrlKey || event.metaKey, range: event.shiftKey },
                    ),
                  );
                  table.current?.focus();
                }}
                onDoubleClick={() => open(e)}
                data-testid="file-row"
                data-name={e.name}
              >
                <td className="file-name-cell">
                  <FileIcon entry={e} />
                  <span
                    className={`file-name${nameIsTricky(e.name) ? ' tricky' : ''}`}
                    title={nameIsTricky(e.name) ? JSON.stringify(e.name) : e.name}
                  >
                    {visibleName(e.name)}
                  </span>
                  {e.type === 'link' && (
                    <span className="muted small"> → {e.target === null ? '?' : visibleName(e.target)}</span>
                  )}
                </td>
                <td className="num">{e.type === 'dir' ? '' : formatBytes(e.size)}</td>
                <td>
                  {e.owner ?? e.uid}
                  <span className="muted">:{e.group ?? e.gid}</span>
                </td>
                <td>
                  <code title={octal(e.mode)}>{e.modeText}</code>
                </td>
                <td className="num">{formatTime(e.mtime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {listing && rows.length === 0 && (
          <p className="muted files-empty">
            {listing.entries.length === 0 ? 'This folder is empty.' : 'Only hidden files here.'} Drop files or
            folders here to upload them.
          </p>
        )}
        {listing?.truncated && (
          <p className="muted small">
            Showing {listing.entries.length} of {listing.total} entries.
          </p>
        )}
        <div className="drop-hint" aria-hidden>
          Drop to upload into {path ? visibleName(path) : 'this folder'}
        </div>
      </div>
      <TransferQueue transfers={transfers.filter((t) => t.host === hostId)} onCancel={cancel} />

      {dialog.kind === 'mkdir' && path && (
        <NameDialog
          title={`New folder in ${visibleName(path)}`}
          label="Name"
          initial=""
          submit="Create"
          onClose={() => setDialog({ kind: 'none' })}
          onSubmit={async (name) => {
            const made = await client.call('files.mkdir', { host: hostId, dir: path, name });
            await load(path, true);
            setSelected(made.name);
          }}
        />
      )}
      {dialog.kind === 'rename' && path && (
        <NameDialog
          title={`Rename ${visibleName(dialog.entry.name)}`}
          label="New name"
          initial={dialog.entry.name}
          submit="Rename"
          onClose={() => setDialog({ kind: 'none' })}
          onSubmit={async (name) => {
            await client.call('files.rename', {
              host: hostId,
              from: dialog.entry.path,
              to: joinPath(path, name),
            });
            await load(path, true);
            setSelected(name);
          }}
        />
      )}
      {dialog.kind === 'chmod' && path && (
        <ChmodDialog
          entry={dialog.entry}
          onClose={() => setDialog({ kind: 'none' })}
          onSubmit={async (newMode) => {
            await client.call('files.chmod', { host: hostId, path: dialog.entry.path, mode: newMode });
            await load(path, true);
          }}
        />
      )}
      {dialog.kind === 'delete' && path && (
        <DeleteDialog
          entries={dialog.entries}
          hostName={hostName}
          onClose={() => setDialog({ kind: 'none' })}
          onSubmit={async () => {
            // One at a time, in order: a refusal stops there and says how far it got.
            let done = 0;
            try {
              for (const entry of dialog.entries) {
                await client.call('files.delete', {
                  host: hostId,
                  path: entry.path,
                  recursive: entry.type === 'dir',
                });
                done++;
              }
            } catch (err) {
              await load(path);
              throw dialog.entries.length > 1
                ? new Error(`Deleted ${done} of ${dialog.entries.length}: ${(err as Error).message}`)
                : err;
            }
            await load(path);
          }}
        />
      )}
      {dialog.kind === 'view' && (
        <FileViewer
          host={hostId}
          path={dialog.entry.path}
          onClose={() => setDialog({ kind: 'none' })}
          onDownload={() => void download([dialog.entry])}
        />
      )}
      {dialog.kind === 'conflicts' && (
        <ConflictDialog
          dir={dialog.dir}
          conflicts={dialog.conflicts}
          onClose={() => setDialog({ kind: 'none' })}
          onSubmit={(replace, skip) => {
            setDialog({ kind: 'none' });
            dialog.proceed(replace, skip);
          }}
        />
      )}
    </div>
  );
}
