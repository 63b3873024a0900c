// Alerts in Debian's Chromium against a real `hyperion serve`: the rule editor refuses a malformed
// rule beside the field at fault, a rule is added and fires on this computer, the rail badge, the
// title and the fleet show it, the browser's Notification API shows it, it is acknowledged and
// silenced, its backtest on the stored history is drawn with its moments marked, a Slack channel
// (a local HTTP server) answers "Send test notification", and the history keeps the timeline.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import { startHttpReceiver, type HttpReceiver } from '../helpers/notify-endpoints';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

let server: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let slack: HttpReceiver;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  slack = await startHttpReceiver();
  server = await startServe({ env: { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'ef'.repeat(32) } });
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['notifications'], { origin: server.origin });
  // Record what the page hands to the browser's Notification API.
  await context.addInitScript(() => {
    const shown: { title: string; body: string; tag: string }[] = [];
    (window as unknown as { __notifications: typeof shown }).__notifications = shown;
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body?: string; tag?: string } = {}) {
        shown.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
      }
      close() {}
    }
    (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
  });
  // The store writes every 5 s: give the backtest a few writes of this computer's history.
  await new Promise((r) => setTimeout(r, 11_000));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await slack?.stop();
});

async function open(hash: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(server.url.replace('#token=', `#${hash}?token=`));
  return { page, problems };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `alerts-${name}.png`), fullPage: true });
}

