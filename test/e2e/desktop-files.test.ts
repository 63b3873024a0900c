// The Files tab of the desktop window (the renderer in Chromium with the preload's bridge relayed to
// a core in this process as the desktop caller; see test/helpers/desktop-stage.ts): Download saves
// straight into the Downloads folder — a file, a second copy beside it, a folder as a folder with
// hostile names intact, several at once — through the transfer worker, with the transfers shown and
// no CSP refusal.
import { createHash } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { watchPageProblems } from '../helpers/browser';
import { startDesktopStage, type DesktopStage } from '../helpers/desktop-stage';
import { fileRow, HOSTILE_NAMES, showFilesTab } from '../helpers/files-page';
import { userFolder } from '../helpers/ssh-tools';

let stage: DesktopStage;
let downloads: string;
let local: string;
/** What the stand-in for the shell's file dialog answers. */
let picked: string[] = [];
let root: string;
let uid: number;
let gid: number;

beforeAll(async () => {
  downloads = mkdtempSync(join(tmpdir(), 'hyperion-desktop-downloads-'));
  local = mkdtempSync(join(tmpdir(), 'hyperion-desktop-local-'));
  stage = await startDesktopStage({
    hosts: 1,
    prefix: 'dk',
    port: 2782,
    sshTools: { files: { downloadsDir: downloads, localFilePicker: { pick: async () => picked } } },
  });
  ({ path: root, uid, gid } = userFolder(stage.tools.fleet, 'hyperion-desktop-files-'));
}, 90_000);

afterAll(async () => {
  await stage?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  if (downloads) rmSync(downloads, { recursive: true, force: true });
  if (local) rmSync(local, { recursive: true, force: true });
});

async function openFiles(
  at: string,
): Promise<{ page: Page; problems: Awaited<ReturnType<typeof watchPageProblems>> }> {
  const page = await stage.open();
  const problems = await watchPageProblems(page);
  await showFilesTab(page, stage.tools.ids[0]!, at);
  return { page, problems };
}

function make(rel: string, content?: string | Buffer): string {
  const path = join(root, rel);
  if (content === undefined) mkdirSync(path);
  else writeFileSync(path, content);
  chownSync(path, uid, gid);
  return path;
}

describe('desktop window: Files', () => {
  it('downloads into the Downloads folder: a file, a second copy, and a folder as a folder', async () => {
    make('down');
    const payload = Buffer.alloc(4_000_000, 'hyperion ');
    make('down/report.bin', payload);
    make('down/tree');
    make('down/tree/inner');
    for (const name of HOSTILE_NAMES) make(`down/tree/inner/${name}`, `content of ${name}`);

    const { page, problems } = await openFiles(join(root, 'down'));
    await fileRow(page, 'report.bin').click();
    for (const expected of ['report.bin', 'report (1).bin']) {
      await page.getByTestId('download').click();
      await page.getByText(`report.bin is downloading into ${downloads}.`).waitFor();
      await vi.waitFor(() => expect(readdirSync(downloads)).toContain(expected), { timeout: 10_000 });
    }
    await fileRow(page, 'tree').click();
    // A folder is not packed into a .tar here.
    expect(await page.getByTestId('download').textContent()).toBe('Download');
    await page.getByTestId('download').click();
    await page.getByText(`tree is downloading into ${downloads}.`).waitFor();
    const queue = page.getByTestId('transfer-queue');
    await vi.waitFor(async () => expect(await queue.locator('[data-state=succeeded]').count()).toBe(3), {
      timeout: 15_000,
    });
    const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    expect(sha(readFileSync(join(downloads, 'report.bin')))).toBe(sha(payload));
    expect(sha(readFileSync(join(downloads, 'report (1).bin')))).toBe(sha(payload));
    for (const name of HOSTILE_NAMES)
      expect(readFileSync(join(downloads, 'tree', 'inner', name), 'utf8')).toBe(`content of ${name}`);
    // Nothing else: no temporary file, no .tar.
    expect(readdirSync(downloads).sort()).toEqual(['report (1).bin', 'report.bin', 'tree']);

    // Several at once (Ctrl): each under its own free name.
    await fileRow(page, 'report.bin').click({ modifiers: ['Control'] });
    await page.getByTestId('download').click();
    await page.getByText(`2 items are downloading into ${downloads}.`).waitFor();
    await vi.waitFor(async () => expect(await queue.locator('[data-state=succeeded]').count()).toBe(4), {
      timeout: 15_000,
    });
    expect(readdirSync(downloads).sort()).toEqual([
      'report (1).bin',
      'report (2).bin',
      'report.bin',
      'tree',
      'tree (1)',
    ]);
    expect(readFileSync(join(downloads, 'tree (1)', 'inner', '-rf'), 'utf8')).toBe('content of -rf');
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});

describe('desktop window: uploads', () => {
  it('uploads what the file dialog chose, read from disk, asking before it replaces a file', async () => {
    make('up');
    make('up/notes.txt', 'old notes');
    writeFileSync(join(local, 'notes.txt'), 'new notes');
    const payload = Buffer.alloc(3_000_000, 'up ');
    writeFileSync(join(local, 'big.bin'), payload);
    mkdirSync(join(local, 'site'));
    writeFileSync(join(local, 'site', HOSTILE_NAMES[4]!), 'hostile');
    const { page, problems } = await openFiles(join(root, 'up'));

    picked = [join(local, 'notes.txt'), join(local, 'big.bin')];
    await page.getByTestId('upload-files').click();
    const prompt = page.getByTestId('conflict-dialog');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('notes.txt');
    await prompt.getByTestId('conflict-replace-all').click();
    await vi.waitFor(async () => expect(await fileRow(page, 'big.bin').count()).toBe(1), { timeout: 10_000 });
    expect(readFileSync(join(root, 'up', 'notes.txt'), 'utf8')).toBe('new notes');
    expect(readFileSync(join(root, 'up', 'big.bin')).equals(payload)).toBe(true);

    picked = [join(local, 'site')];
    await page.getByTestId('upload-folder').click();
    await vi.waitFor(async () => expect(await fileRow(page, 'site').count()).toBe(1), { timeout: 10_000 });
    expect(readFileSync(join(root, 'up', 'site', HOSTILE_NAMES[4]!), 'utf8')).toBe('hostile');
    // A cancelled dialog does nothing.
    picked = [];
    await page.getByTestId('upload-files').click();
    expect(await page.getByTestId('conflict-dialog').count()).toBe(0);
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});
