// The Services and Logs tabs in Debian's Chromium against a real `hyperion serve` and a real systemd
// host (an nspawn container on loopback): start a unit after a confirmation naming it and the host,
// follow its journal live, and edit its override through the diff dialog until the journal shows
// the new setting. Needs the build (`npm run build`, which `npm test` runs first).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api } from '../../common/api';
import { connect, type ApiClient } from '../../common/rpc/client';
import { launchChromium, watchPageProblems } from '../helpers/browser';
import { makeTestHome, serveEnv, type TestHome } from '../helpers/e2e-hosts';
import {
  ECHO_UNIT,
  installEchoUnit,
  startSystemdFleet,
  systemdHostsProblem,
  type SystemdFleet,
  type SystemdHost,
} from '../helpers/nspawn';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';
import { openSocket, socketTransport } from '../helpers/ws-client';

const problem = systemdHostsProblem();
if (problem && process.env.CI) throw new Error(`The systemd host tests cannot run: ${problem}`);
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

let fleet: SystemdFleet;
let box: SystemdHost;
let home: TestHome;
let server: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let client: ApiClient<typeof api>;
let hostId: string;

beforeAll(async () => {
  if (problem) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  fleet = await startSystemdFleet(1, { prefix: 'ui', firstAddress: 234 });
  box = fleet.hosts[0]!;
  await installEchoUnit(box);
  home = makeTestHome();
  server = await startServe({ env: serveEnv(home) });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  client = connect(api, socketTransport(await openSocket({ port: server.port, token: server.token })));
  const host = await client.call('hosts.add', {
    name: 'sd-box',
    address: box.address,
    port: box.port,
    username: 'root',
    auth: { method: 'key', keyPath: fleet.keyPath },
  });
  hostId = host.id;
  const states = new Map<string, { state: string; fingerprint?: string }>();
  client.subscribe(
    'hosts.status',
    {},
    {
      onEvent: (e) =>
        e.hosts.forEach((s) => states.set(s.id, { state: s.state, fingerprint: s.hostKey?.fingerprint })),
    },
  );
  await vi.waitFor(() => expect(states.get(hostId)?.state).toBe('host_key_unknown'), { timeout: 15_000 });
  await client.call('hosts.acceptKey', { id: hostId, fingerprint: states.get(hostId)!.fingerprint! });
  await vi.waitFor(() => expect(states.get(hostId)?.state).toBe('up'), { timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  client?.close();
  await context?.close();
  await browser?.close();
  await server?.stop();
  home?.remove();
  await fleet?.stop();
});

async function openPage(hash: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
  await page.evaluate((h) => (window.location.hash = h), hash);
  return page;
}

describe.skipIf(problem)('services and logs in the browser on a real systemd host', () => {
  it('starts a unit after a named confirmation, follows its journal, and applies an override after its diff', async () => {
    const page = await openPage(`#/host/${hostId}/services`);
    const problems = await watchPageProblems(page);
    await page.getByTestId(`service-${ECHO_UNIT}`).click();
    await expect
      .poll(() => page.getByTestId('service-state').textContent(), { timeout: 10_000 })
      .toContain('inactive');

    await page.getByTestId('service-start').click();
    await expect
      .poll(() => page.getByTestId('service-confirm').locator('h2').textContent())
      .toBe(`Start ${ECHO_UNIT} on sd-box?`);
    await page.getByTestId('service-confirm-button').click();
    await expect
      .poll(() => page.getByTestId('service-result').textContent(), { timeout: 15_000 })
      .toBe(`Started ${ECHO_UNIT} on sd-box.`);
    await expect.poll(() => page.getByTestId('service-state').textContent()).toContain('active (running)');
    expect((await box.exec(`systemctl is-active ${ECHO_UNIT}`)).stdout.trim()).toBe('active');
    await page.screenshot({ path: join(SCREENSHOTS, 'services.png') });

    // The unit's journal, following: new lines arrive without reloading.
    await page.getByTestId('service-logs-link').click();
    await page.getByTestId('logs-view').waitFor();
    expect(await page.getByTestId('logs-unit').inputValue()).toBe(ECHO_UNIT);
    await page.getByTestId('logs-follow').check();
    const lines = page.getByTestId('journal-line');
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await lines.count();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(before + 1);
    expect(await lines.last().textContent()).toContain('greeting hello');
    await page.screenshot({ path: join(SCREENSHOTS, 'logs-follow.png') });

    // The override, reviewed as a diff, then applied with a restart.
    await page.evaluate((h) => (window.location.hash = h), `#/host/${hostId}/services?unit=${ECHO_UNIT}`);
    await page.getByTestId('service-override').locator('summary').click();
    await page.getByTestId('service-override-text').fill('[Service]\nEnvironment=GREETING=from-ui\n');
    await page.getByTestId('service-override-review').click();
    const diff = page.getByTestId('service-override-diff');
    await expect.poll(() => diff.textContent()).toContain('+ Environment=GREETING=from-ui');
    await page.screenshot({ path: join(SCREENSHOTS, 'services-override-diff.png') });
    await page.getByTestId('service-override-apply').click();
    await expect
      .poll(() => page.getByTestId('service-result').textContent(), { timeout: 15_000 })
      .toBe(`Applied the override of ${ECHO_UNIT} on sd-box and restarted it.`);
    await vi.waitFor(
      async () => {
        const page = await client.call('services.journal', { host: hostId, unit: ECHO_UNIT, lines: 2 });
        expect(page.entries.at(-1)?.message).toBe('greeting from-ui');
      },
      { timeout: 10_000 },
    );
    expect(problems.all()).toEqual([]);
  });

  it('lists timers apart, shows what a timer starts and when, and links to that service', async () => {
    const timer = 'systemd-tmpfiles-clean.timer';
    const page = await openPage(`#/host/${hostId}/services`);
    const problems = await watchPageProblems(page);
    // Services first: no timer in that list.
    await page.getByTestId(`service-${ECHO_UNIT}`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`service-${timer}`).count()).toBe(0);
    await page.getByTestId('services-kind-timer').click();
    await page.getByTestId('services-filter').fill('no-such-timer-here');
    await expect
      .poll(() => page.getByTestId('services-empty').textContent())
      .toBe('No timers match the filters.');
    await page.getByTestId('services-filter').fill('');
    await page.getByTestId(`service-${timer}`).click();
    expect(await page.getByTestId(`service-${ECHO_UNIT}`).count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('service-triggers').textContent())
      .toBe('systemd-tmpfiles-clean.service');
    expect(await page.getByTestId('timer-next').textContent()).toMatch(/ \(in \d+ (s|min|h|d)\)$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'services-timer.png') });
    // Its service, through the link: the list follows to Services, and says which timer starts it.
    await page.getByTestId('service-triggers').getByRole('link').click();
    await expect.poll(() => page.getByTestId('service-triggered-by').textContent()).toContain(timer);
    await expect
      .poll(() => page.getByTestId('services-kind-service').getAttribute('aria-pressed'))
      .toBe('true');
    expect(problems.all()).toEqual([]);
  });
});
