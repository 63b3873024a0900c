// SFTP transfers through the core against a real sshd: 200 MB up and down with the checksum kept and
// memory flat, folders with hostile names both ways, overwrite only when asked (keeping the mode),
// cancel, and a transfer cut by the host going away, which fails clearly and leaves nothing under
// the final name. The sshd host runs on this machine, so the test checks its files directly.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Transfer } from '../../../common/schemas/files';
import {
  connectTestClient,
  createTestCore,
  FAST_CONNECTIONS,
  type TestClient,
  type TestCore,
} from '../../helpers/core';
import { addTrustedHosts, startToolsCore, userFolder, type ToolsCore } from '../../helpers/ssh-tools';
import type { SshdFleet } from '../../helpers/sshd';

const MB = 1_000_000;
const owner = { id: 'test', via: 'memory' as const };

let stage: ToolsCore;
let fleet: SshdFleet;
let testCore: TestCore;
let harness: TestClient;
let host: string | undefined;
let remote: string;
let local: string;
let uid: number;
let gid: number;

let downloads: string;
/** What the stand-in for the desktop's file dialog answers next. */
let picked: string[] = [];
const pickedKinds: string[] = [];

beforeAll(async () => {
  downloads = mkdtempSync(join(tmpdir(), 'hyperion-downloads-'));
  stage = await startToolsCore(1, {
    prefix: 'xfer',
    port: 2752,
    sshTools: {
      files: {
        downloadsDir: downloads,
        localFilePicker: {
          pick: async (kind) => {
            pickedKinds.push(kind);
            return picked;
          },
        },
      },
    },
  });
  ({ fleet, testCore, harness } = stage);
  [host] = stage.ids;
  ({ path: remote, uid, gid } = userFolder(fleet, 'hyperion-remote-'));
  local = mkdtempSync(join(tmpdir(), 'hyperion-local-'));
}, 60_000);

afterAll(async () => {
  await stage?.stop();
  if (remote) rmSync(remote, { recursive: true, force: true });
  if (local) rmSync(local, { recursive: true, force: true });
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const transfers = () => testCore.core.sshTools.transfers;

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Peak RSS and heap above the level when sampling began, every 20 ms while `work` runs. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; rssMB: number; heapMB: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const probe = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss - base.rss);
    heap = Math.max(heap, m.heapUsed - base.heapUsed);
  }, 20);
  try {
    const result = await work();
    return { result, rssMB: rss / MB, heapMB: heap / MB };
  } finally {
    clearInterval(probe);
  }
}

/** A source that yields `total` bytes in 1 MiB pieces, one every `everyMs`. */
function slowSource(total: number, everyMs: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(1024 * 1024, total - sent);
      sent += size;
      setTimeout(() => this.push(Buffer.alloc(size, 7)), everyMs);
    },
  });
}

function remoteDir(name: string): string {
  const dir = join(remote, name);
  mkdirSync(dir);
  chownSync(dir, uid, gid);
  return dir;
}

