// The file browser through the API contract against a real sshd with internal-sftp: listing with
// size, owner, mode and time, links, create, rename without and with replacing, change mode, delete
// (a folder only when confirmed), the text viewer, validation at the boundary, permission errors, and
// hostile names (spaces, quotes, newlines, a leading "-", "$(…)") handled as data. The sshd hosts
// run on this machine, so the test checks the host's files directly.
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { apiFailure } from '../../helpers/api-errors';
import type { TestClient, TestCore } from '../../helpers/core';
import { startToolsCore, userFolder, type ToolsCore } from '../../helpers/ssh-tools';
import type { SshdFleet } from '../../helpers/sshd';

let stage: ToolsCore;
let fleet: SshdFleet;
let testCore: TestCore;
let harness: TestClient;
let host: string | undefined;
let root: string;
let uid: number;
let gid: number;

/** Names a careless shell script would trip over. */
const HOSTILE = [
  'two words.txt',
  'quote\'s and "double".txt',
  'line\nbreak.txt',
  '-rf',
  '--help',
  '$(touch PWNED).txt',
  '`id`;|&<>.txt',
  'ünïcødé ✓.txt',
  ' leading and trailing space ',
];

beforeAll(async () => {
  stage = await startToolsCore(1, { prefix: 'files', port: 2742 });
  ({ fleet, testCore, harness } = stage);
  [host] = stage.ids;
  ({ path: root, uid, gid } = userFolder(fleet, 'hyperion-files-'));
}, 60_000);

