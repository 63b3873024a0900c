// The file browser's pure parts: sorting and hiding entries, names shown safely (a newline or a
// control character is made visible, never interpreted), permission bits to and from rwx and octal,
// and the path bar's pieces.
import type { FileEntry } from '../../../../common/schemas/files';

export type SortKey = 'name' | 'size' | 'owner' | 'mode' | 'mtime';
export interface FileSort {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Folders (and links to folders) first, then by the key; names break ties. */
export function sortEntries(entries: readonly FileEntry[], sort: FileSort, showHidden: boolean): FileEntry[] {
  const visible = showHidden ? [...entries] : entries.filter((e) => !e.name.startsWith('.'));
  const dirFirst = (e: FileEntry) => (isFolder(e) ? 0 : 1);
  const value = (a: FileEntry, b: FileEntry): number => {
    switch (sort.key) {
      case 'size':
        return a.size - b.size;
      case 'owner':
        return collator.compare(a.owner ?? String(a.uid), b.owner ?? String(b.uid));
      case 'mode':
        return a.mode - b.mode;
      case 'mtime':
        return a.mtime - b.mtime;
      case 'name':
        return collator.compare(a.name, b.name);
    }
  };
  return visible.sort((a, b) => {
    const group = dirFirst(a) - dirFirst(b);
    if (group !== 0) return group;
    const order = value(a, b) * (sort.descending ? -1 : 1);
    return order !== 0 ? order : collator.compare(a.name, b.name);
  });
}

export function isFolder(e: FileEntry): boolean {
  return e.type === 'dir' || (e.type === 'link' && e.targetType === 'dir');
}

/**
 * A name as text that shows every character: a newline as ↵, a tab as ⇥, other control characters
 * as \xNN (symbols that common fonts have, so nothing is drawn as an empty box).
 */
export function visibleName(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a) out += '↵';
    else if (code === 0x09) out += '⇥';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** True when the name needs a second look (control characters, or spaces at either end). */
export function nameIsTricky(name: string): boolean {
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return /^\s|\s$/.test(name);
}

export const PERMISSION_BITS = [
  { mask: 0o400, who: 'owner', what: 'read' },
  { mask: 0o200, who: 'owner', what: 'write' },
  { mask: 0o100, who: 'owner', what: 'execute' },
  { mask: 0o040, who: 'group', what: 'read' },
  { mask: 0o020, who: 'group', what: 'write' },
  { mask: 0o010, who: 'group', what: 'execute' },
  { mask: 0o004, who: 'others', what: 'read' },
  { mask: 0o002, who: 'others', what: 'write' },
  { mask: 0o001, who: 'others', what: 'execute' },
] as const;

export const SPECIAL_BITS = [
  { mask: 0o4000, label: 'setuid' },
  { mask: 0o2000, label: 'setgid' },
  { mask: 0o1000, label: 'sticky' },
] as const;

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** "644", "0755", "4755" → the bits; undefined for anything else. */
export function parseOctal(text: string): number | undefined {
  const t = text.trim();
  if (!/^[0-7]{3,4}$/.test(t)) return undefined;
  return parseInt(t, 8);
}

export interface Crumb {
  label: string;
  path: string;
}

/** "/var/log/nginx" → /, var, log, nginx with the path of each. */
export function crumbs(path: string): Crumb[] {
  const parts = path.split('/').filter(Boolean);
  const out: Crumb[] = [{ label: '/', path: '/' }];
  let at = '';
  for (const part of parts) {
    at += `/${part}`;
    out.push({ label: visibleName(part), path: at });
  }
  return out;
}

export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** A name the person typed for a new folder or a rename: a sentence when it cannot be one. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name.';
  if (name.includes('/')) return 'A name cannot contain "/".';
  if (name.includes('\0')) return 'A name cannot contain a NUL character.';
  if (name === '.' || name === '..') return '"." and ".." are not names.';
  if (new TextEncoder().encode(name).length > 255) return 'A name has at most 255 bytes.';
  return undefined;
}

/** Which entries are selected, and the one the last click or arrow key was on (ranges start there). */
export interface Selection {
  names: ReadonlySet<string>;
  anchor: string | undefined;
}

export const NO_SELECTION: Selection = { names: new Set(), anchor: undefined };

export function selectOnly(name: string): Selection {
  return { names: new Set([name]), anchor: name };
}

/**
 * The selection after a click on `name` (rows in the order shown): alone; with Ctrl or ⌘ added or
 * taken out; with Shift every row from the anchor to it (added to the rest with Ctrl or ⌘ too).
 */
export function clickSelection(
  rows: readonly string[],
  current: Selection,
  name: string,
  keys: { toggle: boolean; range: boolean },
): Selection {
  if (keys.range && current.anchor !== undefined && rows.includes(current.anchor)) {
    const [from, to] = [rows.indexOf(current.anchor), rows.indexOf(name)].sort((a, b) => a - b);
    const range = rows.slice(from, to! + 1);
    const names = keys.toggle ? new Set([...current.names, ...range]) : new Set(range);
    return { names, anchor: current.anchor };
  }
  if (keys.toggle) {
    const names = new Set(current.names);
    if (names.has(name)) names.delete(name);
    else names.add(name);
    return { names, anchor: name };
  }
  return selectOnly(name);
}
