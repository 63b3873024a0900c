// The Commands page in Debian's Chromium against a real `hyperion serve` and loopback sshd hosts:
// hosts chosen by tag, the confirmation naming the exact command and hosts, live results per host
// with stderr apart, exit codes and the summary naming the failed host, the history, snippets, and
// a cancel that stops the remote process.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { watchPageProblems, type PageProblems } from '../helpers/browser';
import type { ServeProcess } from '../helpers/serve-process';
import { remoteProcesses } from '../helpers/ssh-tools';
import type { SshdFleet } from '../helpers/sshd';
import { SCREENSHOTS, startToolsStage, type ToolsStage } from '../helpers/tools-stage';

let fleet: SshdFleet;
let stage: ToolsStage;
let server: ServeProcess;
let context: BrowserContext;
let hostIds: string[];

beforeAll(async () => {
  stage = await startToolsStage({
    hosts: 3,
    prefix: 'ce',
    port: 2682,
    context: { viewport: { width: 1400, height: 1000 } },
  });
  ({ fleet, server, context, hostIds } = stage);
}, 90_000);

afterAll(async () => {
  await stage?.stop();
});

async function openCommands(): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
  await page.evaluate(() => (window.location.hash = '#/commands'));
  await page.getByTestId('command-composer').waitFor();
  return { page, problems };
}

describe('the Commands page in the browser', () => {
  it('runs on the hosts of a tag after a confirmation naming the command and hosts, and shows each result', async () => {
    const { page, problems } = await openCommands();
    const failing = fleet.hosts[1]!.address;
    const command = `echo "hello from $(echo $SSH_CONNECTION | cut -d' ' -f3)"; echo "a warning" >&2; case " $SSH_CONNECTION " in *" ${failing} "*) exit 3;; esac`;
    await page.getByTestId('command-input').fill(command);
    await page.getByTestId('pick-tag-ce').click();
    await page.getByTestId('run-command').click();
    const confirm = page.getByTestId('confirm-run');
    await confirm.waitFor();
    expect(await confirm.getByTestId('confirm-command').textContent()).toBe(command);
    expect(
      (await confirm.getByTestId('confirm-hosts').locator('li').allTextContents()).map(
        (t) => t.split(' ')[0],
      ),
    ).toEqual(['ce1', 'ce2', 'ce3']);
    await page.getByTestId('confirm-run-button').click();
    const run = page.getByTestId('run-view');
    await run.and(page.locator('[data-state=finished]')).waitFor({ timeout: 20_000 });
    const summary = page.getByTestId('run-summary');
    expect(await summary.textContent()).toContain('2 succeeded');
    expect(await summary.textContent()).toContain('1 failed');
    expect(await page.getByTestId('failed-hosts').textContent()).toBe('Failed: ce2');
    for (const [i, id] of hostIds.entries()) {
      const card = page.locator(`[data-testid=run-host][data-host=${id}]`);
      expect(await card.getAttribute('data-state')).toBe(i === 1 ? 'failed' : 'succeeded');
      expect(await card.getByTestId('exit-code').textContent()).toBe(`exit ${i === 1 ? 3 : 0}`);
      const output = card.getByTestId('host-output');
      expect(await output.locator('.stdout').allTextContents()).toEqual([
        `hello from ${fleet.hosts[i]!.address}\n`,
      ]);
      expect(await output.locator('.stderr').allTextContents()).toEqual(['a warning\n']);
    }
    expect(
      await page.locator('[data-testid=run-host][data-state=failed]').getByTestId('host-error').textContent(),
    ).toBe('Exited with status 3.');
    // The history lists it.
    const history = page.getByTestId('run-history');
    await vi.waitFor(async () =>
      expect(await history.getByTestId('history-run').first().textContent()).toContain('hello from'),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'commands-run.png'), fullPage: true });
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('saves a snippet and inserts it into a new command', async () => {
    const { page } = await openCommands();
    await page.getByTestId('command-input').fill('df -h /');
    await page.getByRole('button', { name: 'Save as snippet' }).click();
    const dialog = page.getByTestId('snippet-dialog');
    await dialog.locator('input[name=name]').fill('Root disk');
    await dialog.getByTestId('save-snippet').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('command-input').fill('');
    await page.getByTestId('snippet-select').selectOption({ label: 'Root disk' });
    expect(await page.getByTestId('command-input').inputValue()).toBe('df -h /');
    await page.close();
  });

  it('cancels a running command and nothing is left on the host', async () => {
    const { page, problems } = await openCommands();
    await page.getByTestId('command-input').fill('echo started; sleep 3507');
    await page.getByTestId(`pick-${hostIds[0]}`).check();
    await page.getByTestId('run-command').click(); // one host: no confirmation
    const run = page.getByTestId('run-view');
    await run.waitFor();
    await vi.waitFor(() => expect(remoteProcesses(fleet.user.name, '^sleep 3507')).toHaveLength(1), {
      timeout: 10_000,
    });
    await vi.waitFor(async () =>
      expect(await page.getByTestId('host-output').textContent()).toBe('started\n'),
    );
    await page.getByTestId('cancel-run').click();
    await run.and(page.locator('[data-state=cancelled]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('host-state').textContent()).toContain('Cancelled');
    expect(remoteProcesses(fleet.user.name, '3507')).toEqual([]);
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});
