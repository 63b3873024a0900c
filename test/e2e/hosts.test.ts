// Saved hosts in Debian's Chromium against a real `hyperion serve` and real loopback sshd hosts: the
// empty fleet, adding hosts by key and by password, verifying host keys, live figures of a remote
// host, validation beside its field, a host that goes away and comes back, importing ~/.ssh/config,
// and the settings page. The tests run in order and share one server: each builds on the fleet the
// ones before it left (they are steps of one session, each on a fresh page).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import {
  fleetRow,
  fleetRowBadge,
  filesContaining,
  hostBarBadge,
  makeTestHome,
  openAndFillHostDialog,
  recordWebSocketFrames,
  savedHostRows,
  serveEnv,
  waitForBadgeState,
  waitForHostRoute,
  type FrameLog,
  type TestHome,
} from '../helpers/e2e-hosts';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';
import { startSshdFleet, type SshdFleet, type SshdHost } from '../helpers/sshd';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const CPU_CHART_PATH = '[data-testid=cpu-usage-panel] svg path.recharts-area-area';
/** The first connection attempt presents the key in well under a second; 10 s leaves room. */
const KEY_PROMPT_TIMEOUT_MS = 10_000;
/** Login, then the remote sampler's first two readings (rates need two). */
const FIRST_SAMPLE_TIMEOUT_MS = 15_000;
/** Samples of a watched host come every second. */
const CHANGE_TIMEOUT_MS = 5_000;
/** A killed sshd closes the TCP connection at once; the brief allows about 10 s. */
const UNREACHABLE_TIMEOUT_MS = 10_000;
/** Retries back off from under 1 s; the host is down for only a second or two. */
const BACK_UP_TIMEOUT_MS = 15_000;

let fleet: SshdFleet;
let home: TestHome;
let server: ServeProcess;
let browser: Browser;
let context: BrowserContext;
const timings: Record<string, number> = {};

/** The four sshd hosts: one added by key, one by password, two imported from ~/.ssh/config. */
const keyHost = () => fleet.hosts[0]!;
const passwordHost = () => fleet.hosts[1]!;
const importedHosts = () => [fleet.hosts[2]!, fleet.hosts[3]!];

/** Ids of the hosts added so far, filled in by the tests that add them. */
const ids: { key?: string; password?: string } = {};

interface OpenPage {
  page: Page;
  problems: PageProblems;
  frames: FrameLog;
}

/** A fresh tab on the printed access link: it lands on the fleet, as for a person. */
async function openApp(): Promise<OpenPage> {
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  const frames = recordWebSocketFrames(page);
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
  return { page, problems, frames };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `hosts-${name}.png`), fullPage: true });
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const began = performance.now();
  try {
    return await run();
  } finally {
    timings[label] = Math.round(performance.now() - began);
  }
}

/** Waits until the text of `selector` differs from `before`; returns the new text. */
async function waitForTextChange(page: Page, selector: string, before: string): Promise<string> {
  const handle = await page.waitForFunction(
    ([sel, previous]) => {
      const text = document.querySelector(sel)?.textContent ?? '';
      return text && text !== previous ? text : false;
    },
    [selector, before] as const,
    { timeout: CHANGE_TIMEOUT_MS, polling: 100 },
  );
  return (await handle.jsonValue()) as string;
}

