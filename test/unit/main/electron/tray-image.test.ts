// The tray's bitmap and tooltip, and the routes a notification click may open.
import { safeRoute, trayBitmap, trayTooltip } from '../../../../main/electron/tray-image';

const counts = (over: Partial<Parameters<typeof trayTooltip>[0]> = {}) => ({
  firing: 0,
  pending: 0,
  unhandled: 0,
  critical: 0,
  warning: 0,
  info: 0,
  worst: null,
  ...over,
});

/** The BGRA pixel at (x, y) as [r, g, b, a]. */
function pixel(buffer: Buffer, x: number, y: number): number[] {
  const i = (y * 32 + x) * 4;
  return [buffer[i + 2]!, buffer[i + 1]!, buffer[i]!, buffer[i + 3]!];
}

describe('tray', () => {
  it('draws a 32×32 icon with a dot in the colour of the worst unhandled alert', () => {
    const quiet = trayBitmap(counts());
    expect([quiet.width, quiet.height, quiet.buffer.length]).toEqual([32, 32, 32 * 32 * 4]);
    expect(pixel(quiet.buffer, 24, 8)).toEqual([0x0e, 0x11, 0x16, 255]);
    expect(pixel(quiet.buffer, 0, 0)[3]).toBe(0); // rounded corner: transparent
    const critical = trayBitmap(counts({ firing: 2, unhandled: 2, critical: 2, worst: 'critical' }));
    expect(pixel(critical.buffer, 24, 8)).toEqual([0xdc, 0x26, 0x26, 255]);
    const handled = trayBitmap(counts({ firing: 1, unhandled: 0, critical: 1, worst: null }));
    expect(pixel(handled.buffer, 24, 8)).toEqual([0x0e, 0x11, 0x16, 255]);
  });

  it('says how many alerts need someone', () => {
    expect(trayTooltip(counts())).toBe('Hyperion — no alert firing');
    expect(trayTooltip(counts({ firing: 3, unhandled: 3, critical: 1, warning: 2, worst: 'critical' }))).toBe(
      'Hyperion — 3 alerts need attention (1 critical, 2 warning)',
    );
    expect(trayTooltip(counts({ firing: 1, unhandled: 0, warning: 1 }))).toBe(
      'Hyperion — 1 firing, all acknowledged or silenced',
    );
  });

  it('opens only in-app routes from a notification', () => {
    expect(safeRoute('#/alerts?incident=12')).toBe('#/alerts?incident=12');
    expect(safeRoute('https://example.org/')).toBe('#/alerts');
    expect(safeRoute('#/alerts"><script>')).toBe('#/alerts');
  });
});