afterAll(async () => {
  await stage?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A file or folder made on the host as the test user. */
function make(rel: string, content?: string, mode?: number): string {
  const path = join(root, rel);
  if (content === undefined) mkdirSync(path, { recursive: true, mode: mode ?? 0o755 });
  else writeFileSync(path, content, { mode: mode ?? 0o644 });
  chownSync(path, uid, gid);
  return path;
}

/** A call with input the contract must refuse (so its type is not the method's). */
const callRaw = (method: string, input: unknown) =>
  harness.client.call(method as 'files.list', input as never);

describe('the file browser', () => {
  it('starts in the home folder and lists a folder with size, owner, mode, time and links', async () => {
    const home = await harness.client.call('files.home', { host: host! });
    expect(home.path).toBe(`/home/${fleet.user.name}`);
    const dir = make('listing');
    make('listing/a.txt', 'hello', 0o640);
    make('listing/.hidden', 'x');
    make('listing/sub');
    symlinkSync(join(dir, 'sub'), join(dir, 'to-sub'));
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
    const listing = await harness.client.call('files.list', { host: host!, path: `${dir}/sub/..` });
    expect(listing.path).toBe(dir);
    const byName = new Map(listing.entries.map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).toEqual(['.hidden', 'a.txt', 'dangling', 'sub', 'to-sub']);
    const a = byName.get('a.txt')!;
    expect(a).toMatchObject({
      type: 'file',
      size: 5,
      mode: 0o640,
      modeText: '-rw-r-----',
      uid,
      owner: fleet.user.name,
      path: `${dir}/a.txt`,
    });
    expect(Math.abs(a.mtime - statSync(join(dir, 'a.txt')).mtimeMs)).toBeLessThan(1500);
    expect(byName.get('sub')).toMatchObject({ type: 'dir', modeText: 'drwxr-xr-x' });
    expect(byName.get('to-sub')).toMatchObject({ type: 'link', target: join(dir, 'sub'), targetType: 'dir' });
    expect(byName.get('dangling')).toMatchObject({
      type: 'link',
      target: join(dir, 'missing'),
      targetType: null,
    });
  });

  it('says why a folder cannot be listed', async () => {
    expect((await apiFailure(harness.client.call('files.list', { host: host!, path: '/root' }))).code).toBe(
      'forbidden',
    );
    expect(
      (await apiFailure(harness.client.call('files.list', { host: host!, path: `${root}/nope` }))).code,
    ).toBe('not_found');
    make('plain.txt', 'x');
    const notDir = await apiFailure(
      harness.client.call('files.list', { host: host!, path: `${root}/plain.txt` }),
    );
    expect(notDir.message).toMatch(/not a folder/);
  });

  it('refuses relative paths, NUL bytes, bad names and modes at the boundary', async () => {
    for (const input of [
      { method: 'files.list', value: { host: host!, path: 'relative/path' } },
      { method: 'files.list', value: { host: host!, path: '/tmp/a\0b' } },
      { method: 'files.mkdir', value: { host: host!, dir: root, name: 'a/b' } },
      { method: 'files.mkdir', value: { host: host!, dir: root, name: '..' } },
      { method: 'files.chmod', value: { host: host!, path: root, mode: 0o10000 } },
      { method: 'files.chmod', value: { host: host!, path: root, mode: -1 } },
    ] as const) {
      const err = await apiFailure(callRaw(input.method, input.value));
      expect(err.code, JSON.stringify(input.value)).toBe('invalid_input');
    }
    expect(existsSync(join(root, 'a'))).toBe(false);
  });

  it('creates a folder, renames without overwriting unless asked, changes mode, and deletes on confirmation', async () => {
    const made = await harness.client.call('files.mkdir', { host: host!, dir: root, name: 'ops' });
    expect(made).toMatchObject({ type: 'dir', path: `${root}/ops` });
    expect(
      (await apiFailure(harness.client.call('files.mkdir', { host: host!, dir: root, name: 'ops' }))).code,
    ).toBe('conflict');
    make('ops/one.txt', 'one');
    make('ops/two.txt', 'two');
    const clash = await apiFailure(
      harness.client.call('files.rename', {
        host: host!,
        from: `${root}/ops/one.txt`,
        to: `${root}/ops/two.txt`,
      }),
    );
    expect(clash.code).toBe('conflict');
    expect(readFileSync(join(root, 'ops/two.txt'), 'utf8')).toBe('two');
    await harness.client.call('files.rename', {
      host: host!,
      from: `${root}/ops/one.txt`,
      to: `${root}/ops/two.txt`,
      replace: true,
    });
    expect(readFileSync(join(root, 'ops/two.txt'), 'utf8')).toBe('one');
    expect(existsSync(join(root, 'ops/one.txt'))).toBe(false);

    const changed = await harness.client.call('files.chmod', {
      host: host!,
      path: `${root}/ops/two.txt`,
      mode: 0o600,
    });
    expect(changed.modeText).toBe('-rw-------');
    expect(statSync(join(root, 'ops/two.txt')).mode & 0o7777).toBe(0o600);

    const notEmpty = await apiFailure(
      harness.client.call('files.delete', { host: host!, path: `${root}/ops` }),
    );
    expect(notEmpty.code).toBe('conflict');
    expect(notEmpty.message).toMatch(/not empty/);
    make('ops/deep');
    make('ops/deep/deeper');
    make('ops/deep/deeper/x', 'x');
    symlinkSync('/', join(root, 'ops/link-to-root'));
    const deleted = await harness.client.call('files.delete', {
      host: host!,
      path: `${root}/ops`,
      recursive: true,
    });
    expect(deleted.deleted).toBe(6); // two.txt, x, deeper, deep, the link, ops
    expect(existsSync(join(root, 'ops'))).toBe(false);
    expect(existsSync('/etc/hostname')).toBe(true); // the link was removed, not followed

    const audit = testCore.core.audit.list({ action: 'files.', limit: 50 }).entries;
    expect(
      audit.find((e) => e.action === 'files.delete' && e.target === `${root}/ops` && e.result === 'ok'),
    ).toBeDefined();
    expect(audit.find((e) => e.action === 'files.rename' && e.result === 'failed')!.error).toMatch(
      /already exists/,
    );
    expect(audit.find((e) => e.action === 'files.chmod')!.args.mode).toBe(0o600);
  });

  it('handles hostile names as data: list, read, rename, chmod and delete them', async () => {
    const dir = make('hostile');
    for (const name of HOSTILE) make(`hostile/${name}`, `content of ${name}`);
    const listing = await harness.client.call('files.list', { host: host!, path: dir });
    expect(listing.entries.map((e) => e.name).sort()).toEqual([...HOSTILE].sort());
    for (const name of HOSTILE) {
      const path = `${dir}/${name}`;
      expect((await harness.client.call('files.read', { host: host!, path })).text).toBe(
        `content of ${name}`,
      );
      await harness.client.call('files.chmod', { host: host!, path, mode: 0o604 });
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o604);
      await harness.client.call('files.rename', { host: host!, from: path, to: `${path}.renamed` });
      expect(existsSync(join(dir, `${name}.renamed`))).toBe(true);
      await harness.client.call('files.delete', { host: host!, path: `${path}.renamed` });
    }
    await harness.client.call('files.mkdir', { host: host!, dir, name: '-p \n $(id)' });
    expect(readdirSync(dir)).toEqual(['-p \n $(id)']);
    // Nothing was ever run by a shell.
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    expect(existsSync(join(`/home/${fleet.user.name}`, 'PWNED'))).toBe(false);
  });

  it('shows the start of a text file, and says when a file is binary or too long', async () => {
    make('view.txt', 'line one\nlïne two ✓\n');
    const text = await harness.client.call('files.read', { host: host!, path: `${root}/view.txt` });
    expect(text).toMatchObject({ text: 'line one\nlïne two ✓\n', truncated: false, binary: false, size: 23 });
    writeFileSync(join(root, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    expect((await harness.client.call('files.read', { host: host!, path: `${root}/bin` })).binary).toBe(true);
    // 1 MiB and one byte, with a two-byte character across the cut.
    writeFileSync(
      join(root, 'long.txt'),
      Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'a'), Buffer.from('é'), Buffer.from('z')]),
    );
    const long = await harness.client.call('files.read', { host: host!, path: `${root}/long.txt` });
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBe(1024 * 1024 - 1);
    expect(long.text.endsWith('a')).toBe(true);
    const viewed = testCore.core.audit.list({ action: 'files.view', limit: 5 }).entries;
    expect(viewed[0]).toMatchObject({ target: `${root}/long.txt`, result: 'ok', host });
  });

  it('tells which names already exist before an upload', async () => {
    make('conflicts');
    make('conflicts/a.txt', 'a');
    make('conflicts/sub');
    const found = await harness.client.call('files.conflicts', {
      host: host!,
      dir: `${root}/conflicts`,
      names: ['a.txt', 'sub', 'new.txt'],
    });
    expect(found.map((c) => [c.name, c.type])).toEqual([
      ['a.txt', 'file'],
      ['sub', 'dir'],
    ]);
  });
});
