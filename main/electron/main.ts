// The Electron shell: app lifecycle, the hardened window, and the IPC transport to the core.
import { join } from 'node:path';
import { app, session, type WebContents } from 'electron';
import { api } from '../../common/api';
import { serveConnection, type Connection } from '../../common/rpc/server';
import { createCore } from '../core/core';
import { createStderrLogger } from '../core/log';
import { productVersion } from '../core/version';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createIpcTransport } from './ipc-transport';
import { createMainWindow, preloadPathFor } from './window';

const outDir = join(__dirname, '..', '..');
const log = createStderrLogger('warn');

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function connectWindow(contents: WebContents, core: ReturnType<typeof createCore>): void {
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
      {
        id: 'desktop',
        role: 'admin',
        via: 'ipc',
      },
      {
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

void app.whenReady().then(() => {
  // No page of ours needs the camera, notifications by prompt, geolocation, …: deny them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  handleAppProtocol(join(outDir, 'renderer'));
  const core = createCore({ version: productVersion(), log });
  core.start();
  const win = createMainWindow(preloadPathFor(outDir));
  connectWindow(win.webContents, core);
  app.on('window-all-closed', () => {
    void core.stop().then(() => app.quit());
  });
});
