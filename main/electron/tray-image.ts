// The tray icon and its words, drawn without Electron so they are tested under Node: a small
// bitmap (BGRA) of Hyperion's mark with a dot in the colour of the worst alert, and the tooltip.
import type { AlertCounts } from '../../common/schemas/alerts';

const SIZE = 32;
type Rgb = [number, number, number];
const BASE: Rgb = [0x0e, 0x11, 0x16];
const MARK: Rgb = [0x38, 0xbd, 0xf8];
const DOT: Record<'critical' | 'warning' | 'info', Rgb> = {
  critical: [0xdc, 0x26, 0x26],
  warning: [0xd9, 0x77, 0x06],
  info: [0x25, 0x63, 0xeb],
};

/** A 32×32 BGRA bitmap: a rounded dark square, a pulse line, and the alert dot when one fires. */
export function trayBitmap(counts: AlertCounts): { buffer: Buffer; width: number; height: number } {
  const buffer = Buffer.alloc(SIZE * SIZE * 4);
  const put = (x: number, y: number, [r, g, b]: Rgb, a = 255) => {
    if (x < 0 || y < 0 || x >= SIZE || y >= SIZE) return;
    const i = (y * SIZE + x) * 4;
    buffer[i] = b;
    buffer[i + 1] = g;
    buffer[i + 2] = r;
    buffer[i + 3] = a;
  };
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const cx = Math.min(x, SIZE - 1 - x);
      const cy = Math.min(y, SIZE - 1 - y);
      // Rounded corners of radius 6.
      if (cx < 6 && cy < 6 && (6 - cx) ** 2 + (6 - cy) ** 2 > 36) continue;
      put(x, y, BASE);
    }
  }
  // The pulse: flat, up, down, flat.
  const pulse: [number, number][] = [];
  for (let x = 4; x <= 10; x++) pulse.push([x, 17]);
  for (let i = 0; i <= 7; i++) pulse.push([11 + Math.floor(i / 2), 17 - i]);
  for (let i = 0; i <= 14; i++) pulse.push([15 + Math.floor(i / 3), 10 + i]);
  for (let i = 0; i <= 7; i++) pulse.push([20 + Math.floor(i / 2), 24 - i]);
  for (let x = 24; x <= 27; x++) pulse.push([x, 17]);
  for (const [x, y] of pulse) {
    put(x, y, MARK);
    put(x, y + 1, MARK);
  }
  const worst = counts.worst;
  if (worst && counts.unhandled > 0) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const d = (x - 24) ** 2 + (y - 8) ** 2;
        if (d <= 49) put(x, y, DOT[worst]);
        else if (d <= 64) put(x, y, [0xff, 0xff, 0xff]);
      }
    }
  }
  return { buffer, width: SIZE, height: SIZE };
}

export function trayTooltip(counts: AlertCounts): string {
  if (counts.firing === 0) return 'Hyperion — no alert firing';
  if (counts.unhandled === 0) return `Hyperion — ${counts.firing} firing, all acknowledged or silenced`;
  const parts = [
    counts.critical && `${counts.critical} critical`,
    counts.warning && `${counts.warning} warning`,
    counts.info && `${counts.info} info`,
  ].filter(Boolean);
  return `Hyperion — ${counts.unhandled} alert${counts.unhandled === 1 ? '' : 's'} need${counts.unhandled === 1 ? 's' : ''} attention (${parts.join(', ')})`;
}

/** Only in-app routes may be opened from a notification click. */
export function safeRoute(route: string): string {
  return /^#\/[A-Za-z0-9/_?=&.%-]*$/.test(route) ? route : '#/alerts';
}
