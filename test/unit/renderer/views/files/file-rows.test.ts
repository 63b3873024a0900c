// The file browser's pure parts: order, hidden files, names made visible, modes, the path bar.
import type { FileEntry } from '../../../../../common/schemas/files';
import {
  clickSelection,
  crumbs,
  NO_SELECTION,
  nameIsTricky,
  nameProblem,
  octal,
  parentPath,
  parseOctal,
  selectOnly,
  sortEntries,
  visibleName,
} from '../../../../../renderer/src/views/files/file-rows';

const entry = (name: string, fields: Partial<FileEntry> = {}): FileEntry => ({
  name,
  path: `/d/${name}`,
  type: 'file',
  target: null,
  targetType: null,
  size: 0,
  mode: 0o644,
  modeText: '-rw-r--r--',
  uid: 1000,
  gid: 1000,
  owner: 'alice',
  group: 'staff',
  mtime: 0,
  ...fields,
});

describe('file rows', () => {
  const entries = [
    entry('b.txt', { size: 10, mtime: 3 }),
    entry('.hidden', { size: 99 }),
    entry('A.txt', { size: 300, mtime: 1 }),
    entry('zdir', { type: 'dir' }),
    entry('link-to-dir', { type: 'link', targetType: 'dir' }),
    entry('file10'),
    entry('file9'),
  ];

  it('puts folders (and links to them) first, sorts names naturally, and hides dotfiles unless asked', () => {
    expect(sortEntries(entries, { key: 'name', descending: false }, false).map((e) => e.name)).toEqual([
      'link-to-dir',
      'zdir',
      'A.txt',
      'b.txt',
      'file9',
      'file10',
    ]);
    expect(sortEntries(entries, { key: 'name', descending: false }, true).map((e) => e.name)).toContain(
      '.hidden',
    );
  });

  it('sorts by size and time either way, folders still first', () => {
    expect(
      sortEntries(entries, { key: 'size', descending: true }, false)
        .map((e) => e.name)
        .slice(0, 4),
    ).toEqual(['link-to-dir', 'zdir', 'A.txt', 'b.txt']);
    expect(
      sortEntries(entries, { key: 'mtime', descending: false }, false)
        .map((e) => e.name)
        .slice(2, 4),
    ).toEqual(['file9', 'file10']);
  });

  it('shows control characters as symbols and flags names that need a second look', () => {
    expect(visibleName('line\nbreak')).toBe('line↵break');
    expect(visibleName('tab\there\x1b')).toBe('tab⇥here\\x1b');
    expect(visibleName('-rf')).toBe('-rf');
    expect(nameIsTricky('line\nbreak')).toBe(true);
    expect(nameIsTricky(' padded ')).toBe(true);
    expect(nameIsTricky('$(touch x)')).toBe(false);
  });

  it('reads and writes modes in octal', () => {
    expect(octal(0o4755)).toBe('4755');
    expect(octal(0o644)).toBe('0644');
    expect(parseOctal('644')).toBe(0o644);
    expect(parseOctal('0755')).toBe(0o755);
    expect(parseOctal('888')).toBeUndefined();
    expect(parseOctal('7')).toBeUndefined();
  });

  it('splits a path for the path bar and finds parents', () => {
    expect(crumbs('/var/log/nginx').map((c) => [c.label, c.path])).toEqual([
      ['/', '/'],
      ['var', '/var'],
      ['log', '/var/log'],
      ['nginx', '/var/log/nginx'],
    ]);
    expect(crumbs('/')).toEqual([{ label: '/', path: '/' }]);
    expect(parentPath('/var/log/')).toBe('/var');
    expect(parentPath('/var')).toBe('/');
  });

  it('says why a typed name cannot be used', () => {
    expect(nameProblem('')).toBe('Enter a name.');
    expect(nameProblem('a/b')).toMatch(/"\/"/);
    expect(nameProblem('..')).toMatch(/not names/);
    expect(nameProblem('é'.repeat(128))).toMatch(/255 bytes/);
    expect(nameProblem('-rf "quoted"')).toBeUndefined();
  });
});

describe('clickSelection', () => {
  const rows = ['a', 'b', 'c', 'd', 'e'];
  const names = (s: { names: ReadonlySet<string> }) => [...s.names].sort();
  const plain = { toggle: false, range: false };

  it('selects the clicked row alone', () => {
    expect(names(clickSelection(rows, { names: new Set(['a', 'b']), anchor: 'a' }, 'd', plain))).toEqual([
      'd',
    ]);
  });

  it('adds and takes out with Ctrl or ⌘, moving the anchor', () => {
    const one = clickSelection(rows, selectOnly('b'), 'd', { toggle: true, range: false });
    expect(names(one)).toEqual(['b', 'd']);
    expect(one.anchor).toBe('d');
    expect(names(clickSelection(rows, one, 'b', { toggle: true, range: false }))).toEqual(['d']);
  });

  it('selects the range from the anchor with Shift, either way, keeping the anchor', () => {
    const down = clickSelection(rows, selectOnly('b'), 'd', { toggle: false, range: true });
    expect(names(down)).toEqual(['b', 'c', 'd']);
    expect(down.anchor).toBe('b');
    // A second Shift-click measures from the same anchor: the range shrinks or flips.
    expect(names(clickSelection(rows, down, 'a', { toggle: false, range: true }))).toEqual(['a', 'b']);
  });

  it('adds a range to the rest with Shift and Ctrl', () => {
    const kept = { names: new Set(['e', 'b']), anchor: 'b' };
    expect(names(clickSelection(rows, kept, 'c', { toggle: true, range: true }))).toEqual(['b', 'c', 'e']);
  });

  it('treats Shift without an anchor (or one no longer shown) as a plain click', () => {
    expect(names(clickSelection(rows, NO_SELECTION, 'c', { toggle: false, range: true }))).toEqual(['c']);
    expect(names(clickSelection(rows, selectOnly('gone'), 'c', { toggle: false, range: true }))).toEqual([
      'c',
    ]);
  });
});
