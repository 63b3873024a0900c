// Files and folders of this computer picked for an upload in the desktop window. The paths come from
// the shell's own file dialog (main/electron), never from the page: the page sees their names and
// sizes, and uploads them under a token that is bound to who picked, used once and short-lived.
import { randomBytes } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApiError } from '../../../common/errors';

/** The desktop shell's file dialog: the paths the person chose, none if they cancelled. */
export interface LocalFilePicker {
  pick(kind: 'files' | 'folder'): Promise<string[]>;
}

export interface PickedItem {
  name: string;
  kind: 'file' | 'dir';
  /** Bytes (for a folder, of every file in it). */
  size: number;
}

/** An unused pick expires after this long. */
const PICK_TTL_MS = 10 * 60_000;

interface Pick {
  owner: string;
  paths: string[];
  expires: ReturnType<typeof setTimeout>;
}

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export class LocalPicks {
  private readonly picks = new Map<string, Pick>();

  constructor(private readonly picker: LocalFilePicker | undefined) {}

  /** Opens the dialog; null when the person cancelled it. Links and special files are not offered. */
  async pick(kind: 'files' | 'folder', owner: string): Promise<{ pick: string; items: PickedItem[] } | null> {
    if (!this.picker) {
      throw new ApiError('unavailable', 'Choosing files of this computer needs the desktop window.');
    }
    const chosen = await this.picker.pick(kind);
    const paths: string[] = [];
    const items: PickedItem[] = [];
    for (const path of chosen) {
      const info = await lstat(path).catch(() => undefined);
      if (!info || !(info.isFile() || info.isDirectory())) continue;
      paths.push(path);
      items.push({
        name: basename(path),
        kind: info.isDirectory() ? 'dir' : 'file',
        size: info.isDirectory() ? await sizeOf(path) : info.size,
      });
    }
    if (paths.length === 0) return null;
    const pick = randomBytes(24).toString('base64url');
    const expires = setTimeout(() => this.picks.delete(pick), PICK_TTL_MS);
    expires.unref?.();
    this.picks.set(pick, { owner, paths, expires });
    return { pick, items };
  }

  /** The paths of a pick, once, for the one who made it. */
  take(pick: string, owner: string): string[] {
    const entry = this.picks.get(pick);
    if (!entry || entry.owner !== owner) {
      throw new ApiError(
        'not_found',
        'These files were already uploaded or chosen too long ago: choose them again.',
      );
    }
    this.picks.delete(pick);
    clearTimeout(entry.expires);
    return entry.paths;
  }
}
