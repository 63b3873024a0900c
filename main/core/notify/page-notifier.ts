// Desktop notifications under `serve`: handed to the open pages that allowed the browser's
// Notification API (they subscribe to alerts.changed with desktopNotifications: true).
import type { DesktopNotification } from '../../../common/schemas/alerts';
import type { DesktopNotifier } from './ports';

export interface PageAudience {
  readonly desktopPages: number;
  showOnPages(notification: DesktopNotification): number;
}

export function pageNotifier(audience: () => PageAudience | undefined): DesktopNotifier {
  return {
    get available() {
      return (audience()?.desktopPages ?? 0) > 0;
    },
    async show(notification) {
      const shown = audience()?.showOnPages(notification) ?? 0;
      if (shown === 0) {
        throw new Error(
          'No open Hyperion page shows notifications: open Hyperion in a browser and allow notifications (Alerts → Channels).',
        );
      }
      return `Shown in ${shown} open page${shown === 1 ? '' : 's'}.`;
    },
  };
}
