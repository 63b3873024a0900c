// Creates the hardened application window (decisions in security-policy.ts).
import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { mayNavigate, windowOpenDecision, windowWebPreferences } from './security-policy';
import { APP_ORIGIN } from './sender-check';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Hyperion',
    show: false,
    backgroundColor: '#111418',
    webPreferences: windowWebPreferences(preloadPath, process.env.HYPERION_DEVTOOLS === '1'),
  });
  win.once('ready-to-show', () => win.show());
  const contents = win.webContents;
  // Only our own pages load in the window; links to the web open in the user's browser.
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

export const preloadPathFor = (outDir: string): string => join(outDir, 'preload', 'index.js');
