// Known test secrets go in through the page and the API — account passwords (set, changed, given to a
// new user), an SSH password and key passphrase, a webhook URL, an SMTP password — and then they are
// looked for everywhere they must not be: every file of the data folder (the SQLite database and its
// WAL included), serve's output at its most talkative, every WebSocket frame and every HTTP answer
// the page received. Credentials Hyperion makes (recovery codes, session cookies, access keys, the
// 2FA secret) must not be in the data folder unencrypted either.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers/accounts';
import { launchChromium, watchPageProblems } from '../helpers/browser';
import { filesContaining, recordWebSocketFrames, type FrameLog } from '../helpers/e2e-hosts';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { signInWithForm } from '../helpers/sign-in-page';

const SECRETS = {
  sshPassword: 'ssh-password-Q7v2-never-shown',
  passphrase: 'key-passphrase-W9k4-never-shown',
  webhook: 'webhook-token-Z3m8-never-shown',
  smtpPassword: 'smtp-password-H5r1-never-shown',
  newUserPassword: 'new-user-password-J2x6-never-shown',
  changedPassword: 'changed-password-P8d3-never-shown',
};

let keyDir: string;
let browser: Browser;
let server: ServeProcess;
let context: BrowserContext;
const responses: string[] = [];

function watch(page: Page): FrameLog {
  const frames = recordWebSocketFrames(page);
  page.on('response', (res) => {
    if (!res.url().includes('/api/')) return;
    void res.text().then(
      (body) => responses.push(body),
      () => undefined,
    );
  });
  return frames;
}

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startServe({
      env: { HYPERION_LOG: 'debug', HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'ef'.repeat(32) },
    }),
  ]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // A key file locked with the passphrase (ssh-keygen, as an admin would make it).
  keyDir = mkdtempSync(join(tmpdir(), 'hyperion-secrets-key-'));
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    SECRETS.passphrase,
    '-f',
    join(keyDir, 'id_ed25519'),
  ]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

