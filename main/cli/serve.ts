// `hyperion serve`: starts the core and the server, prints the URL, stops cleanly on a signal.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../core/core';
import { createStderrLogger } from '../core/log';
import { defaultDataDir } from '../core/paths';
import { productVersion } from '../core/version';
import { startServer } from '../server/server';

export interface ServeArgs {
  port: number;
  bind: string;
  dataDir: string | undefined;
}

export async function runServe(args: ServeArgs): Promise<void> {
  const rendererDir = resolve(__dirname, '..', '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `the user interface is not built (no ${rendererDir}/index.html): run "npm run build" first`,
    );
  }
  const dataDir = resolve(args.dataDir ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = createStderrLogger(process.env.HYPERION_LOG === 'debug' ? 'info' : 'warn');
  let core;
  try {
    core = await createCore({ version: productVersion(), dataDir, log });
  } catch (err) {
    throw new Error(`Hyperion could not start: ${(err as Error).message}`);
  }
  await core.start();
  const server = await startServer({
    core,
    rendererDir,
    port: args.port,
    bind: args.bind,
    log,
    token: fixedToken(process.env.HYPERION_TOKEN),
  });
  for (const warning of server.warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Links in notifications point here unless Alerts → Channels sets another address (never the token).
  core.alerts.service.setDefaultLinkBase(new URL(server.url).origin);
  process.stdout.write(
    `Hyperion ${productVersion()} is serving on ${args.bind}:${server.port} (data in ${dataDir}).\n` +
      `Open this URL in your browser (it carries your access token; keep it private):\n\n    ${server.url}\n\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Stopping (${signal})…\n`);
    void server
      .close()
      .then(() => core.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * HYPERION_TOKEN keeps the access token across restarts (a service unit, a test that restarts the
 * server under an open page). It must be long and URL-safe, or it is refused.
 */
function fixedToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(value)) {
    throw new Error('HYPERION_TOKEN must be 16 to 128 letters, digits, "-" or "_"');
  }
  return value;
}