describe('alerts in the browser', () => {
  it('lists the built-in rules and refuses a malformed rule beside the field at fault', async () => {
    const { page, problems } = await open('/alerts/rules');
    const rules = page.getByTestId('rules');
    await rules.getByText('Disk almost full').waitFor();
    for (const name of [
      'Host unreachable',
      'Memory almost exhausted',
      'CPU saturated',
      'Swap in use rising',
    ]) {
      await rules.getByText(name, { exact: true }).waitFor();
    }
    await page.getByTestId('new-rule').click();
    const editor = page.getByTestId('rule-editor');
    await editor.locator('input[name=threshold]').fill('ninety');
    await editor.locator('input[name=clearThreshold]').fill('95');
    await expect
      .poll(() => editor.getByTestId('rule-error-threshold').textContent())
      .toBe('the threshold is a number');
    await editor.locator('input[name=threshold]').fill('90');
    await expect
      .poll(() => editor.getByTestId('rule-error-clearThreshold').textContent())
      .toBe('it fires above 90, so it must clear at or below that');
    await editor.getByTestId('save-rule').click();
    // Saving is refused as well, and the message points at the name.
    await expect.poll(() => editor.getByTestId('rule-error-name').textContent()).toBe('give the rule a name');
    await shot(page, 'editor-invalid');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('adds a rule that fires on this computer, shown in the badge, the title, the fleet and a notification', async () => {
    const { page, problems } = await open('/alerts/rules');
    await page.getByTestId('new-rule').click();
    const editor = page.getByTestId('rule-editor');
    await editor.locator('input[name=name]').fill('Busy at all');
    await editor.locator('select[name=scope]').selectOption('host');
    await editor.locator('select[name=host]').selectOption('local');
    await editor.locator('input[name=threshold]').fill('0');
    await editor.locator('input[name=clearThreshold]').fill('');
    await editor.locator('input[name=for]').fill('0');
    await editor.locator('select[name=severity]').selectOption('critical');
    await editor.locator('textarea[name=description]').fill('CPU on {host} is {value}');
    await expect
      .poll(() => editor.getByTestId('rule-matches').textContent())
      .toMatch(/Watches 1 series on 1 host now/);
    await editor.getByTestId('save-rule').click();
    await page.getByTestId('rules').getByText('Busy at all').waitFor();

    await page.getByTestId('alerts-section-active').click();
    const row = page.locator('[data-testid^="alert-"][data-state=firing]', { hasText: 'Busy at all' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(/Critical.*Busy at all.*CPU on This computer is/);
    await expect.poll(() => page.getByTestId('alerts-badge').textContent()).toMatch(/1/);
    await expect.poll(() => page.title()).toBe('(1) Hyperion');
    await expect
      .poll(() => page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href ?? ''))
      .toMatch(/^data:image\/png/);
    // The desktop channel reaches this page through the browser's Notification API.
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            (window as unknown as { __notifications: { title: string }[] }).__notifications.map(
              (n) => n.title,
            ),
          ),
        {
          timeout: 15_000,
        },
      )
      .toContain('CRITICAL: Busy at all on This computer');
    await shot(page, 'active');

    await page.getByTestId('rail-fleet').click();
    const cell = page.getByTestId('fleet-alerts-local');
    await expect
      .poll(() => cell.locator('a.alert-badges').getAttribute('aria-label'))
      .toMatch(/1 critical alerts firing/);
    await cell.locator('a.alert-badges').click();
    await page.getByTestId('active-alerts').getByText('Host local only').waitFor();
    await page.getByTestId('rail-fleet').click();
    await page.getByTestId('count-critical').click();
    await expect
      .poll(() => page.getByTestId('alerts-count-critical').getAttribute('aria-pressed'))
      .toBe('true');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('acknowledges and silences the alert', async () => {
    const { page, problems } = await open('/alerts');
    const row = page.locator('[data-testid^="alert-"][data-state=firing]', { hasText: 'Busy at all' });
    await row.getByTestId('ack').click();
    await row.getByLabel('Acknowledgement note').fill('looking at it');
    await row.getByTestId('ack-confirm').click();
    await expect.poll(() => row.getByTestId('acknowledged').textContent()).toMatch(/looking at it/);
    // Acknowledged: nothing needs attention any more.
    await expect.poll(() => page.title()).toBe('Hyperion');

    await row.getByTestId('silence').click();
    const dialog = page.getByTestId('silence-dialog');
    await dialog.getByTestId('silence-save').click();
    await expect.poll(() => dialog.getByTestId('error-reason').textContent()).toMatch(/say why/);
    await dialog.locator('input[name=reason]').fill('load test tonight');
    await dialog.getByTestId('silence-save').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).toMatch(/🔕 until/);
    await page.getByTestId('alerts-section-silences').click();
    await page.getByTestId('silences').getByText('load test tonight').waitFor();
    await shot(page, 'silences');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('backtests a rule on the stored history and marks the moments it would have fired', async () => {
    const { page, problems } = await open('/alerts/rules');
    const rules = page.getByTestId('rules');
    const row = rules.locator('tr', { hasText: 'Busy at all' });
    await row.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('rule-editor');
    await editor.getByTestId('backtest').click();
    const result = page.getByTestId('backtest-result');
    await expect
      .poll(() => result.getByTestId('backtest-summary').textContent(), { timeout: 20_000 })
      .toMatch(/^On the stored history of the last 7 days this rule would have fired [1-9]\d* times?/);
    // A fresh install has a minute or two of history at the right edge of 7 days: a tiny line or
    // a dot, not nothing.
    await result
      .getByTestId('backtest-chart')
      .locator('path.recharts-line-curve, .recharts-line-dot')
      .first()
      .waitFor({ state: 'attached' });
    expect(await result.locator('.backtest-mark').count()).toBeGreaterThan(0);
    expect(await result.getByTestId('backtest-series').textContent()).toContain('This computer');
    await shot(page, 'backtest');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('adds a Slack channel, refuses a bad URL beside the field, and shows the real test answer', async () => {
    const { page, problems } = await open('/alerts/channels');
    await page.getByTestId('new-channel').click();
    const dialog = page.getByTestId('channel-dialog');
    await dialog.locator('input[name=name]').fill('Ops Slack');
    await dialog.locator('input[name=webhookUrl]').fill('hooks.slack.com/services/x');
    await dialog.getByTestId('save-channel').click();
    await expect
      .poll(() => dialog.getByTestId('channel-error-webhookUrl').textContent())
      .toBe('enter the full URL, starting with https://');
    await dialog.locator('input[name=webhookUrl]').fill(`${slack.origin}/services/T1/B1/e2eSECRET`);
    await dialog.getByTestId('save-channel').click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.locator('[data-testid^="channel-"]', { hasText: 'Ops Slack' }).first();
    await card.getByTestId('test-channel').click();
    await expect
      .poll(() => card.getByTestId('test-result').textContent())
      .toMatch(/✓ Slack accepted the test message \(HTTP 200 OK: ok\)/);
    expect(slack.requests.at(-1)!.path).toBe('/services/T1/B1/e2eSECRET');
    // The endpoint refuses: the card shows Slack's own words.
    slack.respond = () => ({ status: 403, body: 'invalid_token' });
    await card.getByTestId('test-channel').click();
    await expect
      .poll(() => card.getByTestId('test-result').textContent())
      .toMatch(/✕ Slack refused the message \(HTTP 403 Forbidden: invalid_token\)/);
    slack.respond = () => ({ status: 200, body: 'ok' });
    expect(await page.content()).not.toContain('e2eSECRET');
    await shot(page, 'channels');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('keeps the history with the timeline, and exports it', async () => {
    const { page, problems } = await open('/alerts/history');
    const table = page.getByTestId('history-table');
    const row = table.locator('tr', { hasText: 'Busy at all' }).first();
    await row.waitFor();
    await row.click();
    const dialog = page.getByTestId('incident-dialog');
    const timeline = dialog.getByTestId('timeline');
    await timeline.locator('li[data-kind=firing]').waitFor();
    await timeline.locator('li[data-kind=acknowledged]', { hasText: 'looking at it' }).waitFor();
    await timeline.locator('li[data-kind=notified]').first().waitFor();
    await shot(page, 'timeline');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const download = page.waitForEvent('download');
    await page.getByTestId('history-export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^hyperion-alerts-.*\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8').split(/\r?\n/);
    expect(csv[0]).toMatch(/^id,rule_id,rule,severity/);
    expect(csv.some((l) => l.includes('Busy at all'))).toBe(true);
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});
