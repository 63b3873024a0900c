// The Electron security checklist as plain decisions (no electron import), so each one is unit-tested
// without a binary: the window's webPreferences, where it may navigate, what opens in the user's
// browser, which permissions a page gets (none), and which requests may leave the renderer (none
// that reach the network: the app has no remote content).
import type { WebPreferences } from 'electron';
import { isAppUrl } from './sender-check';

/**
 * Checklist items 2–4, 6, 8–10: no Node in the page, an isolated preload, the OS sandbox, web
 * security on, no insecure content, no experimental or Blink features, no <webview>.
 */
export function windowWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

/** Item 13: the window only ever shows our own pages. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Items 14–15: no new windows. A link to the web (https only, no credentials in it) opens in the
 * user's browser; anything else — http, file:, javascript:, custom schemes — goes nowhere.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally?: string } {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' && !parsed.username && !parsed.password && parsed.hostname) {
      return { action: 'deny', openExternally: parsed.href };
    }
  } catch {
    // not a URL: nothing to open
  }
  return { action: 'deny' };
}

/** Item 5: Hyperion's pages need no camera, microphone, notifications by prompt, geolocation, … */
export function permissionDecision(_permission: string): boolean {
  return false;
}

/**
 * Item 1 and "no remote content": the renderer may load our app:// files, data: images (the 2FA QR
 * code) and devtools' own pages; every http(s), ws(s) or file: request is cancelled. (The core talks
 * to hosts from the main process, never from the page.)
 */
export function mayRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return /^(data|devtools|blob):/i.test(url);
}

/** The URL patterns whose requests main.ts checks with mayRequest (Electron needs patterns). */
export const CHECKED_REQUEST_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'];