describe('secrets stay out of the database, the logs and the page', () => {
  it('finds none of the known test secrets anywhere they must not be', async () => {
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    const problems = await watchPageProblems(page);
    const frames = watch(page);
    await page.goto(server.url);
    await page.getByTestId('fleet-view').waitFor();

    // An SSH host with a password, through the host dialog (a closed loopback port: it only fails).
    await page.getByTestId('add-host').click();
    const dialog = page.getByTestId('host-dialog');
    await dialog.locator('input[name=name]').fill('secret-host');
    await dialog.locator('input[name=address]').fill('127.0.0.1');
    await dialog.locator('input[name=port]').fill('1');
    await dialog.locator('input[name=username]').fill('nobody');
    await dialog.getByRole('radio', { name: 'Password' }).check();
    await dialog.locator('input[name=password]').fill(SECRETS.sshPassword);
    await dialog.getByTestId('save-host').click();
    await page.waitForFunction(() => /^#\/host\//.test(window.location.hash));

    // A key host with a passphrase, a webhook and an e-mail channel, through the API.
    const { client, socket } = await server.client('admin');
    await client.call('hosts.add', {
      name: 'key-host',
      address: '127.0.0.1',
      port: 1,
      username: 'nobody',
      auth: { method: 'key', keyPath: join(keyDir, 'id_ed25519'), secret: SECRETS.passphrase },
    });
    await client.call('alerts.channels.create', {
      kind: 'webhook',
      name: 'hook',
      enabled: false,
      webhookUrl: `http://127.0.0.1:9/hooks/${SECRETS.webhook}`,
    });
    await client.call('alerts.channels.create', {
      kind: 'email',
      name: 'mail',
      enabled: false,
      host: '127.0.0.1',
      port: 2525,
      security: 'none',
      username: 'ops',
      smtpPassword: SECRETS.smtpPassword,
      from: 'hyperion@example.org',
      to: ['ops@example.org'],
    });
    socket.terminate();

    // A new user, with a first password typed by the admin, who signs in and picks another.
    await page.goto(`${server.origin}/#/users`);
    await page.getByTestId('add-user').click();
    const add = page.getByTestId('add-user-dialog');
    await add.locator('input[name=username]').fill('newbie');
    await add.locator('input[name=password]').fill(SECRETS.newUserPassword);
    await add.locator('input[name=mustChangePassword]').uncheck();
    await add.getByRole('button', { name: 'Add user' }).click();
    await page.getByTestId('user-row-newbie').waitFor();
    const newbieContext = await browser.newContext();
    const newbie = await newbieContext.newPage();
    const newbieFrames = watch(newbie);
    await signInWithForm(newbie, server.origin, { username: 'newbie', password: SECRETS.newUserPassword });
    await newbie.goto(`${server.origin}/#/account`);
    const form = newbie.getByTestId('account-password');
    await form.locator('input[name=currentPassword]').fill(SECRETS.newUserPassword);
    await form.locator('input[name=newPassword]').fill(SECRETS.changedPassword);
    await form.locator('input[name=repeatPassword]').fill(SECRETS.changedPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed.').waitFor();
    await newbieContext.close();

    // Every page that shows hosts, channels, settings, users and the account.
    for (const route of ['#/fleet', '#/settings', '#/users', '#/account', '#/alerts', '#/audit']) {
      await page.goto(`${server.origin}/${route}`);
      await page.waitForTimeout(400);
    }
    await page.goto(`${server.origin}/#/fleet`);
    await page.getByText('secret-host').first().click();
    await page.getByTestId('host-bar').waitFor();
    await page.waitForTimeout(500);

    const everywhereReceived = [...frames.received, ...newbieFrames.received, ...responses];
    expect(everywhereReceived.length).toBeGreaterThan(20);
    const logs = server.stdout() + server.stderr();
    const found: string[] = [];
    for (const [name, secret] of Object.entries({ ...SECRETS, adminPassword: TEST_PASSWORD })) {
      if (everywhereReceived.some((f) => f.includes(secret))) found.push(`${name} reached the page`);
      if (logs.includes(secret)) found.push(`${name} is in serve's output`);
      for (const file of filesContaining(server.dataDir, secret)) found.push(`${name} is in ${file}`);
    }
    // What Hyperion makes itself is kept as digests (or encrypted): none of it readable in the files.
    const cookie = (await context.cookies()).find((c) => c.name === `hyperion-${server.port}`)!.value;
    const made = {
      sessionCookie: cookie,
      accessKey: server.accounts.admin!.accessKey,
      recoveryCode: server.accounts.admin!.recoveryCodes[0]!,
      totpSecret: server.accounts.admin!.authenticator!.secret,
    };
    for (const [name, value] of Object.entries(made)) {
      for (const file of filesContaining(server.dataDir, value)) found.push(`${name} is in ${file}`);
      if (logs.includes(value)) found.push(`${name} is in serve's output`);
    }
    expect(found).toEqual([]);
    // The search itself works: what is not secret is found in the same places.
    expect(filesContaining(server.dataDir, 'secret-host').length).toBeGreaterThan(0);
    expect(everywhereReceived.some((f) => f.includes('secret-host'))).toBe(true);
    expect(everywhereReceived.some((f) => f.includes('newbie'))).toBe(true);
    // They did go somewhere: the secret store holds them (here the encrypted file).
    const check = await server.client('admin');
    const hosts = await check.client.call('hosts.list', {});
    expect(hosts.map((h) => [h.name, h.auth.hasSecret])).toEqual(
      expect.arrayContaining([
        ['secret-host', true],
        ['key-host', true],
      ]),
    );
    const channels = await check.client.call('alerts.channels.list', {});
    expect(channels.map((c) => c.secrets)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ webhookUrl: true }),
        expect.objectContaining({ smtpPassword: true }),
      ]),
    );
    check.socket.terminate();
    expect(problems.all().filter((l) => !/status of 4\d\d/.test(l))).toEqual([]);
  });
});
