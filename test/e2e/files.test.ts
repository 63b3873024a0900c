// The Files tab in Debian's Chromium against a real `hyperion serve` and a loopback sshd with
// internal-sftp: the path bar, sorting and hidden files, hostile names shown as data, an upload
// through the file picker with the overwrite prompt, a dropped file, a 200 MB upload with progress
// and its checksum, downloads of a file and of a folder as .tar, new folder, rename, permissions,
// delete with confirmation, the viewer, the HTTP endpoint's refusals, and no CSP refusal.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { watchPageProblems, type PageProblems } from '../helpers/browser';
import { fileRow, goTo, HOSTILE_NAMES, rowNames, showFilesTab } from '../helpers/files-page';
import type { ServeProcess } from '../helpers/serve-process';
import type { SshdFleet } from '../helpers/sshd';
import { SCREENSHOTS, startToolsStage, type ToolsStage } from '../helpers/tools-stage';

let fleet: SshdFleet;
let stage: ToolsStage;
let server: ServeProcess;
let context: BrowserContext;
let hostId: string | undefined;
let root: string;
let local: string;
let uid: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hyperion-e2e-files-'));
  local = mkdtempSync(join(tmpdir(), 'hyperion-e2e-local-'));
  stage = await startToolsStage({
    hosts: 1,
    prefix: 'fe',
    port: 2672,
    context: { acceptDownloads: true },
    prepare: (sshd) => {
      uid = Number(execFileSync('id', ['-u', sshd.user.name], { encoding: 'utf8' }).trim());
      chownSync(root, uid, uid);
    },
  });
  ({ fleet, server, context } = stage);
  hostId = stage.hostIds[0];
}, 90_000);

afterAll(async () => {
  await stage?.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(local, { recursive: true, force: true });
});

/** A file or folder on the host, owned by the test user. */
function make(rel: string, content?: string | Buffer, mode?: number): string {
  const path = join(root, rel);
  if (content === undefined) mkdirSync(path, { mode: mode ?? 0o755 });
  else writeFileSync(path, content, { mode: mode ?? 0o644 });
  chownSync(path, uid, uid);
  return path;
}

