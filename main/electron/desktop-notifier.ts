// Desktop notifications of the Electron app: the core's DesktopNotifier port on Electron's
// Notification. A click brings the window forward on the incident.
import { Notification, type BrowserWindow } from 'electron';
import type { DesktopNotifier } from '../core/notify/ports';
import { APP_ORIGIN } from './sender-check';
import { safeRoute } from './tray-image';

export function electronNotifier(window: () => BrowserWindow | undefined): DesktopNotifier {
  return {
    get available() {
      return Notification.isSupported();
    },
    async show(n) {
      if (!Notification.isSupported()) throw new Error('This desktop session cannot show notifications.');
      const notification = new Notification({
        title: n.title,
        body: n.body,
        urgency: n.severity === 'critical' ? 'critical' : n.severity === 'warning' ? 'normal' : 'low',
        silent: n.severity === 'info',
      });
      notification.on('click', () => {
        const win = window();
        if (!win || win.isDestroyed()) return;
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
        // A fragment change on the same page: the renderer's router follows, nothing reloads.
        void win.webContents.loadURL(`${APP_ORIGIN}/index.html${safeRoute(n.route)}`);
      });
      notification.show();
      return 'Shown on this desktop.';
    },
  };
}
