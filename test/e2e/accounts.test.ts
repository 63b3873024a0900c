// Accounts in Debian's Chromium against a real `hyperion serve`: the first admin from the printed
// setup link (QR code, first code, recovery codes), signing in and out, a viewer who is refused what
// needs more, adding a user who picks a password at first sign-in, a role change reaching an open
// page, "sign out everywhere" reaching another browser, and step-up before removing a host. The
// tests run in order on one server, each on a fresh browser context unless it says otherwise.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  makeAccessKey,
  TEST_PASSWORD,
  TestAuthenticator,
  signedInClient,
  signIn,
  type TestAccount,
} from '../helpers/accounts';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';
import { signInWithForm } from '../helpers/sign-in-page';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

let browser: Browser;
let server: ServeProcess;
const contexts: BrowserContext[] = [];
/** The admin made through the page in the first test. */
let admin: TestAccount;

async function freshPage(): Promise<{ page: Page; problems: PageProblems; context: BrowserContext }> {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  return { page, problems: await watchPageProblems(page), context };
}

/** Chromium logs refused requests (a wrong password's 401) as failed loads: expected here. */
function unexpected(problems: PageProblems): string[] {
  return problems.all().filter((l) => !/status of 4\d\d .*\/api\/auth\//.test(l));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, server] = await Promise.all([
    launchChromium(),
    startServe({ bare: true, env: { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: 'cd'.repeat(32) } }),
  ]);
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.stop();
});