/** On a host page that asks for it: opens the prompt, checks the fingerprint, trusts it, waits for Up. */
async function verifyHostKey(page: Page, host: SshdHost): Promise<void> {
  const badge = hostBarBadge(page);
  expect(await waitForBadgeState(badge, 'host_key_unknown', KEY_PROMPT_TIMEOUT_MS)).toContain(
    'Verify host key',
  );
  // Nothing was sent to the host before its key is trusted: no login was even tried.
  expect(host.logLines(/Accepted |Failed /)).toEqual([]);
  await page.getByTestId('review-key').click();
  const prompt = page.getByTestId('host-key-prompt');
  await prompt.waitFor();
  expect(await prompt.getByTestId('presented-fingerprint').textContent()).toBe(await host.fingerprint());
  await prompt.getByTestId('accept-key').click();
  await prompt.waitFor({ state: 'detached' });
  expect(await waitForBadgeState(badge, 'up', KEY_PROMPT_TIMEOUT_MS)).toContain('Up');
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  home = makeTestHome();
  const [started, launched] = await Promise.all([
    startSshdFleet(4, { namePrefix: 'e2e', port: 2622 }),
    launchChromium(),
  ]);
  fleet = started;
  browser = launched;
  server = await startServe({ env: serveEnv(home) });
  context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  timings['sshd fleet start'] = Math.round(fleet.startMs);
  timings['serve start'] = Math.round(server.startMs);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  await fleet?.stop();
  home?.remove();
  console.log('hosts e2e timings (ms):', timings);
});

