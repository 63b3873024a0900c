// The desktop window without Electron (no Electron binary can run here): the built renderer in
// Debian's Chromium, with `window.hyperion` — what the preload exposes — relayed by Playwright to a
// core in this process over the real RPC server, as the desktop's caller (via 'ipc', the desktop
// credential), as main/electron/main.ts connects a window. The UI's desktop-only paths run here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Caller } from '../../common/contract';
import { toApiError } from '../../common/errors';
import type { CoreOptions } from '../../main/core/core';
import { serveStatic } from '../../main/server/static-files';
import { launchChromium } from './browser';
import { connectTestClient } from './core';
import { REPO_ROOT } from './serve-process';
import { startToolsCore, type ToolsCore } from './ssh-tools';

/** The caller main/electron/main.ts gives the window. */
export const DESKTOP_CALLER: Caller = {
  id: 'desktop',
  role: 'admin',
  via: 'ipc',
  credential: { kind: 'desktop', id: 'desktop' },
};

export interface DesktopStage {
  tools: ToolsCore;
  browser: Browser;
  context: BrowserContext;
  /** Opens the window's page (the app at its start). */
  open(): Promise<Page>;
  stop(): Promise<void>;
}

// In the page, before any of its scripts: the bridge's two functions over Playwright's bindings.
const BRIDGE = `(() => {
  const handlers = new Map();
  let next = 1;
  window.__hyperionEvent = (id, kind, payload) => {
    const h = handlers.get(id);
    if (!h) return;
    if (kind === 'event') h.onEvent(payload);
    else h.onError?.(payload);
  };
  window.hyperion = Object.freeze({
    call: (method, input) => window.__hyperionCall(method, input),
    subscribe: (stream, params, onEvent, onError) => {
      const id = next++;
      handlers.set(id, { onEvent, onError });
      void window.__hyperionSubscribe(id, stream, params);
      return () => {
        handlers.delete(id);
        void window.__hyperionUnsubscribe(id);
      };
    },
  });
})();`;

export async function startDesktopStage(options: {
  hosts: number;
  prefix: string;
  port: number;
  sshTools?: CoreOptions['sshTools'];
}): Promise<DesktopStage> {
  const parts: { tools?: ToolsCore; browser?: Browser; context?: BrowserContext; server?: Server } = {};
  const stop = async () => {
    await parts.context?.close();
    await parts.browser?.close();
    parts.server?.close();
    await parts.tools?.stop();
  };
  try {
    [parts.tools, parts.browser] = await Promise.all([
      startToolsCore(options.hosts, {
        prefix: options.prefix,
        port: options.port,
        ...(options.sshTools ? { sshTools: options.sshTools } : {}),
      }),
      launchChromium(),
    ]);
    const rendererDir = join(REPO_ROOT, 'out', 'renderer');
    const server = createServer((req, res) => serveStatic(rendererDir, req, res));
    parts.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const context = await parts.browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1300, height: 900 },
    });
    parts.context = context;
    const desktop = connectTestClient(parts.tools.testCore.core, DESKTOP_CALLER).client;
    const subscriptions = new WeakMap<Page, Map<number, () => void>>();
    await context.exposeFunction('__hyperionCall', async (method: string, input: unknown) => {
      try {
        return { ok: true, output: await desktop.call(method as never, input as never) };
      } catch (err) {
        return { ok: false, error: toApiError(err).toJSON() };
      }
    });
    await context.exposeBinding(
      '__hyperionSubscribe',
      ({ page }, id: number, stream: string, params: unknown) => {
        const deliver = (kind: 'event' | 'error', payload: unknown) =>
          void page
            .evaluate(
              ([i, k, p]) =>
                (
                  window as unknown as { __hyperionEvent(i: unknown, k: unknown, p: unknown): void }
                ).__hyperionEvent(i, k, p),
              [id, kind, payload] as const,
            )
            .catch(() => undefined); // the page went away
        const off = desktop.subscribe(stream as never, params as never, {
          onEvent: (event: unknown) => deliver('event', event),
          onError: (error) => deliver('error', error.toJSON()),
        });
        const ofPage = subscriptions.get(page) ?? new Map<number, () => void>();
        subscriptions.set(page, ofPage);
        ofPage.set(id, off);
        page.once('close', () => off());
      },
    );
    await context.exposeBinding('__hyperionUnsubscribe', ({ page }, id: number) => {
      subscriptions.get(page)?.get(id)?.();
      subscriptions.get(page)?.delete(id);
    });
    await context.addInitScript(BRIDGE);
    return {
      tools: parts.tools,
      browser: parts.browser,
      context,
      open: async () => {
        const page = await context.newPage();
        await page.goto(url);
        return page;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
