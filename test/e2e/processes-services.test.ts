// Processes, services, logs and the audit log in Debian's Chromium against a real `hyperion serve`:
// the local process table live (5 s of a busy child shows its CPU), filtering, sorting, the tree,
// a selection that survives updates, SIGTERM confirmed in a dialog that names the process and host,
// renice of a process on a loopback SSH host with the effect in /proc, "systemd not available" on
// this machine, and the audit page showing those actions live, filtering, exporting and verifying.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api } from '../../common/api';
import { connect, type ApiClient } from '../../common/rpc/client';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import { makeTestHome, serveEnv, type TestHome } from '../helpers/e2e-hosts';
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { openSocket, socketTransport } from '../helpers/ws-client';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

let fleet: SshdFleet;
let home: TestHome;
let server: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let client: ApiClient<typeof api>;
let sshHostId: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  fleet = await startSshdFleet(1, { namePrefix: 'pe', port: 2622 });
  home = makeTestHome();
  server = await startServe({ env: serveEnv(home) });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const socket = await openSocket({ port: server.port, token: server.token });
  client = connect(api, socketTransport(socket));
  const h = fleet.hosts[0]!;
  const host = await client.call('hosts.add', {
    name: 'pe-web',
    address: h.address,
    port: h.port,
    username: fleet.user.name,
    auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
  });
  sshHostId = host.id;
  const states = new Map<string, { state: string; fingerprint?: string }>();
  client.subscribe(
    'hosts.status',
    {},
    {
      onEvent: (e) =>
        e.hosts.forEach((s) => states.set(s.id, { state: s.state, fingerprint: s.hostKey?.fingerprint })),
    },
  );
  await vi.waitFor(() => expect(states.get(sshHostId)?.state).toBe('host_key_unknown'), { timeout: 15_000 });
  await client.call('hosts.acceptKey', { id: sshHostId, fingerprint: states.get(sshHostId)!.fingerprint! });
  await vi.waitFor(() => expect(states.get(sshHostId)?.state).toBe('up'), { timeout: 15_000 });
}, 90_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  client?.close();
  await context?.close();
  await browser?.close();
  await server?.stop();
  home?.remove();
  await fleet?.stop();
});

function child(args: string[], uid?: number): ChildProcess {
  const c = spawn(args[0]!, args.slice(1), {
    stdio: 'ignore',
    ...(uid === undefined ? {} : { uid, gid: uid }),
    cwd: '/',
  });
  children.push(c);
  return c;
}

async function openPage(hash: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(server.url);
  await page.getByTestId('fleet-view').waitFor();
  await page.evaluate((h) => (window.location.hash = h), hash);
  return { page, problems };
}

const exited = (c: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve(c.signalCode);
    c.once('exit', (_code, signal) => resolve(signal));
  });

