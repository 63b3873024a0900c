// `hyperion serve`: starts the core and the server, prints the setup link or the sign-in URL, stops
// cleanly on a signal.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../core/core';
import { createStderrLogger } from '../core/log';
import { defaultDataDir } from '../core/paths';
import { productVersion } from '../core/version';
import { startServer, type TlsFiles } from '../server/server';
import { UsageError } from './usage';

export interface ServeArgs {
  port: number;
  bind: string;
  dataDir: string | undefined;
  tlsCert?: string;
  tlsKey?: string;
  /** Names the browser uses to reach this server (a DNS name, a proxy), host or host:port. */
  allowHosts?: string[];
}

function readTls(args: ServeArgs): TlsFiles | undefined {
  if (!args.tlsCert && !args.tlsKey) return undefined;
  if (!args.tlsCert || !args.tlsKey) throw new UsageError('--tls-cert and --tls-key go together');
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(
        `cannot read ${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  };
  const cert = read('--tls-cert', args.tlsCert);
  const key = read('--tls-key', args.tlsKey);
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`--tls-cert ${args.tlsCert} is not a PEM certificate`);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('utf8'))) {
    throw new Error(`--tls-key ${args.tlsKey} is not a PEM private key`);
  }
  return { cert, key };
}

export async function runServe(args: ServeArgs): Promise<void> {
  const rendererDir = resolve(__dirname, '..', '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `the user interface is not built (no ${rendererDir}/index.html): run "npm run build" first`,
    );
  }
  const tls = readTls(args);
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
  let server;
  try {
    server = await startServer({
      core,
      rendererDir,
      port: args.port,
      bind: args.bind,
      log,
      setupToken: fixedSetupToken(process.env.HYPERION_SETUP_TOKEN),
      extraHosts: args.allowHosts,
      tls,
    });
  } catch (err) {
    await core.stop();
    throw new Error(`Hyperion could not listen on ${args.bind}:${args.port}: ${(err as Error).message}`);
  }
  for (const warning of server.warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Links in notifications point here unless Alerts → Channels sets another address (never the token).
  core.alerts.service.setDefaultLinkBase(new URL(server.url).origin);
  process.stdout.write(
    `Hyperion ${productVersion()} is serving on ${args.bind}:${server.port} (data in ${dataDir}).\n` +
      (server.setupRequired
        ? `No account exists yet. Open this one-time link to create the first admin (keep it private;\n` +
          `it stops working once the admin exists):\n\n    ${server.url}\n\n`
        : `Sign in at:\n\n    ${server.url}\n\n`),
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
 * HYPERION_SETUP_TOKEN fixes the setup link's token (provisioning a service before anyone opens
 * it). It must be long and URL-safe, or it is refused. It is useless once the first admin exists.
 */
function fixedSetupToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(value)) {
    throw new Error('HYPERION_SETUP_TOKEN must be 16 to 128 letters, digits, "-" or "_"');
  }
  return value;
}
