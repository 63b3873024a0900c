// The stage of the SSH tools suites in Chromium: loopback sshd hosts saved and trusted on a real
// `hyperion serve`, Debian's Chromium, and a dark browser context on the served app. One call sets
// it up; `stop()` takes it all down again, whatever part of it came up.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { launchChromium } from './browser';
import { makeTestHome, serveEnv, type TestHome } from './e2e-hosts';
import { REPO_ROOT, startServe, type ServeProcess } from './serve-process';
import { addTrustedHostsVia } from './ssh-tools';
import { startSshdFleet, type SshdFleet } from './sshd';

export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

export interface ToolsStage {
  fleet: SshdFleet;
  home: TestHome;
  server: ServeProcess;
  browser: Browser;
  context: BrowserContext;
  /** The saved hosts, named PREFIX1, PREFIX2, … and tagged PREFIX. */
  hostIds: string[];
  stop(): Promise<void>;
}

export async function startToolsStage(options: {
  hosts: number;
  prefix: string;
  port: number;
  context?: BrowserContextOptions;
  /** Runs once the hosts are up and before any page opens (files the hosts must have, say). */
  prepare?: (fleet: SshdFleet) => void;
}): Promise<ToolsStage> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const home = makeTestHome();
  const parts: Partial<ToolsStage> = { home };
  const stop = async () => {
    await parts.context?.close();
    await parts.browser?.close();
    await parts.server?.stop();
    await parts.fleet?.stop();
    home.remove();
  };
  try {
    [parts.fleet, parts.browser] = await Promise.all([
      startSshdFleet(options.hosts, { namePrefix: options.prefix, port: options.port }),
      launchChromium(),
    ]);
    options.prepare?.(parts.fleet);
    parts.server = await startServe({ env: serveEnv(home) });
    const { client } = await parts.server.client();
    parts.hostIds = await addTrustedHostsVia(client, parts.fleet, parts.fleet.hosts, options.prefix);
    client.close();
    parts.context = await parts.browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1300, height: 900 },
      ...options.context,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...(parts as Omit<ToolsStage, 'stop'>), stop };
}
