// Terminals in Debian's Chromium against a real `hyperion serve` and a loopback sshd: typing
// `echo hello` and seeing the answer, colours, resize, paste and copy, search in the scrollback,
// several shells in tabs, a reattach with scrollback after leaving the tab, the banner when the
// connection drops and the new shell after it, the light theme, and no CSP refusal on the way.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { watchPageProblems, type PageProblems } from '../helpers/browser';
import type { ServeProcess } from '../helpers/serve-process';
import type { SshdFleet } from '../helpers/sshd';
import { SCREENSHOTS, startToolsStage, type ToolsStage } from '../helpers/tools-stage';

let fleet: SshdFleet;
let stage: ToolsStage;
let server: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let hostIds: string[];

beforeAll(async () => {
  stage = await startToolsStage({ hosts: 2, prefix: 'te', port: 2662 });
  ({ fleet, server, browser, context, hostIds } = stage);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
}, 90_000);

afterAll(async () => {
  await stage?.stop();
});

async function openTerminal(
  hostId: string,
  ctx: BrowserContext = context,
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await ctx.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
  await page.evaluate((h) => (window.location.hash = h), `#/host/${hostId}/terminal`);
  await page.getByTestId('terminal-tab').waitFor();
  await activePane(page).locator('.xterm-rows').waitFor();
  return { page, problems };
}

const activePane = (page: Page) => page.locator('.terminal-pane:not([hidden])');

/** The rows of the visible terminal, as text. */
async function rows(page: Page): Promise<string[]> {
  return (await activePane(page).locator('.xterm-rows > div').allTextContents()).map((r) =>
    r.replace(/\u00a0/g, ' ').trimEnd(),
  );
}

async function waitForRow(page: Page, match: (row: string) => boolean, timeout = 10_000): Promise<string> {
  let found = '';
  await vi.waitFor(
    async () => {
      found = (await rows(page)).find(match) ?? '';
      // On failure, the screen as it was.
      expect(found, (await rows(page)).filter(Boolean).join(' | ')).not.toBe('');
    },
    { timeout, interval: 100 },
  );
  return found;
}