describe('processes, services, logs and audit in the browser', () => {
  it('shows the local table live, filters, sorts, keeps the selection, and sends SIGTERM after a named confirmation', async () => {
    const busy = child(['/bin/sh', '-c', 'while :; do :; done', 'hyperion-e2e-busy']);
    const victim = child(['/bin/sleep', '3001']);
    const { page, problems } = await openPage('#/host/local/processes');
    await page.getByTestId('processes-view').waitFor();

    // The busy loop gets a CPU % once two readings are in (on a loaded machine it may not lead).
    await page.getByTestId('process-filter').fill('hyperion-e2e-busy');
    const busyCpu = page.getByTestId(`process-row-${busy.pid}`).locator('[role=gridcell]').nth(4);
    await vi.waitFor(async () => expect(Number(await busyCpu.textContent())).toBeGreaterThan(1), {
      timeout: 15_000,
      interval: 250,
    });
    // Sorting by a column: by PID, ascending, then descending.
    await page.getByTestId('process-filter').fill('');
    await page.getByTestId('process-sort-pid').click();
    const pids = async () =>
      (
        await page
          .locator('[data-testid^=process-row-]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!))
      ).map((id) => Number(id.replace('process-row-', '')));
    await vi.waitFor(async () => {
      const shown = await pids();
      expect(shown.length).toBeGreaterThan(5);
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
    });
    await page.getByTestId('process-sort-pid').click();
    await vi.waitFor(async () => {
      const shown = await pids();
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
    });
    await page.getByTestId('process-sort-cpuPercent').click();

    // Only the rows in view are drawn: filter to find the sleep.
    await page.getByTestId('process-filter').fill('sleep 3001');
    await vi.waitFor(async () => expect(await page.locator('[data-testid^=process-row-]').count()).toBe(1), {
      timeout: 5_000,
    });
    await page.getByTestId(`process-row-${victim.pid}`).click();
    await expect.poll(() => page.getByTestId('process-cmdline').textContent()).toBe('/bin/sleep 3001');
    await page.getByTestId('process-filter').fill('');
    // The selection and its order hold while the table updates.
    await page.getByTestId('process-order-held').waitFor();
    const info = await page.getByTestId('process-count').textContent();
    await vi.waitFor(
      async () => expect(await page.getByTestId('process-count').textContent()).not.toBe(info),
      {
        timeout: 10_000,
      },
    );
    expect(await page.getByTestId(`process-row-${victim.pid}`).getAttribute('aria-selected')).toBe('true');

    // Tree view: the sleep sits under this test's node process.
    await page.getByTestId('process-tree').check();
    await page.getByTestId('process-filter').fill(String(victim.pid));
    // The filter and the tree are applied on the next render: wait for them rather than read at once.
    await vi.waitFor(
      async () => {
        const names = await page.locator('[data-testid^=process-row-] .proc-name strong').allTextContents();
        expect(names).toContain('sleep');
        expect(names.length).toBeGreaterThan(1);
      },
      { timeout: 10_000, interval: 200 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'processes-tree.png') });

    await page.getByTestId('process-signal').selectOption('TERM');
    await page.getByTestId('process-send-signal').click();
    const dialog = page.getByTestId('process-confirm');
    await expect
      .poll(() => dialog.locator('h2').textContent())
      .toBe(`Send SIGTERM to sleep (PID ${victim.pid}) on this computer?`);
    await page.screenshot({ path: join(SCREENSHOTS, 'processes-confirm.png') });
    await page.getByTestId('process-confirm-button').click();
    expect(await exited(victim)).toBe('SIGTERM');
    await expect
      .poll(() => page.getByTestId('process-result').textContent())
      .toContain(`Sent SIGTERM to sleep (PID ${victim.pid})`);
    busy.kill('SIGKILL');
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('renices a process of an SSH host from its Processes tab, and says when root is needed', async () => {
    const uid = Number(execFileSync('id', ['-u', fleet.user.name], { encoding: 'utf8' }).trim());
    const remote = child(['/bin/sleep', '3002'], uid);
    const { page, problems } = await openPage(`#/host/${sshHostId}/processes`);
    await page.getByTestId('process-filter').fill('sleep 3002');
    await page.getByTestId(`process-row-${remote.pid}`).waitFor({ timeout: 15_000 });
    await page.getByTestId(`process-row-${remote.pid}`).click();
    await page.getByTestId('process-nice').fill('6');
    await page.getByTestId('process-renice').click();
    await expect
      .poll(() => page.getByTestId('process-confirm').locator('h2').textContent())
      .toBe(`Set the nice value of sleep (PID ${remote.pid}) on pe-web to 6?`);
    await page.getByTestId('process-confirm-button').click();
    await expect.poll(() => page.getByTestId('process-result').textContent()).toContain('now runs at nice 6');
    const stat = readFileSync(`/proc/${remote.pid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])).toBe(6);

    await page.getByTestId('process-nice').fill('-4');
    await page.getByTestId('process-renice').click();
    await page.getByTestId('process-confirm-button').click();
    await expect
      .poll(() => page.getByTestId('process-result').textContent())
      .toBe(`Setting the nice value of sleep (PID ${remote.pid}) to -4 needs root or sudo on pe-web.`);
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('says that systemd is not available on a host without it, on Services and Logs', async () => {
    const { page } = await openPage('#/host/local/services');
    const services = page.getByTestId('services-view');
    await expect.poll(() => services.textContent(), { timeout: 10_000 }).toContain('systemd not available');
    await page.evaluate(() => (window.location.hash = '#/host/local/logs'));
    await expect
      .poll(() => page.getByTestId('logs-view').textContent(), { timeout: 10_000 })
      .toContain('systemd not available');
    await page.close();
  });

  it('shows the actions in the audit page, live, filtered, exported and verified', async () => {
    const { page, problems } = await openPage('#/audit');
    await page.getByTestId('audit-view').waitFor();
    await expect.poll(() => page.getByTestId('audit-table').textContent()).toContain('processes.signal');
    const table = await page.getByTestId('audit-table').textContent();
    expect(table).toContain('processes.renice');
    expect(table).toContain('needs root or sudo on pe-web');
    await page.screenshot({ path: join(SCREENSHOTS, 'audit.png') });

    // A refused call made now appears at the top without reloading.
    await client
      .call('processes.signal', { host: 'local', pid: 4_194_002, signal: 'HUP' })
      .catch(() => undefined);
    await expect.poll(() => page.locator('.audit-row').first().textContent()).toContain('4194002');

    await page.getByTestId('audit-result').selectOption('refused');
    await expect
      .poll(async () =>
        (await page.locator('.audit-row').allTextContents()).every((t) => t.includes('refused')),
      )
      .toBe(true);
    expect(await page.evaluate(() => window.location.hash)).toContain('result=refused');

    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);

    // Paging: 120 more refused calls make more than one page.
    await page.getByTestId('audit-result').selectOption('');
    await Promise.all(
      Array.from({ length: 120 }, () =>
        client.call('processes.signal', { host: 'local', pid: -1, signal: 'TERM' }).catch(() => undefined),
      ),
    );
    await page.reload();
    await page.getByTestId('audit-view').waitFor();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('100 shown');
    await page.getByTestId('audit-older').click();
    await expect.poll(() => page.locator('.audit-row').count()).toBeGreaterThan(130);
    const seqs = (await page.locator('.audit-row td:first-child').allTextContents()).map(Number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);

    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verification').textContent()).toMatch(/^✓ /);
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});
