// Decides whether an IPC message comes from our own window's main frame and our own origin.
// Pure, so it is tested without Electron.

export const APP_ORIGIN = 'app://hyperion';

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
  try {
    return new URL(facts.frameUrl).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
