// Helpers for the saved-hosts flows in Chromium: a throwaway HOME, the host dialog, state badges and
// the WebSocket frames a page receives.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ConnectionState } from '../../common/schemas/hosts';

/** A temporary HOME for `hyperion serve`: its own ~/.ssh (no config, no known_hosts) to start with. */
export interface TestHome {
  readonly dir: string;
  readonly sshDir: string;
  /** Writes ~/.ssh/config (0600, as ssh wants it). */
  writeSshConfig(entries: SshConfigEntry[]): string;
  remove(): void;
}

export interface SshConfigEntry {
  alias: string;
  hostName: string;
  port: number;
  user: string;
  identityFile: string;
}

export function makeTestHome(): TestHome {
  const dir = mkdtempSync(join(tmpdir(), 'hyperion-e2e-home-'));
  const sshDir = join(dir, '.ssh');
  mkdirSync(sshDir, { mode: 0o700 });
  return {
    dir,
    sshDir,
    writeSshConfig(entries) {
      const path = join(sshDir, 'config');
      const text = entries
        .map((e) =>
          [
            `Host ${e.alias}`,
            `  HostName ${e.hostName}`,
            `  Port ${e.port}`,
            `  User ${e.user}`,
            `  IdentityFile ${e.identityFile}`,
            '',
          ].join('\n'),
        )
        .join('\n');
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The environment of the BRIEF: the encrypted-file secret store with a fixed key, and the test's HOME. */
export function serveEnv(home: TestHome): NodeJS.ProcessEnv {
  return {
    HYPERION_SECRETS: 'file',
    HYPERION_SECRET_KEY: randomBytes(32).toString('hex'),
    HOME: home.dir,
    // No agent of the machine running the tests leaks into the served core.
    SSH_AUTH_SOCK: '',
  };
}

export interface HostForm {
  name: string;
  address: string;
  port: number | string;
  username: string;
  method: 'key' | 'password';
  keyPath?: string;
  password?: string;
}

/** Opens the add dialog from the fleet view and fills it in, as a person would; does not submit. */
export async function openAndFillHostDialog(page: Page, form: HostForm): Promise<Locator> {
  await page.getByTestId('add-host').click();
  const dialog = page.getByTestId('host-dialog');
  await dialog.waitFor();
  await fillHostDialog(dialog, form);
  return dialog;
}

export async function fillHostDialog(dialog: Locator, form: HostForm): Promise<void> {
  await dialog.locator('input[name=name]').fill(form.name);
  await dialog.locator('input[name=address]').fill(form.address);
  await dialog.locator('input[name=port]').fill(String(form.port));
  await dialog.locator('input[name=username]').fill(form.username);
  if (form.method === 'key') {
    await dialog.getByRole('radio', { name: 'Key file' }).check();
    await dialog.locator('input[name=keyPath]').fill(form.keyPath ?? '');
  } else {
    await dialog.getByRole('radio', { name: 'Password' }).check();
    await dialog.locator('input[name=password]').fill(form.password ?? '');
  }
}

/** The id in `#/host/<id>` once the page shows a host. */
export async function waitForHostRoute(page: Page, timeoutMs = 5_000): Promise<string> {
  await page.waitForFunction(() => /^#\/host\/[^/]+$/.test(window.location.hash), undefined, {
    timeout: timeoutMs,
  });
  const hash = await page.evaluate(() => window.location.hash);
  return decodeURIComponent(hash.replace('#/host/', ''));
}

/** The state badge of the host bar (on a host page) or of one fleet row. */
export function hostBarBadge(page: Page): Locator {
  return page.getByTestId('host-bar').getByTestId('state-badge');
}

export function fleetRow(page: Page, hostId: string): Locator {
  return page.getByTestId(`fleet-row-${hostId}`);
}

export function fleetRowBadge(page: Page, hostId: string): Locator {
  return fleetRow(page, hostId).getByTestId('state-badge');
}

/** The fleet table's rows for saved hosts (the local machine's row left out). */
export function savedHostRows(page: Page): Locator {
  return page.locator('[data-testid^=fleet-row-]:not([data-testid=fleet-row-local])');
}

/** Waits until a state badge shows `state` (its data-state), and returns the words it shows. */
export async function waitForBadgeState(
  badge: Locator,
  state: ConnectionState,
  timeoutMs: number,
): Promise<string> {
  await badge.and(badge.page().locator(`[data-state=${state}]`)).waitFor({ timeout: timeoutMs });
  return ((await badge.textContent()) ?? '').trim();
}

/** Every WebSocket frame a page sends and receives, as text, from the moment this is called. */
export interface FrameLog {
  readonly received: string[];
  readonly sent: string[];
}

export function recordWebSocketFrames(page: Page): FrameLog {
  const log: FrameLog = { received: [], sent: [] };
  const text = (payload: string | Buffer) =>
    typeof payload === 'string' ? payload : payload.toString('utf8');
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => log.received.push(text(payload)));
    ws.on('framesent', ({ payload }) => log.sent.push(text(payload)));
  });
  return log;
}

/** Every file under a folder whose bytes contain `needle` (plain UTF-8 or UTF-16LE). */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const utf8 = Buffer.from(needle, 'utf8');
  const utf16 = Buffer.from(needle, 'utf16le');
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    const bytes = readFileSync(path);
    if (bytes.includes(utf8) || bytes.includes(utf16)) found.push(path);
  };
  visit(dir);
  return found;
}
