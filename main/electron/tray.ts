// The tray icon and app badge: the core's AlertBadge port. The icon carries a dot in the colour
// of the worst unhandled alert, the tooltip says how many, the menu opens the window or Alerts.
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { AlertCounts } from '../../common/schemas/alerts';
import type { AlertBadge } from '../core/notify/ports';
import { APP_ORIGIN } from './sender-check';
import { trayBitmap, trayTooltip } from './tray-image';

export interface AlertTray extends AlertBadge {
  destroy(): void;
}

export function createAlertTray(window: () => BrowserWindow | undefined): AlertTray {
  let tray: Tray | undefined;
  let last: AlertCounts | undefined;
  const open = (route: string) => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    win.show();
    win.focus();
    void win.webContents.loadURL(`${APP_ORIGIN}/index.html${route}`);
  };
  const draw = (counts: AlertCounts) => {
    const { buffer, width, height } = trayBitmap(counts);
    const image = nativeImage.createFromBitmap(buffer, { width, height });
    if (!tray) {
      tray = new Tray(image);
      tray.on('click', () => open('#/alerts'));
    } else tray.setImage(image);
    tray.setToolTip(trayTooltip(counts));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Hyperion', click: () => open('#/fleet') },
        {
          label: counts.firing > 0 ? `Alerts (${counts.unhandled} need attention)` : 'Alerts',
          click: () => open('#/alerts'),
        },
        { type: 'separator' },
        { label: 'Quit', role: 'quit' },
      ]),
    );
    // The dock (macOS) or launcher (Unity) badge, where the desktop has one.
    app.setBadgeCount(counts.unhandled);
  };
  return {
    update(counts) {
      last = counts;
      if (app.isReady()) draw(counts);
      else void app.whenReady().then(() => last && draw(last));
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
    },
  };
}
