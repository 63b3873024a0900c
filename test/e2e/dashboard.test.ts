// The dashboard in Debian's Chromium against a real `hyperion serve`, real local monitoring and two
// loopback SSH hosts: counts and the palette, every metric group live and changing, one crosshair
// across the charts of a view, drag-to-zoom pausing live and double-click resuming, a 24-hour range
// per tab from the store, and times in this computer's zone, the host's or UTC. The browser runs in
// Asia/Kolkata (UTC+5:30) while the hosts run in UTC, so the zones visibly differ. The tests run in
// order on one server and one page, as steps of one session; screenshots go to test-results/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const BROWSER_ZONE = 'Asia/Kolkata';
/** Login, then the sampler's first two readings (rates need two). */
const FIRST_SAMPLE_TIMEOUT_MS = 20_000;
/** Samples of a watched host come every second. */
const CHANGE_TIMEOUT_MS = 6_000;

let fleet: SshdFleet;
let home: string;
let server: ServeProcess;
let browser: Browser;
let page: Page;
let problems: PageProblems;
const hostIds: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
}

/** The "d" of the first drawn series inside `scope`. */
async function pathOf(scope: Locator): Promise<string> {
  const path = scope.locator('svg path.recharts-area-area, svg path.recharts-line-curve').first();
  await path.waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS });
  return (await path.getAttribute('d')) ?? '';
}

async function waitForPathChange(scope: Locator, before: string): Promise<void> {
  await expect.poll(() => pathOf(scope), { timeout: CHANGE_TIMEOUT_MS, interval: 200 }).not.toBe(before);
}

/** The x of the visible crosshair cursor line in each chart that shows one. */
async function cursorXs(scope: Locator): Promise<number[]> {
  return scope.evaluate((root) =>
    [...root.querySelectorAll('.recharts-tooltip-cursor')]
      .filter((el) => (el as SVGGraphicsElement).getBBox().height > 0)
      .map((el) => {
        const r = (el as SVGGraphicsElement).getBoundingClientRect();
        return r.x + r.width / 2;
      }),
  );
}