describe('SFTP transfers', () => {
  it('uploads and downloads 200 MB with the same checksum, memory staying flat', async () => {
    const source = join(local, 'big.bin');
    execFileSync('sh', ['-c', 'head -c 200000000 /dev/urandom > "$1"', 'sh', source]);
    const expected = await sha256(source);
    const dir = remoteDir('big');
    // The transfer worker's thread (its own heap: ~20 MB) starts at the first transfer, not here.
    const warm = join(local, 'warm.bin');
    writeFileSync(warm, Buffer.alloc(1024 * 1024));
    await transfers().uploadPath(host!, warm, dir, { replace: false }, owner);
    rmSync(warm);
    rmSync(join(dir, 'warm.bin'));
    const loginsBefore = fleet.hosts[0]!.logLines(/Accepted publickey/).length;

    const up = await peakMemory(() => transfers().uploadPath(host!, source, dir, { replace: false }, owner));
    expect(up.result).toMatchObject({ state: 'succeeded', bytesDone: 200 * MB, filesDone: 1, error: null });
    expect(await sha256(join(dir, 'big.bin'))).toBe(expected);
    expect(statSync(join(dir, 'big.bin')).mode & 0o777).toBe(0o644);
    // Nothing of the temporary name is left beside it.
    expect(readdirSync(dir)).toEqual(['big.bin']);

    const into = join(local, 'down');
    mkdirSync(into);
    const down = await peakMemory(() =>
      transfers().downloadPath(host!, join(dir, 'big.bin'), into, { replace: false }, owner),
    );
    expect(down.result).toMatchObject({ state: 'succeeded', bytesDone: 200 * MB, filesDone: 1 });
    expect(await sha256(join(into, 'big.bin'))).toBe(expected);
    expect(readdirSync(into)).toEqual(['big.bin']);

    console.log(
      `200 MB: upload peak +${up.rssMB.toFixed(0)} MB RSS, +${up.heapMB.toFixed(0)} MB heap; download peak +${down.rssMB.toFixed(0)} MB RSS, +${down.heapMB.toFixed(0)} MB heap`,
    );
    // Held whole, 200 MB would show; the pipeline holds 32 requests of 255 KiB at most. The worker
    // collects less often than the main thread did, so it keeps more garbage (+45–55 MB at most,
    // the same for 800 MB): bounded, not growing with the file.
    expect(up.rssMB).toBeLessThan(80);
    expect(down.rssMB).toBeLessThan(80);
    expect(up.heapMB).toBeLessThan(60);
    expect(down.heapMB).toBeLessThan(60);
    // Bulk transfers of local files use one more (uncompressed) login beside the host's connection,
    // the transfer worker's (made for the warm-up), for the upload and the download alike.
    expect(fleet.hosts[0]!.logLines(/Accepted publickey/).length).toBe(loginsBefore);
    const audit = testCore.core.audit.list({ action: 'files.', limit: 10 }).entries;
    expect(audit.find((e) => e.action === 'files.upload')).toMatchObject({ host, result: 'ok', target: dir });
    expect(audit.find((e) => e.action === 'files.download')!.args.bytes).toBe(200 * MB);
    rmSync(source);
    rmSync(into, { recursive: true });
  }, 120_000);

  it('moves folders with hostile names both ways, exactly', async () => {
    const tree = join(local, 'site');
    const names = ['two words', 'quote\'s "x"', 'line\nbreak', '-rf', '$(touch PWNED)', 'ünï ✓'];
    mkdirSync(join(tree, 'nested', 'deeper'), { recursive: true });
    mkdirSync(join(tree, 'empty folder'));
    for (const [i, name] of names.entries()) {
      writeFileSync(join(tree, name), `file ${i}`);
      writeFileSync(join(tree, 'nested', 'deeper', name), `deep ${i}`);
    }
    const dir = remoteDir('folders');
    const up = await transfers().uploadPath(host!, tree, dir, { replace: false }, owner);
    expect(up).toMatchObject({
      state: 'succeeded',
      filesDone: names.length * 2,
      filesTotal: names.length * 2,
    });
    for (const [i, name] of names.entries()) {
      expect(readFileSync(join(dir, 'site', name), 'utf8')).toBe(`file ${i}`);
      expect(readFileSync(join(dir, 'site', 'nested', 'deeper', name), 'utf8')).toBe(`deep ${i}`);
    }
    expect(statSync(join(dir, 'site', 'empty folder')).isDirectory()).toBe(true);
    expect(existsSync(join(dir, 'site', 'PWNED'))).toBe(false);

    const back = join(local, 'back');
    mkdirSync(back);
    const down = await transfers().downloadPath(host!, join(dir, 'site'), back, { replace: false }, owner);
    expect(down).toMatchObject({ state: 'succeeded', filesDone: names.length * 2 });
    for (const [i, name] of names.entries()) {
      expect(readFileSync(join(back, 'site', name), 'utf8')).toBe(`file ${i}`);
      expect(readFileSync(join(back, 'site', 'nested', 'deeper', name), 'utf8')).toBe(`deep ${i}`);
    }
    expect(readdirSync(join(back, 'site')).sort()).toEqual([...names, 'empty folder', 'nested'].sort());
  });

  it('never overwrites unless asked; a replaced file keeps its mode', async () => {
    const dir = remoteDir('replace');
    const file = join(local, 'conf.ini');
    writeFileSync(file, 'new settings\n');
    writeFileSync(join(dir, 'conf.ini'), 'old settings\n', { mode: 0o640 });
    chownSync(join(dir, 'conf.ini'), uid, gid);
    chmodSync(join(dir, 'conf.ini'), 0o640);
    const refused = await transfers().uploadPath(host!, file, dir, { replace: false }, owner);
    expect(refused.state).toBe('failed');
    expect(refused.error).toBe(`conf.ini already exists in ${dir}.`);
    expect(readFileSync(join(dir, 'conf.ini'), 'utf8')).toBe('old settings\n');
    const replaced = await transfers().uploadPath(host!, file, dir, { replace: true }, owner);
    expect(replaced.state).toBe('succeeded');
    expect(readFileSync(join(dir, 'conf.ini'), 'utf8')).toBe('new settings\n');
    expect(statSync(join(dir, 'conf.ini')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['conf.ini']);
  });

  it('cancels an upload: no file under the final name, no temporary file left', async () => {
    const dir = remoteDir('cancel');
    const started = transfers().upload(
      host!,
      dir,
      [{ path: 'slow.bin', kind: 'file', size: 64 * 1024 * 1024, replace: false }],
      async () => slowSource(64 * 1024 * 1024, 20),
      owner,
    );
    await vi.waitFor(() => expect(transfers().get(started.id, 'test').bytesDone).toBeGreaterThan(2 * MB), {
      timeout: 10_000,
    });
    transfers().cancel(started.id, 'test');
    const ended = await transfers().wait(started.id);
    expect(ended).toMatchObject({ state: 'cancelled', error: 'Cancelled.' });
    await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]));
  });

  it('fails an upload cut by the host going away, leaving nothing under the final name', async () => {
    const dir = remoteDir('cut-up');
    const changes: Transfer[] = [];
    const off = transfers().onChange((changed) => changes.push(...changed));
    const started = transfers().upload(
      host!,
      dir,
      [{ path: 'cut.bin', kind: 'file', size: 64 * 1024 * 1024, replace: false }],
      async () => slowSource(64 * 1024 * 1024, 20),
      owner,
    );
    // Under way, with a speed measured.
    await vi.waitFor(() => expect(changes.some((c) => c.id === started.id && c.bytesPerSec > 0)).toBe(true), {
      timeout: 10_000,
    });
    await fleet.hosts[0]!.kill();
    const ended = await transfers().wait(started.id);
    off();
    expect(ended.state).toBe('failed');
    expect(ended.error).toBe('Uploading cut.bin: the connection was lost.');
    expect(ended.bytesDone).toBeLessThan(64 * 1024 * 1024);
    expect(existsSync(join(dir, 'cut.bin'))).toBe(false);
    // The temporary file could not be removed while the host was away; it is once it is back.
    const left = readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.cut\.bin\.hyperion-[0-9a-f]{12}\.part$/);
    await fleet.hosts[0]!.restart();
    await harness.waitForState(host!, 'up');
    await harness.client.call('files.list', { host: host!, path: dir });
    await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]), { timeout: 5_000 });
  }, 60_000);

  it('fails a download cut by the host going away, leaving no file behind here', async () => {
    const dir = remoteDir('cut-down');
    execFileSync('sh', ['-c', 'head -c 100000000 /dev/zero > "$1"', 'sh', join(dir, 'zeros.bin')]);
    // A narrow pipeline, so the download lasts long enough to be cut.
    const slow = await createTestCore({
      connectionDefaults: FAST_CONNECTIONS,
      sshTools: { files: { pipeline: { chunkBytes: 8 * 1024, depth: 1 } } },
    });
    await slow.core.start();
    const slowHarness = connectTestClient(slow.core);
    try {
      const [slowHost] = await addTrustedHosts(slowHarness, fleet, fleet.hosts, 'slow');
      const into = join(local, 'cut');
      mkdirSync(into);
      const running = slow.core.sshTools.transfers.downloadPath(
        slowHost!,
        join(dir, 'zeros.bin'),
        into,
        { replace: false },
        owner,
      );
      await vi.waitFor(
        () => expect(slow.core.sshTools.transfers.list('test')[0]?.bytesDone ?? 0).toBeGreaterThan(1 * MB),
        { timeout: 10_000 },
      );
      await fleet.hosts[0]!.kill();
      const ended = await running;
      expect(ended.state).toBe('failed');
      expect(ended.error).toBe('Downloading zeros.bin: the connection was lost.');
      expect(readdirSync(into)).toEqual([]);
    } finally {
      slowHarness.client.close();
      await slow.dispose();
      await fleet.hosts[0]!.restart();
      await harness.waitForState(host!, 'up');
    }
  }, 60_000);
});

