// Decides whether an IPC message comes from our own window's main frame and our own origin.
// Pure, so it is tested without Electron.

export const APP_ORIGIN = 'app://hyperion';
const APP_URL = new URL(APP_ORIGIN);

export interface SenderFacts {
  /** webContents id of the sender, and of the window we created. */
  senderId: number;
  expectedId: number | undefined;
  /** URL of the frame that sent the message (undefined when the frame is gone). */
  frameUrl: string | undefined;
  isMainFrame: boolean;
}

export function isTrustedSender(facts: SenderFacts): boolean {
  if (facts.expectedId === undefined || facts.senderId !== facts.expectedId) return false;
  if (!facts.isMainFrame || !facts.frameUrl) return false;
  return isAppUrl(facts.frameUrl);
}

/**
 * Whether a URL belongs to app://hyperion. Node's URL gives a custom scheme an opaque origin
 * ("null"), so comparing `.origin` with APP_ORIGIN never matches: compare scheme and host instead.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === APP_URL.protocol && parsed.host === APP_URL.host;
  } catch {
    return false;
  }
}
