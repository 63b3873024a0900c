// Desktop notifications go through the port the shell passed in (Electron, or the open pages).
import type { DesktopNotifier } from './ports';
import { desktopNotification } from './render';
import type { SendOutcome, SendRequest } from './send-types';

export function desktopSender(notifier: DesktopNotifier | undefined) {
  return async (request: SendRequest): Promise<SendOutcome> => {
    if (!notifier) {
      return {
        ok: false,
        permanent: true,
        error: 'This Hyperion has no desktop to show notifications on.',
        detail: null,
      };
    }
    try {
      const where = await notifier.show(desktopNotification(request.messageId, request.notices));
      return { ok: true, detail: where };
    } catch (err) {
      return { ok: false, permanent: false, error: (err as Error).message, detail: null };
    }
  };
}