describe('downloads into the Downloads folder (the desktop window)', () => {
  it('saves a file, then a second copy beside it, never over it', async () => {
    const dir = remoteDir('to-folder');
    writeFileSync(join(dir, 'report.pdf'), randomBytes(3 * MB));
    const expected = await sha256(join(dir, 'report.pdf'));
    for (const name of ['report.pdf', 'report (1).pdf']) {
      const { transfer, folder } = await harness.client.call('files.downloadToFolder', {
        host: host!,
        paths: [join(dir, 'report.pdf')],
      });
      expect(folder).toBe(downloads);
      const ended = await transfers().wait(transfer.id);
      expect(ended).toMatchObject({ state: 'succeeded', bytesDone: 3 * MB, filesDone: 1 });
      expect(await sha256(join(downloads, name))).toBe(expected);
    }
    expect(readdirSync(downloads).sort()).toEqual(['report (1).pdf', 'report.pdf']);
    const audit = testCore.core.audit.list({ action: 'files.download', limit: 1 }).entries[0];
    expect(audit).toMatchObject({ host, result: 'ok', target: join(dir, 'report.pdf') });
    rmSync(downloads, { recursive: true });
    mkdirSync(downloads);
  });

  it('saves folders as folders, with their hostile names, each under a free name', async () => {
    const dir = remoteDir('to-folders');
    const site = join(dir, 'site');
    execFileSync('sh', [
      '-c',
      'mkdir -p "$1/-a b/\'q\'" && printf one > "$1/-a b/\'q\'/x.txt" && printf two > "$1/top.txt" && chown -R "$2" "$1"',
      'sh',
      site,
      `${uid}:${gid}`,
    ]);
    mkdirSync(join(downloads, 'site'));
    const { transfer } = await harness.client.call('files.downloadToFolder', {
      host: host!,
      paths: [site, join(site, 'top.txt')],
    });
    const ended = await transfers().wait(transfer.id);
    expect(ended).toMatchObject({ state: 'succeeded', filesDone: 3, name: '2 items' });
    // "site" was taken here already: the copy is "site (1)", its insides as on the host.
    expect(readFileSync(join(downloads, 'site (1)', '-a b', "'q'", 'x.txt'), 'utf8')).toBe('one');
    expect(readFileSync(join(downloads, 'site (1)', 'top.txt'), 'utf8')).toBe('two');
    expect(readFileSync(join(downloads, 'top.txt'), 'utf8')).toBe('two');
    expect(readdirSync(join(downloads, 'site'))).toEqual([]);
  });

  it('is refused to a browser: its Downloads folder is not the server’s', async () => {
    const browser = connectTestClient(testCore.core, { id: 'web', role: 'admin', via: 'websocket' });
    try {
      await expect(
        browser.client.call('files.downloadToFolder', { host: host!, paths: [join(remote, 'x')] }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      browser.client.close();
    }
  });
});

describe("uploads of what the desktop's file dialog chose (read from disk here)", () => {
  it('names and sizes for the page, then the upload, asking only about what exists', async () => {
    const dir = remoteDir('picked');
    writeFileSync(join(dir, 'notes.txt'), 'old notes');
    chownSync(join(dir, 'notes.txt'), uid, gid);
    const from = mkdtempSync(join(local, 'pick-'));
    writeFileSync(join(from, 'notes.txt'), 'new notes');
    writeFileSync(join(from, 'data.bin'), randomBytes(2 * MB));
    mkdirSync(join(from, 'site', 'css'), { recursive: true });
    writeFileSync(join(from, 'site', 'index.html'), '<h1>hi</h1>');
    writeFileSync(join(from, 'site', 'css', "a b'.css"), 'p{}');

    picked = [join(from, 'notes.txt'), join(from, 'data.bin'), join(from, 'nowhere.txt')];
    const files = await harness.client.call('files.pickLocal', { kind: 'files' });
    expect(pickedKinds.at(-1)).toBe('files');
    // What vanished is not offered.
    expect(files!.items).toEqual([
      { name: 'notes.txt', kind: 'file', size: 9 },
      { name: 'data.bin', kind: 'file', size: 2 * MB },
    ]);
    const conflicts = await harness.client.call('files.conflicts', {
      host: host!,
      dir,
      names: files!.items.map((i) => i.name),
    });
    expect(conflicts.map((c) => c.name)).toEqual(['notes.txt']);
    const { transfer } = await harness.client.call('files.uploadPicked', {
      host: host!,
      dir,
      pick: files!.pick,
      replace: ['notes.txt'],
    });
    expect(await transfers().wait(transfer.id)).toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('new notes');
    expect(await sha256(join(dir, 'data.bin'))).toBe(await sha256(join(from, 'data.bin')));
    // A pick is used once.
    await expect(
      harness.client.call('files.uploadPicked', { host: host!, dir, pick: files!.pick }),
    ).rejects.toMatchObject({ code: 'not_found' });

    picked = [join(from, 'site')];
    const folder = await harness.client.call('files.pickLocal', { kind: 'folder' });
    expect(folder!.items).toEqual([{ name: 'site', kind: 'dir', size: 11 + 3 }]);
    const done = await harness.client.call('files.uploadPicked', { host: host!, dir, pick: folder!.pick });
    expect(await transfers().wait(done.transfer.id)).toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(readFileSync(join(dir, 'site', 'css', "a b'.css"), 'utf8')).toBe('p{}');
    const audit = testCore.core.audit.list({ action: 'files.upload', limit: 1 }).entries[0];
    expect(audit).toMatchObject({ host, result: 'ok', target: dir });
  });

  it('says null for a cancelled dialog; a skip of everything uploads nothing', async () => {
    picked = [];
    expect(await harness.client.call('files.pickLocal', { kind: 'files' })).toBeNull();
    const from = mkdtempSync(join(local, 'pick-'));
    writeFileSync(join(from, 'only.txt'), 'x');
    picked = [join(from, 'only.txt')];
    const one = await harness.client.call('files.pickLocal', { kind: 'files' });
    await expect(
      harness.client.call('files.uploadPicked', {
        host: host!,
        dir: remote,
        pick: one!.pick,
        skip: ['only.txt'],
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('keeps a pick to the one who made it, and the dialog away from browsers', async () => {
    const from = mkdtempSync(join(local, 'pick-'));
    writeFileSync(join(from, 'secret.txt'), 'x');
    picked = [join(from, 'secret.txt')];
    const mine = await harness.client.call('files.pickLocal', { kind: 'files' });
    const other = connectTestClient(testCore.core, { id: 'other', role: 'admin', via: 'memory' });
    const browser = connectTestClient(testCore.core, { id: 'web', role: 'admin', via: 'websocket' });
    try {
      await expect(
        other.client.call('files.uploadPicked', { host: host!, dir: remote, pick: mine!.pick }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(browser.client.call('files.pickLocal', { kind: 'files' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        browser.client.call('files.uploadPicked', { host: host!, dir: remote, pick: mine!.pick }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      other.client.close();
      browser.client.close();
    }
  });
});
