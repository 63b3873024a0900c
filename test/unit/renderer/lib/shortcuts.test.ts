// Keys to commands: sequences, digits for host tabs, nothing typed into a text field is a shortcut
// except Ctrl+K; and the palette's matching.
import { describe, expect, it } from 'vitest';
import { createMatcher, shortcutHelp, type KeyInput } from '../../../../renderer/src/lib/shortcuts';
import { fuzzyFilter, fuzzyScore } from '../../../../renderer/src/lib/fuzzy';

const key = (k: string, over: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  editable: false,
  ...over,
});

describe('createMatcher', () => {
  const pages = new Map([
    ['f', 'fleet'],
    ['s', 'settings'],
  ]);

  it('opens the palette with Ctrl+K or ⌘K, even from a text field', () => {
    const m = createMatcher(pages);
    expect(m.match(key('k', { ctrlKey: true }), 0)).toEqual({ kind: 'palette' });
    expect(m.match(key('K', { metaKey: true, editable: true }), 0)).toEqual({ kind: 'palette' });
  });

  it('goes to pages with "g" then a letter, within a second and a half', () => {
    const m = createMatcher(pages);
    expect(m.match(key('g'), 0)).toBe('pending');
    expect(m.match(key('s'), 500)).toEqual({ kind: 'page', id: 'settings' });
    expect(m.match(key('g'), 1000)).toBe('pending');
    // Too late: "f" alone means nothing.
    expect(m.match(key('f'), 3000)).toBeUndefined();
    expect(m.match(key('g'), 4000)).toBe('pending');
    expect(m.match(key('q'), 4100)).toBeUndefined();
  });

  it('maps time keys, digits to host tabs (0 is the tenth) and Shift+J/K to hosts', () => {
    const m = createMatcher(pages);
    expect(m.match(key('p'), 0)).toEqual({ kind: 'pause-toggle' });
    expect(m.match(key('l'), 0)).toEqual({ kind: 'live' });
    expect(m.match(key(','), 0)).toEqual({ kind: 'range-step', direction: -1 });
    expect(m.match(key(']'), 0)).toEqual({ kind: 'pan', direction: 1 });
    expect(m.match(key('z'), 0)).toEqual({ kind: 'zone-cycle' });
    expect(m.match(key('3'), 0)).toEqual({ kind: 'host-tab', index: 2 });
    expect(m.match(key('0'), 0)).toEqual({ kind: 'host-tab', index: 9 });
    expect(m.match(key('J', { shiftKey: true }), 0)).toEqual({ kind: 'host-step', direction: 1 });
    expect(m.match(key('?', { shiftKey: true }), 0)).toEqual({ kind: 'help' });
  });

  it('leaves text fields and modified keys alone', () => {
    const m = createMatcher(pages);
    expect(m.match(key('p', { editable: true }), 0)).toBeUndefined();
    expect(m.match(key('g', { editable: true }), 0)).toBeUndefined();
    expect(m.match(key('1', { altKey: true }), 0)).toBeUndefined();
    expect(m.match(key('l', { ctrlKey: true }), 0)).toBeUndefined();
  });
});

describe('shortcutHelp', () => {
  it('lists the page keys and the registered host tabs by digit', () => {
    const groups = shortcutHelp(
      [{ key: 'f', label: 'Fleet' }, { label: 'No key' }],
      [{ label: 'Overview' }, { label: 'CPU' }],
    );
    const go = groups.find((g) => g.title === 'Go to')!;
    expect(go.items.map((i) => i.keys.join(' '))).toEqual(['g f', 'Shift J', 'Shift K', '1', '2']);
    expect(groups.flatMap((g) => g.items).find((i) => i.keys.join('+') === 'Ctrl+K')).toBeTruthy();
  });
});

describe('fuzzy matching', () => {
  it('matches words in any order, letters in order, and ranks starts first', () => {
    expect(fuzzyScore('web', 'web1 Hosts')).toBeGreaterThan(fuzzyScore('web', 'cobweb Hosts')!);
    expect(fuzzyScore('wb1', 'web1')).toBeDefined();
    expect(fuzzyScore('1bw', 'web1')).toBeUndefined();
    expect(fuzzyScore('cpu db', 'db1 › CPU')).toBeDefined();
    const items = ['Settings', 'db1 › Disks', 'Disks', 'Fleet'];
    expect(fuzzyFilter(items, 'disk', (s) => s)).toEqual(['Disks', 'db1 › Disks']);
    expect(fuzzyFilter(items, '', (s) => s, 2)).toEqual(['Settings', 'db1 › Disks']);
  });
});