describe('accounts in Chromium', () => {
  it('creates the first admin from the printed setup link, with a QR code, then the link is spent', async () => {
    expect(server.printedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#setup=[A-Za-z0-9_-]+$/);
    const { page, problems } = await freshPage();
    await page.goto(server.printedUrl);
    const setup = page.getByTestId('setup-page');
    await setup.waitFor();
    // The setup token leaves the address bar at once.
    expect(page.url()).toBe(`${server.origin}/`);
    await setup.locator('input[name=username]').fill('root-admin');
    await setup.locator('input[name=password]').fill(TEST_PASSWORD);
    await setup.locator('input[name=repeatPassword]').fill(`${TEST_PASSWORD}!`);
    await setup.getByRole('button', { name: /Continue/ }).click();
    expect(await setup.getByTestId('sign-in-error').textContent()).toContain('differ');
    await setup.locator('input[name=repeatPassword]').fill(TEST_PASSWORD);
    await setup.getByRole('button', { name: /Continue/ }).click();

    const enrol = page.getByTestId('sign-in-enrol');
    await enrol.waitFor();
    // The QR code is an SVG data: URL the CSP allows, and it draws.
    const qr = enrol.getByTestId('totp-qr');
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    const secret = ((await enrol.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const app = new TestAuthenticator(secret);
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-setup-2fa.png') });
    await enrol.locator('input[name=otp]').fill('123456');
    await enrol.getByRole('button', { name: /Confirm/ }).click();
    await enrol.getByRole('alert').waitFor();
    await enrol.locator('input[name=otp]').fill(await app.next());
    await enrol.getByRole('button', { name: /Confirm/ }).click();

    const codesPage = page.getByTestId('recovery-codes-page');
    await codesPage.waitFor();
    const recoveryCodes = (await codesPage.locator('.recovery-code-list code').allTextContents()).map((c) =>
      c.trim(),
    );
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    await codesPage.getByTestId('recovery-codes-done').click();
    await page.getByTestId('fleet-view').waitFor();
    expect(await page.getByTestId('rail-role').textContent()).toBe('root-admin · admin');
    await expect.poll(() => page.getByTestId('rail-users').count()).toBe(1);
    // The helper learns this admin (with a key made on the page's own session) for later tests.
    const session = (await page.context().cookies()).find((c) => c.name === `hyperion-${server.port}`)!;
    const own = await signedInClient(server.origin, { cookie: `${session.name}=${session.value}` });
    admin = {
      username: 'root-admin',
      password: TEST_PASSWORD,
      role: 'admin',
      authenticator: app,
      recoveryCodes,
      accessKey: await makeAccessKey(own.client, TEST_PASSWORD, 'admin'),
    };
    own.socket.terminate();
    server.accounts.admin = admin;

    // The printed link is spent: opened again, it says so and offers the sign-in form.
    const again = await freshPage();
    await again.page.goto(server.printedUrl);
    await again.page.getByTestId('sign-in').waitFor();
    expect(await again.page.getByTestId('auth-notice').textContent()).toMatch(/set up already/);
    expect(unexpected(problems)).toEqual([]);
    expect(unexpected(again.problems)).toEqual([]);
  });

  it('signs in with password and code, says what is wrong, and signs out', async () => {
    const { page, problems } = await freshPage();
    await page.goto(`${server.origin}/`);
    const form = page.getByTestId('sign-in');
    await form.locator('input[name=username]').fill('root-admin');
    await form.locator('input[name=password]').fill('not the password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    expect(await form.getByTestId('sign-in-error').textContent()).toContain('do not match');
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-sign-in.png') });
    await signInWithForm(page, server.origin, admin);
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === `hyperion-${server.port}`)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await page.getByTestId('sign-out-top').click();
    await page.getByTestId('sign-in').waitFor();
    await page.reload();
    await page.getByTestId('sign-in').waitFor();
    expect(unexpected(problems)).toEqual([]);
  });

  it('shows a viewer no admin pages, and the server refuses what the role lacks', async () => {
    const viewerUrl = await server.signInUrl('viewer');
    const { page, problems } = await freshPage();
    await page.goto(viewerUrl);
    await page.getByTestId('fleet-view').waitFor();
    expect(await page.getByTestId('rail-role').textContent()).toBe('viewer · viewer');
    expect(await page.getByTestId('rail-users').count()).toBe(0);
    // Going to the Users page by its address gets the server's refusal, not the list.
    await page.goto(`${server.origin}/#/users`);
    const message = page.getByTestId('users-message');
    await message.waitFor();
    expect(await message.textContent()).toMatch(
      /Your role \(viewer\) may not use users\.list; it needs admin/,
    );
    const { client, socket } = await server.client('admin');
    const refused = await client.call('audit.list', { action: 'users.list', result: 'refused' });
    expect(refused.entries[0]).toMatchObject({ actor: 'viewer', via: 'websocket' });
    socket.terminate();
    expect(unexpected(problems)).toEqual([]);
  });

  it('lets an admin add a user who chooses a password at the first sign-in, and a role change reaches their page', async () => {
    const adminPage = await freshPage();
    await signInWithForm(adminPage.page, server.origin, admin, { recoveryCode: admin.recoveryCodes[0] });
    await adminPage.page.getByTestId('rail-users').click();
    await adminPage.page.getByTestId('users-view').waitFor();
    await adminPage.page.getByTestId('add-user').click();
    const dialog = adminPage.page.getByTestId('add-user-dialog');
    await dialog.locator('input[name=username]').fill('Olivia');
    await dialog.locator('select[name=role]').selectOption('operator');
    await dialog.locator('input[name=password]').fill('first password of olivia');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await adminPage.page.getByTestId('user-row-olivia').waitFor();
    expect(await adminPage.page.getByTestId('user-row-olivia').textContent()).toMatch(
      /must choose a password/,
    );
    await adminPage.page.screenshot({ path: join(SCREENSHOTS, 'accounts-users.png'), fullPage: true });

    const olivia = await freshPage();
    await olivia.page.goto(`${server.origin}/`);
    const form = olivia.page.getByTestId('sign-in');
    await form.locator('input[name=username]').fill('olivia');
    await form.locator('input[name=password]').fill('first password of olivia');
    await form.getByRole('button', { name: 'Sign in' }).click();
    const choose = olivia.page.getByTestId('sign-in-new-password');
    await choose.waitFor();
    await choose.locator('input[name=newPassword]').fill('olivia picks her own');
    await choose.locator('input[name=repeatPassword]').fill('olivia picks her own');
    await choose.getByRole('button', { name: /Save/ }).click();
    await olivia.page.getByTestId('fleet-view').waitFor();
    expect(await olivia.page.getByTestId('rail-role').textContent()).toBe('olivia · operator');

    // The admin makes her a viewer: her open page reconnects and shows the new role.
    await adminPage.page.locator('select[name=role-olivia]').selectOption('viewer');
    await expect
      .poll(() => olivia.page.getByTestId('rail-role').textContent(), { timeout: 10_000 })
      .toBe('olivia · viewer');
    expect(await adminPage.page.getByTestId('users-message').textContent()).toContain('olivia is now viewer');
    expect(unexpected(adminPage.problems)).toEqual([]);
    expect(unexpected(olivia.problems)).toEqual([]);
  });

  it('sends every browser of a user back to sign-in when they sign out everywhere', async () => {
    const first = await freshPage();
    const second = await freshPage();
    const cookie = await signIn(server.origin, { username: 'olivia', password: 'olivia picks her own' });
    for (const { page, context } of [first, second]) {
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.origin, httpOnly: true, sameSite: 'Strict' }]);
      await page.goto(`${server.origin}/#/account`);
      await page.getByTestId('account-view').waitFor();
    }
    await first.page.getByTestId('logout-everywhere').click();
    for (const { page } of [first, second]) {
      await page.getByTestId('sign-in').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('auth-notice').textContent()).toMatch(/signed out everywhere/i);
    }
  });

  it('asks for a 2FA code before removing a host when step-up is on, then removes it', async () => {
    const { client, socket } = await server.client('admin');
    // A host on a closed loopback port: it only fails to connect.
    const host = await client.call('hosts.add', {
      name: 'doomed',
      address: '127.0.0.1',
      port: 1,
      username: 'nobody',
      auth: { method: 'agent' },
    });
    socket.terminate();

    const { page, problems } = await freshPage();
    await signInWithForm(page, server.origin, admin, { recoveryCode: admin.recoveryCodes[1] });
    await page.goto(`${server.origin}/#/account`);
    await page.getByTestId('account-view').waitFor();
    await page.goto(`${server.origin}/#/users`);
    const policy = page.getByTestId('security-policy');
    await policy.locator('input[name=stepUp]').check();
    await policy.getByRole('button', { name: 'Save' }).click();
    await policy.getByText('Saved.').waitFor();

    await page.goto(`${server.origin}/#/host/${host.id}`);
    await page.getByTestId('host-bar').getByRole('button', { name: 'Remove' }).click();
    const stepUp = page.getByTestId('step-up-dialog');
    await stepUp.waitFor();
    expect(await stepUp.textContent()).toContain('Remove a host');
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-step-up.png') });
    await stepUp.getByRole('button', { name: 'Use a recovery code' }).click();
    await stepUp.locator('input[name=recoveryCode]').fill('WRONG-CODE2');
    await stepUp.getByTestId('step-up-confirm').click();
    await stepUp.getByRole('alert').waitFor();
    await stepUp.locator('input[name=recoveryCode]').fill(admin.recoveryCodes[2]!);
    await stepUp.getByTestId('step-up-confirm').click();
    await page.getByTestId('fleet-view').waitFor();
    const admin2 = await server.client('admin');
    expect((await admin2.client.call('hosts.list', {})).map((h) => h.name)).not.toContain('doomed');
    const audited = await admin2.client.call('audit.list', { action: 'hosts.remove' });
    expect(audited.entries.map((e) => e.result)).toEqual(['ok', 'refused']);
    admin2.socket.terminate();
    expect(unexpected(problems)).toEqual([]);
  });

  it('shows, on the audit page, that the chain breaks once a sign-in row is edited in the database', async () => {
    const { page, problems } = await freshPage();
    await page.goto(await server.signInUrl('admin'));
    await page.getByTestId('fleet-view').waitFor();
    await page.goto(`${server.origin}/#/audit`);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verification').textContent()).toMatch(/intact/);
    // Someone with the database file rewrites who signed in first.
    const db = new Database(join(server.dataDir, 'hyperion.db'));
    const first = db
      .prepare("SELECT seq FROM audit_log WHERE action = 'auth.login' ORDER BY seq LIMIT 1")
      .get() as {
      seq: number;
    };
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq = ?").run(first.seq);
    db.close();
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(() => page.getByTestId('audit-verification').textContent())
      .toMatch(new RegExp(`tampered with: entry ${first.seq} was changed`));
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-audit-broken.png') });
    expect(unexpected(problems)).toEqual([]);
  });
});
