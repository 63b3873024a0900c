// History in Chromium against a real serve: a range from the store, drawn with its averaging
// step, exported as CSV, and the storage section of Settings.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium, watchPageProblems } from '../helpers/browser';
import { HYPERION_BIN, startServe, type ServeProcess } from '../helpers/serve-process';

let browser: Browser;
let server: ServeProcess;

beforeAll(async () => {
  server = await startServe({ env: { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'ab'.repeat(32) } });
  browser = await launchChromium();
  // Samples in the database: the store writes every 5 s, so wait for two writes.
  await new Promise((r) => setTimeout(r, 11_000));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('history in the browser', () => {
  it('draws a past range from the store, says its step, and exports what it shows', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(server.url.replace('#token=', '#/host/local?token='));
    await page.getByTestId('range-15m').click();
    const cpu = page.getByTestId('history-cpu');
    await cpu.locator('path.recharts-line-curve').first().waitFor({ timeout: 10_000 });
    expect(await cpu.getByTestId('history-step').textContent()).toMatch(
      /raw samples, each point the average of 2 s/,
    );
    const download = page.waitForEvent('download');
    await cpu.getByTestId('export-csv-cpu.usage').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^hyperion-local-cpu\.usage-.*\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('time_iso,time_ms,host,metric,label,min,avg,max,step_ms,tier');
    expect(csv.length).toBeGreaterThan(2);
    // Drag across the chart to zoom into part of it; double-click returns to live.
    const box = (await cpu.locator('.recharts-surface').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.97, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('range-live').textContent()).toContain('PAUSED');
    await expect.poll(() => cpu.getByTestId('history-step').textContent()).toMatch(/average of 1 s/);
    await page.screenshot({ path: 'test-results/screenshots/history-zoomed.png' });

    // 24 hours reads the minute tier; the minutes not rolled up yet come from raw samples.
    await page.getByTestId('range-24h').click();
    await expect
      .poll(() => cpu.getByTestId('history-step').textContent())
      .toMatch(/1m tier, each point the average of 3 min/);
    await cpu.locator('.recharts-line-dot, path.recharts-line-curve').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: 'test-results/screenshots/history-24h.png' });
    // Back to live: the live view returns.
    await page.getByTestId('range-live').click();
    await page.getByTestId('cpu-usage-panel').waitFor();
    expect(problems.all()).toEqual([]);
    await context.close();
  });

  it('shows the database in Settings: rows per tier, this computer, retention', async () => {
    const page = await browser.newPage();
    await page.goto(server.url.replace('#token=', '#/settings?token='));
    const tiers = page.getByTestId('storage-tiers');
    await tiers.waitFor();
    const raw = await tiers.getByRole('row').nth(1).textContent();
    expect(raw).toMatch(/Raw samples\s*[1-9]/);
    expect(await page.getByTestId('storage-hosts').textContent()).toContain('This computer');
    expect(await page.getByTestId('store-status').textContent()).toContain('Storing');
    await page.close();
  });

  it('exports from the command line while serve is writing (WAL lets a reader in)', () => {
    const csv = execFileSync(
      process.execPath,
      [
        HYPERION_BIN,
        'export',
        'local',
        'cpu.core.usage',
        '--label',
        '0',
        '--from',
        '-10m',
        '--data-dir',
        server.dataDir,
      ],
      {
        encoding: 'utf8',
      },
    );
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('time_iso,time_ms,host,metric,label,min,avg,max,step_ms,tier');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => l.includes(',local,cpu.core.usage,0,'))).toBe(true);
    const json = JSON.parse(
      execFileSync(
        process.execPath,
        [
          HYPERION_BIN,
          'export',
          'local',
          'mem.used',
          '--from',
          '-10m',
          '--format',
          'json',
          '--data-dir',
          server.dataDir,
        ],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(json.series[0].points.length).toBeGreaterThan(1);
    let failed: { status: number; stderr: string } | undefined;
    try {
      execFileSync(
        process.execPath,
        [HYPERION_BIN, 'export', 'local', 'no.such.metric', '--data-dir', server.dataDir],
        { stdio: 'pipe' },
      );
    } catch (err) {
      failed = {
        status: (err as { status: number }).status,
        stderr: String((err as { stderr: Buffer }).stderr),
      };
    }
    expect(failed?.status).toBe(2);
    expect(failed?.stderr).toMatch(/unknown metric/);
  });
});