async function surfaceBox(scope: Locator) {
  const box = await scope.locator('.recharts-surface').first().boundingBox();
  if (!box) throw new Error('chart not drawn');
  return box;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  fleet = await startSshdFleet(2, { namePrefix: 'dash', port: 3022 });
  home = mkdtempSync(join(tmpdir(), 'hyperion-dash-home-'));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  // Known host keys: the hosts come up without the verification step (tested in hosts.test.ts).
  writeFileSync(
    join(home, '.ssh', 'known_hosts'),
    fleet.hosts
      .map((h) => `[${h.address}]:${h.port} ${h.hostKey().type} ${h.hostKey().keyBase64}`)
      .join('\n') + '\n',
  );
  server = await startServe({
    env: { HOME: home, TZ: 'UTC', HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'ef'.repeat(32) },
  });
  const { client, socket } = await server.client();
  try {
    for (const [i, h] of fleet.hosts.entries()) {
      const saved = await client.call('hosts.add', {
        name: `dash-${i + 1}`,
        address: h.address,
        port: h.port,
        username: fleet.user.name,
        auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
        tags: i === 0 ? ['web'] : ['db'],
      });
      hostIds.push(saved.id);
    }
  } finally {
    socket.terminate();
  }
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    colorScheme: 'dark',
    timezoneId: BROWSER_ZONE,
  });
  page = await context.newPage();
  problems = await watchPageProblems(page);
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fleet?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the dashboard in the browser', () => {
  it('counts the fleet first, each count a link to its rows, and opens a host from the Ctrl+K palette', async () => {
    const up = page.getByTestId('count-up');
    await expect
      .poll(async () => up.locator('.count-value').textContent(), { timeout: FIRST_SAMPLE_TIMEOUT_MS })
      .toBe('3');
    expect(await page.getByTestId('count-down').locator('.count-value').textContent()).toBe('0');
    // A count is a link to exactly its rows.
    await page.getByTestId('count-down').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/fleet?state=down');
    expect(await page.getByTestId('fleet-table').locator('tbody tr[data-row-key]').count()).toBe(0);
    await page.getByTestId('count-hosts').click();
    await expect
      .poll(() => page.getByTestId('fleet-table').locator('tbody tr[data-row-key]').count())
      .toBe(3);
    await shot('fleet');

    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await palette.waitFor();
    await page.keyboard.type('dash-2');
    await expect.poll(() => palette.getByRole('option').first().textContent()).toMatch(/^dash-2/);
    await shot('palette');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/host/${hostIds[1]}`);
    await expect(palette.count()).resolves.toBe(0);
    await page.getByTestId('cpu-usage-panel').waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS });
  });

  it('shows every metric group of an SSH host with values that change, tab by tab, the tab in the URL', async () => {
    await page.goto(`${server.origin}/#/host/${hostIds[0]}`);
    const groups: { key: string; tab: string; chart: string; value: string; pattern: RegExp }[] = [
      { key: '1', tab: 'overview', chart: 'cpu-usage-panel', value: 'cpu-total', pattern: /\d %$/ },
      { key: '2', tab: 'cpu', chart: 'load-panel', value: 'cpu-load', pattern: /^\d+\.\d+ \/ / },
      { key: '3', tab: 'memory', chart: 'memory-chart-panel', value: 'memory-facts', pattern: /GiB|MiB/ },
      { key: '4', tab: 'network', chart: '', value: 'network-panel', pattern: /bit\/s/ },
      { key: '5', tab: 'disks', chart: 'devices-panel', value: 'filesystems-panel', pattern: /\d %/ },
    ];
    for (const g of groups) {
      await page.locator('body').press(g.key);
      await expect
        .poll(() => page.evaluate(() => location.hash))
        .toBe(g.tab === 'overview' ? `#/host/${hostIds[0]}` : `#/host/${hostIds[0]}/${g.tab}`);
      const panel = page.getByTestId(`host-tab-panel-${g.tab}`);
      // The network tab's charts are per interface: the first one drawn.
      const chart = g.chart ? panel.getByTestId(g.chart) : panel;
      const before = await pathOf(chart);
      expect(await panel.getByTestId(g.value).first().textContent()).toMatch(g.pattern);
      // A new sample every second redraws the live charts.
      await waitForPathChange(chart, before);
      await shot(`host-${g.tab}`);
    }
    // Every metric group's panels are on their tabs.
    await page.locator('body').press('2');
    for (const id of ['cpu-usage-panel', 'load-panel', 'cores-panel', 'temperature-panel']) {
      await page.getByTestId(id).waitFor();
    }
    expect(await page.getByTestId('core-grid').locator('.core-cell').count()).toBeGreaterThan(0);
    // The built-in "CPU sustained" rule's threshold is drawn on the CPU chart, in words.
    const cpuPanel = page.getByTestId('cpu-usage-panel');
    await cpuPanel
      .locator('svg text', { hasText: /alert: warning >=? 95 %/ })
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await cpuPanel.locator('.recharts-reference-line').count()).toBeGreaterThan(0);
    // The overview has the facts and what watching this host costs.
    await page.locator('body').press('1');
    const cost = page.getByTestId('monitoring-cost');
    await expect.poll(() => cost.getByTestId('cost-wire').textContent(), { timeout: 15_000 }).toMatch(/B\/s/);
    expect(await cost.getByTestId('cost-cpu').textContent()).toMatch(/% of a core|measuring/);
    expect(await cost.getByTestId('cost-rtt').textContent()).toMatch(/\d+ ms|measuring/);
    expect(await page.getByTestId('host-zone').textContent()).toMatch(/UTC/);
    expect(problems.all()).toEqual([]);
  });

  it('moves one crosshair across every chart of the view, and can turn it off', async () => {
    await page.locator('body').press('2');
    const panel = page.getByTestId('host-tab-panel-cpu');
    const cpu = panel.getByTestId('cpu-usage-panel');
    await pathOf(cpu);
    const box = await surfaceBox(cpu);
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
    // CPU by mode, load and each core's small chart all draw the cursor line.
    await expect.poll(async () => (await cursorXs(panel)).length).toBeGreaterThanOrEqual(3);
    const loadBefore = (await cursorXs(panel.getByTestId('load-panel')))[0]!;
    await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2, { steps: 4 });
    await expect
      .poll(async () => (await cursorXs(panel.getByTestId('load-panel')))[0] ?? 0)
      .toBeGreaterThan(loadBefore + 50);
    // Only the chart under the pointer shows its tooltip box; it says the zone of its time.
    const tooltips = panel.locator('.recharts-tooltip-wrapper .chart-tooltip');
    await expect.poll(() => tooltips.filter({ visible: true }).count()).toBe(1);
    expect(await tooltips.filter({ visible: true }).textContent()).toMatch(/\d\d:\d\d:\d\d UTC\+5:30/);
    await shot('crosshair');
    await page.getByTestId('crosshair-toggle').uncheck();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 3 });
    await expect.poll(async () => (await cursorXs(panel)).length).toBe(1);
    await page.getByTestId('crosshair-toggle').check();
  });

  it('pauses live on a span dragged across a live chart, holds it still, and resumes on double-click', async () => {
    await page.goto(`${server.origin}/#/host/${hostIds[0]}`);
    const cpu = page.getByTestId('host-tab-panel-overview').getByTestId('cpu-usage-panel');
    await pathOf(cpu);
    // Let the window hold a dozen samples, so the drag spans several seconds.
    await page.waitForTimeout(3_000);
    const box = await surfaceBox(cpu);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const pill = page.getByTestId('range-live');
    await expect.poll(() => pill.textContent()).toContain('PAUSED');
    expect(await page.getByTestId('range-description').textContent()).toMatch(/^paused on \d{4}-\d\d-\d\d/);
    const frozen = await pathOf(cpu);
    await page.waitForTimeout(2_500);
    expect(await pathOf(cpu)).toBe(frozen);
    await shot('paused');
    // Back to live: the chart moves again.
    await cpu.locator('.recharts-surface').first().dblclick();
    await expect.poll(() => pill.textContent()).toContain('LIVE');
    await waitForPathChange(cpu, frozen);
    // The pill pauses and resumes too.
    await pill.click();
    await expect.poll(() => pill.textContent()).toContain('PAUSED');
    await pill.click();
    await expect.poll(() => pill.getAttribute('aria-pressed')).toBe('true');
  });

  it('draws a 24-hour range on every tab from the store, at the minute tier', async () => {
    // The store writes every 5 s: the hosts have been watched long enough to have rows.
    await page.getByTestId('range-24h').click();
    const tabs: [string, string][] = [
      ['1', 'host-history'],
      ['2', 'cpu-history'],
      ['3', 'memory-history'],
      ['4', 'network-history'],
      ['5', 'disks-history'],
    ];
    for (const [key, grid] of tabs) {
      await page.locator('body').press(key);
      const history = page.getByTestId(grid);
      await history.waitFor();
      const first = history.locator('section.panel').first();
      await expect
        .poll(() => first.getByTestId('history-step').textContent(), { timeout: 10_000 })
        .toMatch(/1m tier, each point the average of 3 min/);
      await first
        .locator('.recharts-line-dot, path.recharts-line-curve, path.recharts-area-area')
        .first()
        .waitFor({
          timeout: 10_000,
        });
      await shot(`history-24h-${grid}`);
    }
    // Back to live with "l".
    await page.locator('body').press('l');
    await page.getByTestId('host-tab-panel-disks').getByTestId('filesystems-panel').waitFor();
  });

  it('shows times in this computer’s zone, the host’s or UTC, says which, and takes "now" from the core', async () => {
    await page.locator('body').press('1');
    const label = page.getByTestId('zone-label');
    const now = page.getByTestId('zone-now');
    const ticks = page
      .getByTestId('cpu-usage-panel')
      .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await ticks.first().waitFor();
    await page.getByTestId('zone-local').click();
    expect(await label.textContent()).toBe('UTC+5:30');
    const toMinutes = (t: string) => {
      const [h, m] = t.split(':').map(Number);
      return h! * 60 + m!;
    };
    const localNow = toMinutes((await now.textContent())!);
    await page.getByTestId('zone-utc').click();
    expect(await label.textContent()).toBe('UTC');
    const utcNow = toMinutes((await now.textContent())!);
    expect((localNow - utcNow + 1440) % 1440).toBeGreaterThanOrEqual(329);
    expect((localNow - utcNow + 1440) % 1440).toBeLessThanOrEqual(331);
    // "Now" is the core's clock, in UTC here: it matches this test's UTC clock.
    const d = new Date();
    const testNow = d.getUTCHours() * 60 + d.getUTCMinutes();
    expect(Math.min((utcNow - testNow + 1440) % 1440, (testNow - utcNow + 1440) % 1440)).toBeLessThanOrEqual(
      1,
    );
    // Axis ticks follow the zone.
    const tickUtc = (await ticks.first().textContent())!;
    await page.getByTestId('zone-local').click();
    await expect.poll(async () => (await ticks.first().textContent()) !== tickUtc).toBe(true);
    // Host time: the host's own zone (UTC), named.
    await page.getByTestId('zone-host').click();
    expect(await label.textContent()).toBe('UTC');
    expect(await page.getByTestId('range-summary').textContent()).toMatch(/host time/);
    // The choice is kept for the next visit, and "z" cycles it.
    await page.locator('body').press('z');
    expect(await label.textContent()).toBe('UTC');
    expect(await page.getByTestId('zone-utc').getAttribute('aria-checked')).toBe('true');
    await page.reload();
    await page.getByTestId('zone-label').waitFor({ timeout: FIRST_SAMPLE_TIMEOUT_MS });
    expect(await page.getByTestId('zone-utc').getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('zone-local').click();
    await shot('zones');
    expect(problems.all()).toEqual([]);
  });

  it('lists the shortcuts with "?" and says so when a link names a tab this version does not have', async () => {
    await page.locator('body').press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor();
    expect(await help.textContent()).toContain('Command palette');
    await shot('shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    await page.goto(`${server.origin}/#/host/${hostIds[0]}/no-such-tab`);
    expect(await page.getByTestId('host-tab-panel-no-such-tab').textContent()).toMatch(
      /has no “no-such-tab” section/,
    );
    await page.goto(`${server.origin}/#/no-such-page`);
    expect(await page.locator('main').textContent()).toMatch(/has no “no-such-page” page/);
  });
});