async function type(page: Page, text: string): Promise<void> {
  await activePane(page).locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe('terminals in the browser', () => {
  it('types echo hello and sees the answer, in colour, at the size of the pane', async () => {
    const { page, problems } = await openTerminal(hostIds[0]!);
    await waitForRow(page, (r) => /\$\s*$/.test(r)); // the prompt
    await type(page, 'echo hello');
    await waitForRow(page, (r) => r === 'hello');

    // Colours: the ANSI red of the shell is drawn as the theme's red.
    await type(page, "printf '\\033[31mred-%s\\033[0m\\n' $((40+2))");
    const red = activePane(page).locator('.xterm-rows span', { hasText: 'red-42' }).first();
    await red.waitFor();
    expect(await red.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(248, 113, 113)');

    // The shell knows the pane's size, and learns the new one when the window changes.
    await type(page, 'stty size');
    const first = await waitForRow(page, (r) => /^\d+ \d+$/.test(r));
    const [rowsBefore, colsBefore] = first.split(' ').map(Number);
    expect(colsBefore).toBeGreaterThan(80);
    await page.setViewportSize({ width: 900, height: 700 });
    await vi.waitFor(
      async () => {
        await type(page, 'stty size');
        const sizes = (await rows(page)).filter((r) => /^\d+ \d+$/.test(r));
        const [r, c] = sizes.at(-1)!.split(' ').map(Number);
        expect(c).toBeLessThan(colsBefore!);
        expect(r).toBeLessThan(rowsBefore!);
      },
      { timeout: 10_000, interval: 500 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-dark.png') });
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('pastes from and copies to the clipboard, and finds text in the scrollback', async () => {
    const { page, problems } = await openTerminal(hostIds[0]!);
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((20+22))'));
    await activePane(page).locator('.xterm-helper-textarea').focus();
    await page.keyboard.press('Control+Shift+V');
    // The clipboard is read asynchronously: Enter goes once the pasted line is on the screen.
    await waitForRow(page, (r) => r.endsWith('echo pasted-$((20+22))'));
    await page.keyboard.press('Enter');
    await waitForRow(page, (r) => r === 'pasted-42');

    // Select the answer with a double click and copy it.
    const answer = activePane(page)
      .locator('.xterm-rows > div', { hasText: /^pasted-42\s*$/ })
      .last();
    const box = (await answer.locator('span').first().boundingBox())!;
    await page.mouse.dblclick(box.x + 4, box.y + box.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await vi.waitFor(async () =>
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^pasted-42/),
    );

    // Several lines would run as they arrive: shown and confirmed first. Cancel types nothing.
    await page.evaluate(() => navigator.clipboard.writeText('echo multi-$((1+1))\necho multi-$((2+2))\n'));
    await page.keyboard.press('Control+Shift+V');
    const confirm = page.getByTestId('paste-confirm');
    await expect.poll(() => confirm.locator('h2').textContent()).toBe('Paste 2 lines into the shell on te1?');
    expect(await page.getByTestId('paste-preview').textContent()).toBe(
      'echo multi-$((1+1))\necho multi-$((2+2))',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-paste-confirm.png') });
    await page.getByTestId('paste-cancel').click();
    await expect.poll(() => confirm.count()).toBe(0);
    await type(page, 'echo after-cancel');
    await waitForRow(page, (r) => r === 'after-cancel');
    expect((await rows(page)).some((r) => r.includes('multi-'))).toBe(false);
    // The browser's own paste event (its menu, middle click) is held the same way; Paste runs both.
    await activePane(page).locator('.xterm-helper-textarea').focus();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'echo multi-$((1+1))\necho multi-$((2+2))\n');
      document
        .querySelector('[data-testid^=terminal-pane-]:not([hidden]) .xterm-helper-textarea')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('paste-confirm-button').click();
    // Both lines arrive before the first answer: the shell echoes them at once, and the second
    // answer follows the prompt the first one left.
    await waitForRow(page, (r) => r === 'multi-2');
    await waitForRow(page, (r) => /(^|\$ )multi-4$/.test(r));

    await type(page, 'for i in 1 2 3; do echo needle-$i; done');
    await waitForRow(page, (r) => r === 'needle-3');
    await page.keyboard.press('Control+Shift+F');
    const search = page.getByTestId('terminal-search');
    await search.locator('input[type=search]').fill('needle-');
    await vi.waitFor(async () =>
      expect(await search.locator('.search-count').textContent()).toMatch(/of [4-9]/),
    );
    await search.locator('input[type=search]').press('Escape');
    await search.waitFor({ state: 'detached' });
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('keeps several shells in tabs and reattaches to them with their scrollback', async () => {
    const { page } = await openTerminal(hostIds[0]!);
    const tabsBefore = await page.getByTestId('terminal-session-tab').count();
    await page.getByTestId('new-terminal').click();
    await vi.waitFor(async () =>
      expect(await page.getByTestId('terminal-session-tab').count()).toBe(tabsBefore + 1),
    );
    await activePane(page).locator('.xterm-rows').waitFor();
    await waitForRow(page, (r) => /\$\s*$/.test(r));
    await type(page, 'echo second-$((1+1))');
    await waitForRow(page, (r) => r === 'second-2');
    // Away to another tab of the host and back: the same shells, the scrollback drawn again.
    await page.getByRole('tab', { name: 'Overview', exact: true }).click();
    await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
    await page.getByTestId('terminal-tab').waitFor();
    expect(await page.getByTestId('terminal-session-tab').count()).toBe(tabsBefore + 1);
    await page.getByTestId('terminal-session-tab').last().click();
    await waitForRow(page, (r) => r === 'second-2');
    await page.close();
  });

  it('shows a clear banner when the connection drops, and a new shell when the host is back', async () => {
    const host = fleet.hosts[1]!;
    const { page, problems } = await openTerminal(hostIds[1]!);
    await waitForRow(page, (r) => /\$\s*$/.test(r));
    await host.kill();
    const banner = page.getByTestId('terminal-banner');
    await banner.and(page.locator('[data-state=dropped]')).waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/connection to te2 was lost at \d\d:\d\d:\d\d/);
    await waitForRow(page, (r) => /connection to te2 lost/.test(r));
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-dropped.png') });
    await host.restart();
    // Without waiting for the next retry: the banner's button reconnects now.
    await banner.getByRole('button', { name: 'Reconnect now' }).click();
    await banner.and(page.locator('[data-state=reconnected]')).waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/this is a new shell \(shell 2\)/);
    await type(page, 'echo back-$((3*3))');
    await waitForRow(page, (r) => r === 'back-9');
    problems.clear(); // the dropped connection's own console noise is not the page's fault
    await page.close();
  });

  it('draws the terminal in the light theme', async () => {
    const light = await browser.newContext({ colorScheme: 'light', viewport: { width: 1200, height: 800 } });
    try {
      const { page, problems } = await openTerminal(hostIds[0]!, light);
      await waitForRow(page, (r) => /\$\s*$/.test(r));
      const background = await activePane(page)
        .locator('.terminal-frame')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe('rgb(251, 252, 253)');
      await type(page, 'echo light-$((5+5))');
      await waitForRow(page, (r) => r === 'light-10');
      await page.screenshot({ path: join(SCREENSHOTS, 'terminal-light.png') });
      expect(problems.all()).toEqual([]);
    } finally {
      await light.close();
    }
  });
});
