// The terminal's colours come from CSS variables (terminal.css), so the dark and light themes
// cover it as they cover the rest of the window, and it follows the OS when that changes.
import type { ITheme } from '@xterm/xterm';

const ANSI = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

export function terminalTheme(element: Element): ITheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(`--term-${name}`).trim() || fallback;
  const theme: ITheme = {
    background: v('bg', '#0b0e13'),
    foreground: v('fg', '#d9dee7'),
    cursor: v('cursor', '#7dd3fc'),
    cursorAccent: v('bg', '#0b0e13'),
    selectionBackground: v('selection', 'rgba(56, 189, 248, 0.35)'),
  };
  const record = theme as Record<string, string>;
  for (const name of ANSI) {
    record[name] = v(name, '');
    record[`bright${name[0]!.toUpperCase()}${name.slice(1)}`] = v(`bright-${name}`, '');
  }
  return theme;
}

/** Calls `onChange` when the OS switches between dark and light. */
export function onSchemeChange(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia('(prefers-color-scheme: light)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