describe('saved hosts in Chromium', () => {
  it('shows the empty fleet with the local machine', async () => {
    const { page, problems } = await openApp();
    const empty = page.locator('.empty-state');
    await empty.waitFor();
    expect(await empty.locator('strong').textContent()).toBe('Add your first server');
    const local = fleetRow(page, 'local');
    await local.waitFor();
    expect(await local.getByRole('link').textContent()).toBe('This computer');
    expect(await fleetRowBadge(page, 'local').textContent()).toContain('Up');
    expect(await savedHostRows(page).count()).toBe(0);
    // The local row fills in with the first sample.
    await expect.poll(() => local.locator('[role=meter]').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await screenshot(page, 'fleet-empty');
    expect(problems.all()).toEqual([]);
  });

  it('adds a host with a key file, verifies its key and shows its live figures', async () => {
    const host = keyHost();
    const { page, problems } = await openApp();
    const dialog = await openAndFillHostDialog(page, {
      name: 'e2e-key',
      address: host.address,
      port: host.port,
      username: fleet.user.name,
      method: 'key',
      keyPath: fleet.clientKeys.privateKeyPath,
    });
    await dialog.getByTestId('save-host').click();
    ids.key = await waitForHostRoute(page);
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('.crumbs').textContent()).toContain('e2e-key');

    await timed('key host: saved to Up', () => verifyHostKey(page, host));
    expect(host.logLines(/Accepted publickey for hyperion-test/).length).toBeGreaterThan(0);

    // The remote host's own figures: the CPU chart and the summary panels, moving every second.
    await timed('key host: Up to first chart', () =>
      page.locator(CPU_CHART_PATH).first().waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS }),
    );
    // The other groups sit on their own tabs, one click each, as for a person.
    const openTab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
    await openTab('Memory');
    const memory = page.getByTestId('memory-facts');
    // A tab draws from the samples in hand; what is not in yet comes with the next one: waited for.
    await expect.poll(() => memory.textContent()).toMatch(/Used.+ of .+\(\d+(\.\d)? %\)/);
    await openTab('Disks');
    const filesystems = page.getByTestId('filesystems-panel');
    await expect
      .poll(() => filesystems.locator('tbody td', { hasText: /^\/$/ }).count(), { timeout: 15_000 })
      .toBe(1);
    await openTab('Network');
    // Loopback is hidden until asked for; the SSH session to this test host runs over it.
    await page.getByTestId('show-loopback').check();
    const network = page.getByTestId('network-panel');
    await expect.poll(() => network.locator('tbody td', { hasText: /^lo$/ }).count()).toBe(1);
    await expect.poll(() => network.locator('tbody').textContent()).toMatch(/\d.*bit\/s/);

    await timed('key host: chart and panels change', async () => {
      // The SSH session itself moves bytes over lo every second.
      const networkBefore = (await network.locator('tbody').textContent()) ?? '';
      await waitForTextChange(page, '[data-testid=network-panel] tbody', networkBefore);
      await openTab('Overview');
      await page.locator(CPU_CHART_PATH).first().waitFor({ timeout: CHANGE_TIMEOUT_MS });
      const chartBefore = (await page.locator(CPU_CHART_PATH).first().getAttribute('d')) ?? '';
      await page.waitForFunction(
        ([sel, before]) => {
          const d = document.querySelector(sel)?.getAttribute('d');
          return Boolean(d && d !== before);
        },
        [CPU_CHART_PATH, chartBefore] as const,
        { timeout: CHANGE_TIMEOUT_MS, polling: 100 },
      );
      // Memory and disk I/O of a real machine change from second to second; at least one of them does.
      await openTab('Memory');
      const memoryBefore = (await memory.textContent()) ?? '';
      const memoryChanged = await waitForTextChange(page, '[data-testid=memory-facts]', memoryBefore).then(
        () => true,
        () => false,
      );
      if (!memoryChanged) {
        await openTab('Disks');
        const devices = '[data-testid=devices-panel] tbody';
        await waitForTextChange(page, devices, (await page.locator(devices).textContent()) ?? '');
      }
      await openTab('Overview');
    });
    expect(await page.getByTestId('cpu-total').textContent()).toMatch(/\d %$/);
    await screenshot(page, 'host-key-up');

    // The host's address is a link: reloaded, the page opens on the same host, live.
    await page.reload();
    expect(await waitForBadgeState(hostBarBadge(page), 'up', KEY_PROMPT_TIMEOUT_MS)).toContain('Up');
    await page.locator(CPU_CHART_PATH).first().waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS });
    expect(problems.all()).toEqual([]);
  });

  it('shows the server’s validation messages beside their fields and adds nothing', async () => {
    const { page, problems } = await openApp();
    await savedHostRows(page).first().waitFor();
    const rowsBefore = await savedHostRows(page).count();
    const dialog = await openAndFillHostDialog(page, {
      name: 'e2e-invalid',
      address: keyHost().address,
      port: 70000,
      username: fleet.user.name,
      method: 'key',
      keyPath: fleet.clientKeys.privateKeyPath,
    });
    await dialog.getByTestId('save-host').click();
    const portError = dialog.getByTestId('error-port');
    await portError.waitFor();
    expect(await portError.textContent()).toBe('ports go from 1 to 65535');
    // Beside the port field: inside the same label as the input.
    expect(await dialog.locator('label', { has: page.locator('input[name=port]') }).textContent()).toContain(
      'ports go from 1 to 65535',
    );
    expect(await dialog.getByTestId('error-auth.keyPath').count()).toBe(0);
    await screenshot(page, 'dialog-port-error');

    // A fixed port and a key file that is not there: now the key path is the one at fault.
    const missingKey = join(home.dir, 'no-such-key');
    await dialog.locator('input[name=port]').fill(String(keyHost().port));
    await dialog.locator('input[name=keyPath]').fill(missingKey);
    await dialog.getByTestId('save-host').click();
    const keyError = dialog.getByTestId('error-auth.keyPath');
    await keyError.waitFor();
    expect(await keyError.textContent()).toBe(
      `Hyperion cannot read the key file ${missingKey}: there is no such file.`,
    );
    expect(
      await dialog.locator('label', { has: page.locator('input[name=keyPath]') }).textContent(),
    ).toContain('cannot read the key file');
    expect(await dialog.getByTestId('error-port').count()).toBe(0);
    await screenshot(page, 'dialog-key-error');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing was saved: a fresh page asks the server again.
    await page.reload();
    await page.getByTestId('fleet-view').waitFor();
    await savedHostRows(page).first().waitFor();
    expect(await savedHostRows(page).count()).toBe(rowsBefore);
    expect(await page.getByText('e2e-invalid').count()).toBe(0);
    expect(problems.all()).toEqual([]);
  });

  it('adds a password host that comes up after its key is verified, never sending the password back', async () => {
    const host = passwordHost();
    const password = fleet.user.password;
    const { page, problems, frames } = await openApp();
    const dialog = await openAndFillHostDialog(page, {
      name: 'e2e-password',
      address: host.address,
      port: host.port,
      username: fleet.user.name,
      method: 'password',
      password,
    });
    await dialog.getByTestId('save-host').click();
    ids.password = await waitForHostRoute(page);
    await timed('password host: saved to Up', () => verifyHostKey(page, host));
    expect(host.logLines(/Accepted password for hyperion-test/).length).toBeGreaterThan(0);
    await page.locator(CPU_CHART_PATH).first().waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS });

    // The edit dialog shows that a password is stored, not the password.
    await page.getByTestId('host-bar').getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByTestId('host-dialog');
    await edit.waitFor();
    expect(await edit.locator('input[name=password]').inputValue()).toBe('');
    expect(await edit.locator('input[name=password]').getAttribute('placeholder')).toBe('unchanged');
    expect(await page.content()).not.toContain(password);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });

    // Back to the fleet, where every host's status and samples stream in, then look everywhere.
    await page.locator('nav.rail').getByRole('link', { name: 'Fleet' }).click();
    await waitForBadgeState(fleetRowBadge(page, ids.password), 'up', KEY_PROMPT_TIMEOUT_MS);
    await page.waitForTimeout(1_500);
    expect(await page.content()).not.toContain(password);
    // The page did send it once (so the recording works), and never got it back.
    expect(frames.sent.some((f) => f.includes(password))).toBe(true);
    expect(frames.received.length).toBeGreaterThan(10);
    expect(frames.received.filter((f) => f.includes(password))).toEqual([]);
    // Nor is it in the server's output or, unencrypted, in any file of its data folder.
    expect(server.stdout() + server.stderr()).not.toContain(password);
    expect(filesContaining(server.dataDir, password)).toEqual([]);
    expect(problems.all()).toEqual([]);
  });

  it('shows a host whose sshd stops as Unreachable, and Up again once it is back', async () => {
    const host = passwordHost();
    const id = ids.password!;
    const { page, problems } = await openApp();
    const badge = fleetRowBadge(page, id);
    await waitForBadgeState(badge, 'up', KEY_PROMPT_TIMEOUT_MS);

    await host.kill();
    const words = await timed('sshd killed to Unreachable', () =>
      waitForBadgeState(badge, 'unreachable', UNREACHABLE_TIMEOUT_MS),
    );
    expect(words).toContain('Unreachable');
    expect(await fleetRow(page, id).getAttribute('class')).toContain('stale');
    // The other hosts are untouched.
    expect(await fleetRowBadge(page, ids.key!).getAttribute('data-state')).toBe('up');
    await screenshot(page, 'fleet-unreachable');
    // The figures cells (CPU to uptime), greyed at their last values while the host is away.
    const figures = async () =>
      (await fleetRow(page, id).locator('td').allTextContents()).slice(2, 8).join(' | ');
    const whileAway = await figures();

    await host.restart();
    expect(
      await timed('sshd restarted to Up', () => waitForBadgeState(badge, 'up', BACK_UP_TIMEOUT_MS)),
    ).toContain('Up');
    expect((await fleetRow(page, id).getAttribute('class')) ?? '').not.toContain('stale');
    // Sampling resumes on the new connection: new figures replace the ones from before the outage.
    await timed('Up to fresh figures', () =>
      expect.poll(figures, { timeout: FIRST_SAMPLE_TIMEOUT_MS, interval: 200 }).not.toBe(whileAway),
    );
    expect(problems.all()).toEqual([]);
  });

  it('imports two hosts from ~/.ssh/config, which then ask for their keys to be verified', async () => {
    const [a, b] = importedHosts() as [SshdHost, SshdHost];
    home.writeSshConfig(
      [
        ['e2e-import-a', a],
        ['e2e-import-b', b],
      ].map(([alias, h]) => ({
        alias: alias as string,
        hostName: (h as SshdHost).address,
        port: (h as SshdHost).port,
        user: fleet.user.name,
        identityFile: fleet.clientKeys.privateKeyPath,
      })),
    );
    const { page, problems } = await openApp();
    await page.getByRole('button', { name: 'Import from ~/.ssh/config' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    const rows = dialog.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    for (const [alias, h] of [
      ['e2e-import-a', a],
      ['e2e-import-b', b],
    ] as const) {
      const row = rows.filter({ hasText: alias });
      expect(await row.textContent()).toContain(`${h.address}:${h.port}`);
      expect(await row.textContent()).toContain(fleet.user.name);
      expect(await row.textContent()).toContain(fleet.clientKeys.privateKeyPath);
      expect(await row.getByRole('checkbox', { name: `Import ${alias}` }).isChecked()).toBe(true);
    }
    await screenshot(page, 'import-dialog');
    await dialog.getByRole('button', { name: 'Import 2 hosts' }).click();
    const result = dialog.getByRole('status');
    await result.waitFor();
    expect(await result.textContent()).toBe('2 hosts added.');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    for (const alias of ['e2e-import-a', 'e2e-import-b']) {
      const row = savedHostRows(page).filter({ has: page.getByRole('link', { name: alias, exact: true }) });
      const badge = row.getByTestId('state-badge');
      expect(await waitForBadgeState(badge, 'host_key_unknown', KEY_PROMPT_TIMEOUT_MS)).toContain(
        'Verify host key',
      );
      expect(await row.textContent()).toContain('ssh-config');
    }
    expect(await savedHostRows(page).count()).toBe(4);
    for (const h of [a, b]) expect(h.logLines(/Accepted |Failed /)).toEqual([]);
    await screenshot(page, 'fleet-imported');
    expect(problems.all()).toEqual([]);
  });

  it('shows the secret store and saves the sampling intervals', async () => {
    const { page, problems } = await openApp();
    await page.locator('nav.rail').getByRole('link', { name: 'Settings' }).click();
    const view = page.getByTestId('settings-view');
    await view.waitFor();
    const store = page.getByTestId('secret-store');
    await store.waitFor();
    expect(await store.locator('strong').textContent()).toBe('Encrypted file');

    const fast = page.getByLabel('Interval for hosts on screen, seconds');
    const background = page.getByLabel('Interval for background hosts, seconds');
    await expect.poll(() => fast.inputValue()).toBe('1');
    expect(await background.inputValue()).toBe('10');
    await fast.fill('2');
    await background.fill('30');
    await view.getByRole('button', { name: 'Save', exact: true }).click();
    await view.getByText('Saved. New intervals apply from the next sample.').waitFor();
    await screenshot(page, 'settings');

    // Saved on the server: the view, mounted again, reads them back.
    const rail = page.locator('nav.rail');
    const reopenSettings = async () => {
      await rail.getByRole('link', { name: 'Fleet' }).click();
      await page.getByTestId('fleet-view').waitFor();
      await rail.getByRole('link', { name: 'Settings' }).click();
      await page.getByTestId('secret-store').waitFor();
    };
    await reopenSettings();
    await expect.poll(() => fast.inputValue()).toBe('2');
    expect(await background.inputValue()).toBe('30');

    // An interval below the 0.5 s floor is refused, in seconds as the form asks, and nothing changes.
    await fast.fill('0.1');
    await view.getByRole('button', { name: 'Save', exact: true }).click();
    await view.getByText('Hosts on screen: choose from 0.5 to 60 seconds.').waitFor();
    await screenshot(page, 'settings-refused');
    await reopenSettings();
    await expect.poll(() => fast.inputValue()).toBe('2');
    expect(problems.all()).toEqual([]);
  });
});
