// The platform capabilities notifications need, passed in by the shell: Electron's Notification
// and tray in the desktop app, the open browser pages under `serve`, nothing in tests and the CLI.
import type { AlertCounts, DesktopNotification } from '../../../common/schemas/alerts';

export interface DesktopNotifier {
  /** Shows a notification; resolves with a sentence saying where, or throws why it could not. */
  show(notification: DesktopNotification): Promise<string>;
  /** Whether anything could show one right now (an open page that allowed it, a desktop session). */
  readonly available: boolean;
}

/** The tray icon / dock badge: how many alerts need someone. */
export interface AlertBadge {
  update(counts: AlertCounts): void;
}