async function openFiles(at: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(server.url);
  await showFilesTab(page, hostId!, at);
  return { page, problems };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the Files tab in the browser', () => {
  it('browses: path bar, sizes, owner, mode, sorting, hidden files and hostile names as data', async () => {
    make('browse');
    make('browse/small.txt', 'x');
    make('browse/big.txt', 'y'.repeat(5000), 0o600);
    make('browse/.dotfile', 'z');
    make('browse/sub');
    for (const name of HOSTILE_NAMES) make(`browse/${name}`, name);
    const { page, problems } = await openFiles(`${root}/browse`);
    await vi.waitFor(async () => expect(await rowNames(page)).toContain('big.txt'));
    expect(await rowNames(page)).not.toContain('.dotfile');
    await page.getByTestId('show-hidden').check();
    await vi.waitFor(async () => expect(await rowNames(page)).toContain('.dotfile'));
    expect((await rowNames(page))[0]).toBe('sub'); // folders first
    const big = fileRow(page, 'big.txt');
    expect(await big.locator('td').nth(1).textContent()).toBe('4.88 KiB');
    expect(await big.locator('td').nth(2).textContent()).toBe(`${fleet.user.name}:${fleet.user.name}`);
    expect(await big.locator('td').nth(3).textContent()).toBe('-rw-------');
    // Sorting by size, largest first.
    await page.getByRole('button', { name: /^Size/ }).click();
    const bySize = await rowNames(page);
    expect(bySize.indexOf('big.txt')).toBeLessThan(bySize.indexOf('small.txt'));
    // A newline in a name is shown as a symbol, never breaks the row; "$(…)" is just text.
    expect(await fileRow(page, 'line\nbreak.txt').locator('.file-name').textContent()).toBe('line↵break.txt');
    expect(await fileRow(page, '$(touch PWNED)').locator('.file-name').textContent()).toBe('$(touch PWNED)');
    // Into a folder by double click, back up by the path bar.
    await fileRow(page, 'sub').dblclick();
    await vi.waitFor(async () => expect(await page.getByTestId('path-bar').textContent()).toContain('sub'));
    await page.getByTestId('path-bar').getByRole('button', { name: 'browse', exact: true }).click();
    await vi.waitFor(async () => expect(await rowNames(page)).toContain('big.txt'));
    await page.screenshot({ path: join(SCREENSHOTS, 'files-dark.png') });
    expect(existsSync(join(root, 'browse', 'PWNED'))).toBe(false);
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('uploads through the file picker, asking before it replaces a file', async () => {
    make('up');
    make('up/notes.txt', 'old notes\n');
    writeFileSync(join(local, 'notes.txt'), 'new notes\n');
    writeFileSync(join(local, 'fresh.txt'), 'fresh\n');
    const { page, problems } = await openFiles(`${root}/up`);
    await page.getByTestId('file-input').setInputFiles([join(local, 'notes.txt'), join(local, 'fresh.txt')]);
    const prompt = page.getByTestId('conflict-dialog');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('notes.txt');
    await prompt.getByTestId('conflict-skip-all').click();
    await vi.waitFor(() => expect(existsSync(join(root, 'up', 'fresh.txt'))).toBe(true));
    expect(readFileSync(join(root, 'up', 'notes.txt'), 'utf8')).toBe('old notes\n');
    // Again, replacing this time.
    await page.getByTestId('file-input').setInputFiles([join(local, 'notes.txt')]);
    await prompt.waitFor();
    await prompt.getByTestId('conflict-replace-all').click();
    await vi.waitFor(() => expect(readFileSync(join(root, 'up', 'notes.txt'), 'utf8')).toBe('new notes\n'));
    expect(readdirSync(join(root, 'up')).sort()).toEqual(['fresh.txt', 'notes.txt']);
    await vi.waitFor(async () => expect(await rowNames(page)).toContain('fresh.txt'));
    const queue = page.getByTestId('transfer-queue');
    await vi.waitFor(async () => expect(await queue.locator('[data-state=succeeded]').count()).toBe(2));
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('uploads a dropped file', async () => {
    make('drop');
    const { page } = await openFiles(`${root}/drop`);
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped with care\n'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.getByTestId('files-table').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('files-table').dispatchEvent('drop', { dataTransfer });
    await vi.waitFor(() => expect(existsSync(join(root, 'drop', 'dropped.txt'))).toBe(true), {
      timeout: 10_000,
    });
    expect(readFileSync(join(root, 'drop', 'dropped.txt'), 'utf8')).toBe('dropped with care\n');
    await page.close();
  });

  it('uploads 200 MB from the browser with progress and speed, keeping the checksum', async () => {
    make('large');
    const file = join(local, 'large.bin');
    execFileSync('sh', ['-c', 'head -c 200000000 /dev/urandom > "$1"', 'sh', file]);
    const expected = sha(readFileSync(file));
    const { page } = await openFiles(`${root}/large`);
    // Every value the progress bar and the speed show, as the page draws them.
    await page.evaluate(() => {
      const seen: { progress: number[]; speeds: string[] } = { progress: [], speeds: [] };
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll(
          '[data-testid=transfer] [role=progressbar][aria-label^="large.bin"]',
        )) {
          seen.progress.push(Number(bar.getAttribute('aria-valuenow')));
        }
        for (const figures of document.querySelectorAll('[data-testid=transfer] .transfer-figures')) {
          const speed = /\d[\d.]* (?:B|KiB|MiB|GiB)\/s/.exec(figures.textContent ?? '');
          if (speed) seen.speeds.push(speed[0]);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByTestId('file-input').setInputFiles(file);
    const transfer = page.getByTestId('transfer').filter({ hasText: 'large.bin' });
    await transfer.waitFor();
    await transfer.and(page.locator('[data-state=succeeded]')).waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { seen: { progress: number[]; speeds: string[] } }).seen,
    );
    expect(seen.progress.some((p) => p > 0 && p < 100)).toBe(true);
    expect(seen.speeds.length).toBeGreaterThan(0);
    expect(sha(readFileSync(join(root, 'large', 'large.bin')))).toBe(expected);
    expect(readdirSync(join(root, 'large'))).toEqual(['large.bin']);
    rmSync(file);
    await page.close();
  }, 90_000);

  it('downloads a file and a folder (as .tar, hostile names intact)', async () => {
    make('down');
    make('down/report.txt', 'quarterly report\n');
    make('down/tree');
    make('down/tree/inner');
    for (const name of HOSTILE_NAMES) make(`down/tree/inner/${name}`, `content of ${name}`);
    const { page, problems } = await openFiles(`${root}/down`);
    await fileRow(page, 'report.txt').click();
    const [fileDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    expect(fileDownload.suggestedFilename()).toBe('report.txt');
    expect(readFileSync((await fileDownload.path())!, 'utf8')).toBe('quarterly report\n');

    await fileRow(page, 'tree').click();
    const [tarDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    expect(tarDownload.suggestedFilename()).toBe('tree.tar');
    const out = mkdtempSync(join(tmpdir(), 'hyperion-untar-'));
    execFileSync('tar', ['-xf', (await tarDownload.path())!, '-C', out]);
    for (const name of HOSTILE_NAMES)
      expect(readFileSync(join(out, 'tree', 'inner', name), 'utf8')).toBe(`content of ${name}`);
    rmSync(out, { recursive: true, force: true });
    const queue = page.getByTestId('transfer-queue');
    await vi.waitFor(async () =>
      expect(await queue.locator('[data-state=succeeded]').count()).toBeGreaterThanOrEqual(2),
    );
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('creates a folder, renames, changes permissions, views and deletes with confirmation', async () => {
    make('ops');
    make('ops/readme.md', '# Title\nline two\n');
    const { page, problems } = await openFiles(`${root}/ops`);
    await page.getByTestId('new-folder').click();
    await page.getByTestId('file-name-dialog').locator('input[name=name]').fill('made -here');
    await page.getByTestId('file-name-submit').click();
    await vi.waitFor(() => expect(statSync(join(root, 'ops', 'made -here')).isDirectory()).toBe(true));

    await fileRow(page, 'readme.md').click();
    await page.getByTestId('rename').click();
    await page.getByTestId('file-name-dialog').locator('input[name=name]').fill('README.md');
    await page.getByTestId('file-name-submit').click();
    await vi.waitFor(() => expect(existsSync(join(root, 'ops', 'README.md'))).toBe(true));

    await fileRow(page, 'README.md').click();
    await page.getByTestId('chmod').click();
    const chmod = page.getByTestId('chmod-dialog');
    await chmod.getByLabel('others read').uncheck();
    await chmod.getByLabel('owner execute').check();
    expect(await chmod.locator('input[name=octal]').inputValue()).toBe('0740');
    await page.getByTestId('chmod-submit').click();
    await vi.waitFor(() => expect(statSync(join(root, 'ops', 'README.md')).mode & 0o777).toBe(0o740));

    await fileRow(page, 'README.md').dblclick();
    const viewer = page.getByTestId('file-viewer');
    await viewer.getByTestId('viewer-text').waitFor();
    expect(await viewer.getByTestId('viewer-text').textContent()).toContain('line two');
    await viewer.getByRole('button', { name: 'Close' }).click();

    await fileRow(page, 'made -here').click();
    await page.getByTestId('delete').click();
    const confirm = page.getByTestId('delete-dialog');
    expect(await confirm.textContent()).toContain(`${root}/ops/made -here`);
    await page.getByTestId('delete-submit').click();
    await vi.waitFor(() => expect(existsSync(join(root, 'ops', 'made -here'))).toBe(false));
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('selects several entries (Ctrl, Shift): downloads them as one .tar, deletes them after one confirmation', async () => {
    make('multi');
    make('multi/a.txt', 'alpha');
    make('multi/b.txt', 'bravo');
    make('multi/c.txt', 'charlie');
    make('multi/d.txt', 'delta');
    make('multi/sub');
    make('multi/sub/inner.txt', 'inside');
    const { page, problems } = await openFiles(`${root}/multi`);
    // Folders first: sub, a, b, c, d. A click, then Shift to c: a–c; Ctrl adds sub.
    await fileRow(page, 'a.txt').click();
    await fileRow(page, 'c.txt').click({ modifiers: ['Shift'] });
    await fileRow(page, 'sub').click({ modifiers: ['Control'] });
    expect(await page.getByTestId('selection-count').textContent()).toBe('4 selected');
    expect(await page.locator('[data-testid=file-row][aria-selected=true]').count()).toBe(4);
    // Single-item actions are not offered for several.
    expect(await page.getByTestId('rename').count()).toBe(0);
    expect(await page.getByTestId('download').textContent()).toBe('Download (.tar)');

    const [tarDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    expect(tarDownload.suggestedFilename()).toBe('sub-and-3-more.tar');
    const out = mkdtempSync(join(tmpdir(), 'hyperion-untar-'));
    execFileSync('tar', ['-xf', (await tarDownload.path())!, '-C', out]);
    expect(readdirSync(out).sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'sub']);
    expect(readFileSync(join(out, 'sub', 'inner.txt'), 'utf8')).toBe('inside');
    rmSync(out, { recursive: true, force: true });

    // Ctrl takes one out again; Delete lists what goes and asks once.
    await fileRow(page, 'b.txt').click({ modifiers: ['Control'] });
    await page.getByTestId('files-table').press('Delete');
    const confirm = page.getByTestId('delete-dialog');
    expect(await confirm.getByRole('heading').textContent()).toBe('Delete these 3 items?');
    const listed = await page.getByTestId('delete-list').locator('li').allTextContents();
    expect(listed).toEqual([`${root}/multi/sub (folder)`, `${root}/multi/a.txt`, `${root}/multi/c.txt`]);
    await page.screenshot({ path: join(SCREENSHOTS, 'files-multi-delete.png') });
    await page.getByTestId('delete-submit').click();
    await vi.waitFor(async () => expect(await rowNames(page)).toEqual(['b.txt', 'd.txt']));
    expect(readdirSync(join(root, 'multi')).sort()).toEqual(['b.txt', 'd.txt']);
    // Ctrl+A selects every row.
    await page.getByTestId('files-table').press('Control+a');
    expect(await page.getByTestId('selection-count').textContent()).toBe('2 selected');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('refuses transfer requests without a valid ticket or from another origin', async () => {
    const send = (path: string, method: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(method === 'PUT' ? 'x' : undefined);
      });
    expect(await send(`/api/transfer/${'a'.repeat(43)}`, 'GET')).toBe(404);
    expect(await send(`/api/transfer/${'a'.repeat(43)}/0`, 'PUT')).toBe(404);
    expect(await send('/api/transfer/short', 'GET')).toBe(404);
    expect(await send(`/api/transfer/${'a'.repeat(43)}/0`, 'PUT', { Origin: 'http://evil.example' })).toBe(
      403,
    );
    // A ticket serves once.
    make('once.txt', 'once');
    const { client } = await server.client();
    const { ticket } = await client.call('files.beginDownload', {
      host: hostId!,
      paths: [join(root, 'once.txt')],
    });
    expect(await send(`/api/transfer/${ticket}`, 'GET')).toBe(200);
    expect(await send(`/api/transfer/${ticket}`, 'GET')).toBe(404);
    client.close();
  });

  it('draws the file browser in the light theme', async () => {
    make('light');
    make('light/a.txt', 'a');
    const light = await stage.browser.newContext({
      colorScheme: 'light',
      viewport: { width: 1200, height: 800 },
    });
    const page = await light.newPage();
    const problems = await watchPageProblems(page);
    try {
      await page.goto(server.url);
      await page.getByTestId('fleet-view').waitFor();
      await page.evaluate((h) => (window.location.hash = h), `#/host/${hostId}/files`);
      await page.getByTestId('path-bar').waitFor();
      await goTo(page, `${root}/light`);
      await fileRow(page, 'a.txt').waitFor();
      const background = await page
        .getByTestId('files-table')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe('rgb(255, 255, 255)');
      await page.screenshot({ path: join(SCREENSHOTS, 'files-light.png') });
      expect(problems.all()).toEqual([]);
    } finally {
      await light.close();
    }
  });
});
