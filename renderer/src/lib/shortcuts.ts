// The keyboard shortcuts (UI.md 22), in one table: the "?" help lists exactly what the handler
// does. Pure: matching a key event to a command, with "g" sequences.

export type ShortcutCommand =
  | { kind: 'palette' }
  | { kind: 'help' }
  | { kind: 'page'; id: string }
  | { kind: 'host-tab'; index: number }
  | { kind: 'live' }
  | { kind: 'pause-toggle' }
  | { kind: 'range-step'; direction: -1 | 1 }
  | { kind: 'pan'; direction: -1 | 1 }
  | { kind: 'zoom-out' }
  | { kind: 'zone-cycle' }
  | { kind: 'crosshair-toggle' }
  | { kind: 'host-step'; direction: -1 | 1 };

export interface ShortcutHelp {
  keys: string[];
  description: string;
}

export interface ShortcutGroup {
  title: string;
  items: ShortcutHelp[];
}

/** The help, grouped; `pages` are the rail pages that have a key, `tabs` the host tabs in order. */
export function shortcutHelp(
  pages: readonly { key?: string | undefined; label: string }[],
  tabs: readonly { label: string }[],
): ShortcutGroup[] {
  return [
    {
      title: 'Anywhere',
      items: [
        { keys: ['Ctrl', 'K'], description: 'Command palette: hosts, pages, actions (⌘K on a Mac)' },
        { keys: ['?'], description: 'This list of shortcuts' },
        { keys: ['Esc'], description: 'Close a dialog or the palette; release a selection' },
      ],
    },
    {
      title: 'Go to',
      items: [
        ...pages.filter((p) => p.key).map((p) => ({ keys: ['g', p.key!], description: p.label })),
        { keys: ['Shift', 'J'], description: 'Next host in the list on the left' },
        { keys: ['Shift', 'K'], description: 'Previous host' },
        ...tabs.slice(0, 10).map((t, i) => ({
          keys: [String((i + 1) % 10)],
          description: `${t.label} tab of the host on screen`,
        })),
      ],
    },
    {
      title: 'Time range (host views)',
      items: [
        { keys: ['l'], description: 'Live' },
        { keys: ['p'], description: 'Pause live, or resume it' },
        { keys: [','], description: 'Shorter range (live, 5m, 15m, 1h … 30d)' },
        { keys: ['.'], description: 'Longer range' },
        { keys: ['['], description: 'Earlier by half the span (pauses live)' },
        { keys: [']'], description: 'Later by half the span' },
        { keys: ['-'], description: 'Zoom out: twice the span' },
        { keys: ['z'], description: 'Times in: local → host → UTC' },
        { keys: ['x'], description: 'Crosshair across charts on or off' },
        { keys: ['drag'], description: 'Across a chart: zoom into that span (pauses live)' },
        { keys: ['double-click'], description: 'On a chart: back to live' },
      ],
    },
    {
      title: 'Fleet',
      items: [
        { keys: ['j'], description: 'Next host row (or ↓)' },
        { keys: ['k'], description: 'Previous host row (or ↑)' },
        { keys: ['Enter'], description: 'Open the selected host' },
        { keys: ['/'], description: 'Filter by name, address or tag' },
      ],
    },
    {
      title: 'Tabs and lists',
      items: [
        { keys: ['←', '→'], description: 'Previous / next tab, when the tab bar has focus' },
        { keys: ['Home', 'End'], description: 'First / last tab' },
      ],
    },
  ];
}

/** What a key event means: a text field's keys are the user's text, so only Ctrl+K works there. */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** The event came from a text field, select or editable element. */
  editable: boolean;
}

export interface Matcher {
  /** The command, if any; `pending` when a "g" is waiting for its second key. */
  match(input: KeyInput, now: number): ShortcutCommand | 'pending' | undefined;
}

const SEQUENCE_MS = 1500;

export function createMatcher(pageKeys: ReadonlyMap<string, string>): Matcher {
  let gAt: number | undefined;
  return {
    match(input, now) {
      const { key } = input;
      if ((input.ctrlKey || input.metaKey) && !input.altKey && key.toLowerCase() === 'k')
        return { kind: 'palette' };
      if (input.editable || input.ctrlKey || input.metaKey || input.altKey) {
        gAt = undefined;
        return undefined;
      }
      if (gAt !== undefined && now - gAt <= SEQUENCE_MS) {
        gAt = undefined;
        const id = pageKeys.get(key);
        return id ? { kind: 'page', id } : undefined;
      }
      gAt = undefined;
      if (input.shiftKey && (key === 'J' || key === 'K'))
        return { kind: 'host-step', direction: key === 'J' ? 1 : -1 };
      switch (key) {
        case 'g':
          gAt = now;
          return 'pending';
        case '?':
          return { kind: 'help' };
        case 'l':
          return { kind: 'live' };
        case 'p':
          return { kind: 'pause-toggle' };
        case ',':
          return { kind: 'range-step', direction: -1 };
        case '.':
          return { kind: 'range-step', direction: 1 };
        case '[':
          return { kind: 'pan', direction: -1 };
        case ']':
          return { kind: 'pan', direction: 1 };
        case '-':
          return { kind: 'zoom-out' };
        case 'z':
          return { kind: 'zone-cycle' };
        case 'x':
          return { kind: 'crosshair-toggle' };
        default:
          if (/^[0-9]$/.test(key)) return { kind: 'host-tab', index: key === '0' ? 9 : Number(key) - 1 };
          return undefined;
      }
    },
  };
}

/** Whether a key event's target takes text (so letters are not shortcuts there). */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  if (target.closest('.xterm')) return true;
  return (
    target instanceof HTMLInputElement &&
    !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type)
  );
}
