// The Electron shell: app lifecycle, the hardened window, and the IPC transport to the core.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { app, dialog, session, type BrowserWindow, type WebContents } from 'electron';
import { api } from '../../common/api';
import { serveConnection, type Connection } from '../../common/rpc/server';
import { createCore, type Core } from '../core/core';
import { defaultDataDir } from '../core/paths';
import { createStderrLogger } from '../core/log';
import { productVersion } from '../core/version';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { electronNotifier } from './desktop-notifier';
import { electronFilePicker } from './file-picker';
import { createIpcTransport } from './ipc-transport';
import { CHECKED_REQUEST_PATTERNS, mayNavigate, mayRequest, permissionDecision } from './security-policy';
import { createAlertTray } from './tray';
import { createMainWindow, preloadPathFor } from './window';

const outDir = join(__dirname, '..', '..');
const log = createStderrLogger('warn');

/** better-sqlite3 rebuilt for Electron's ABI by bin/rebuild-electron-native.js (see README). */
function electronSqliteBinding(): string | undefined {
  const path = join(
    outDir,
    '..',
    '.electron-native',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
  return existsSync(path) ? path : undefined;
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

// Every web contents, not only the main window's: no new windows, no webviews, no navigation away.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
});

function connectWindow(contents: WebContents, core: Core): void {
  let connection: Connection | undefined;
  const open = (): void => {
    connection?.dispose();
    const transport = createIpcTransport(contents, (url) =>
      log.warn('IPC message from an untrusted frame ignored', { url }),
    );
    connection = serveConnection(
      api,
      core.handlers,
      transport,
      // The workstation's user owns the desktop app: admin, with the desktop owner's 2FA for step-up
      // and the app lock.
      { id: 'desktop', role: 'admin', via: 'ipc', credential: { kind: 'desktop', id: 'desktop' } },
      {
        ...core.serveOptions,
        onInternalError: (name, error) => log.error('handler failed', { name, error: String(error) }),
      },
    );
  };
  open();
  // A reload is a new page: the old page's streams end and the new one starts clean.
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) open();
  });
  contents.once('destroyed', () => connection?.dispose());
}

void app.whenReady().then(async () => {
  // No page of ours needs the camera, notifications by prompt, geolocation, …: deny them all.
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permissionDecision(permission)),
  );
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  ses.setDevicePermissionHandler(() => false);
  // No remote content: the page reaches the core over IPC only, never the network.
  ses.webRequest.onBeforeRequest({ urls: CHECKED_REQUEST_PATTERNS }, (details, callback) => {
    const allowed = mayRequest(details.url);
    if (!allowed) log.warn('request from the window cancelled', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
  const running: { core?: Core } = {};
  handleAppProtocol(join(outDir, 'renderer'), () => running.core?.sshTools.tickets);
  // Alerts reach the desktop through Electron's Notification and the tray (ports of the core).
  // The window comes after the core; notifications and the tray find it here once it exists.
  const shell: { win?: BrowserWindow } = {};
  const tray = createAlertTray(() => shell.win);
  let core: Core;
  try {
    core = await createCore({
      version: productVersion(),
      dataDir: process.env.HYPERION_DATA_DIR ?? defaultDataDir(),
      log,
      sqliteNativeBinding: electronSqliteBinding(),
      desktopNotifier: electronNotifier(() => shell.win),
      alertBadge: tray,
      // The Files tab downloads straight into it (files.downloadToFolder), and uploads what the
      // shell's own dialog chose, read from disk (files.pickLocal).
      sshTools: {
        files: {
          downloadsDir: app.getPath('downloads'),
          localFilePicker: electronFilePicker(() => shell.win),
        },
      },
    });
  } catch (err) {
    dialog.showErrorBox('Hyperion cannot start', (err as Error).message);
    app.exit(1);
    return;
  }
  await core.start();
  running.core = core;
  const win = createMainWindow(preloadPathFor(outDir));
  shell.win = win;
  connectWindow(win.webContents, core);
  app.on('window-all-closed', () => {
    tray.destroy();
    void core.stop().then(() => app.quit());
  });
});
