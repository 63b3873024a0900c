// The live CPU view in Debian's Chromium against a real `hyperion serve`: the sign-in link, charts
// that move every second, one cell per core, both colour schemes, no CSP or console errors, and a
// server that goes away and comes back under an open page.
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchPageProblems, type PageProblems } from '../helpers/browser';
import { REPO_ROOT, restartServe, startServe, type ServeProcess } from '../helpers/serve-process';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
/** The first stacked area of the total CPU chart; it gains a point with every sample. */
const CPU_CHART_PATH = '[data-testid=cpu-usage-panel] svg path.recharts-area-area';
/** Samples arrive every second; 3 s leaves room for a busy 2-core machine. */
const CHANGE_TIMEOUT_MS = 3_000;
/** The first chart needs two readings (rates come from deltas), so about 1 s plus page load. */
const FIRST_CHART_TIMEOUT_MS = 10_000;

/** Logical CPUs as the collector sees them: the cpuN lines of /proc/stat, else Node's count. */
function cpuCount(): number {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+\s/.test(line)).length;
  } catch {
    return cpus().length;
  }
}

async function chartPath(page: Page): Promise<string> {
  return (await page.locator(CPU_CHART_PATH).first().getAttribute('d')) ?? '';
}

/** Waits until the chart's path differs from `previous`, and returns the new one. */
async function waitForChartChange(page: Page, previous: string): Promise<string> {
  const changed = await page.waitForFunction(
    ([selector, before]) => {
      const d = document.querySelector(selector)?.getAttribute('d');
      return d && d !== before ? d : false;
    },
    [CPU_CHART_PATH, previous] as const,
    { timeout: CHANGE_TIMEOUT_MS, polling: 100 },
  );
  return (await changed.jsonValue()) as string;
}

/** The app opens on the fleet; the local machine's live view is one click away, as for a person. */
async function openLocalHost(page: Page): Promise<void> {
  await page.getByTestId('fleet-row-local').getByRole('link', { name: 'This computer' }).click();
}

async function waitForFirstChart(page: Page): Promise<string> {
  await page.locator(CPU_CHART_PATH).first().waitFor({ state: 'visible', timeout: FIRST_CHART_TIMEOUT_MS });
  return chartPath(page);
}

async function newWatchedPage(context: BrowserContext): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  return { page, problems: await watchPageProblems(page) };
}

describe('the live CPU view in Chromium', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const serves: ServeProcess[] = [];

  const newContext = async (colorScheme: 'dark' | 'light' = 'dark'): Promise<BrowserContext> => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context;
  };
  const serve = async (...args: Parameters<typeof startServe>): Promise<ServeProcess> => {
    const started = await startServe(...args);
    serves.push(started);
    return started;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await Promise.all(serves.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the printed link, hides the token and draws live charts for every core', async () => {
    const server = await serve();
    const { page, problems } = await newWatchedPage(await newContext('dark'));
    await page.goto(server.url);

    // The token leaves the address bar (and history) as soon as the page has read it.
    await expect.poll(() => page.url()).toBe(`${server.origin}/`);
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    await page.getByTestId('fleet-view').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-dark.png'), fullPage: true });
    await openLocalHost(page);
    expect(page.url()).not.toContain('token');

    const first = await waitForFirstChart(page);
    // Two consecutive changes: the chart is fed every second, not drawn once.
    const second = await waitForChartChange(page, first);
    await waitForChartChange(page, second);

    // Every core is on the CPU tab; the Overview keeps only the stacked CPU chart.
    await page.getByRole('tab', { name: 'CPU' }).click();
    const cores = cpuCount();
    if (cores <= 16) {
      const cells = page.locator('[data-testid=core-grid] .core-cell');
      await expect.poll(() => cells.count()).toBe(cores);
      // Every cell draws its own area, not just a caption.
      await expect
        .poll(() => page.locator('[data-testid=core-grid] .core-cell svg path.recharts-area-area').count())
        .toBe(cores);
      for (let i = 0; i < cores; i++) {
        expect(await page.getByTestId(`core-${i}-value`).textContent()).toMatch(/\d %$/);
      }
    } else {
      const heatmap = page.locator('[data-testid=core-heatmap] canvas');
      await expect.poll(() => heatmap.getAttribute('aria-label')).toContain(`Use of ${cores} cores`);
    }
    expect(await page.getByTestId('cpu-total').textContent()).toMatch(/\d %$/);
    expect(await page.getByTestId('connection-pill').textContent()).toContain('CONNECTED');

    await page.screenshot({ path: join(SCREENSHOTS, 'live-cpu-dark.png'), fullPage: true });
    expect(problems.all()).toEqual([]);
  });

  it('follows the light colour scheme too', async () => {
    const server = await serve();
    const background: Record<string, string> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems } = await newWatchedPage(await newContext(scheme));
      await page.goto(server.url);
      await openLocalHost(page);
      await waitForChartChange(page, await waitForFirstChart(page));
      background[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (scheme === 'light') {
        await page.screenshot({ path: join(SCREENSHOTS, 'live-cpu-light.png'), fullPage: true });
      }
      expect(problems.all()).toEqual([]);
    }
    const luminance = (rgb: string): number => {
      const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(luminance(background.light!)).toBeGreaterThan(luminance(background.dark!) + 100);
  });

  it('asks for a sign-in when the page is opened without a link', async () => {
    const server = await serve();
    const { page, problems } = await newWatchedPage(await newContext());
    await page.goto(`${server.origin}/`);
    await page.getByTestId('sign-in').waitFor();
    expect(await page.locator(CPU_CHART_PATH).count()).toBe(0);
    expect(problems.all()).toEqual([]);
  });

  it('says a wrong access link is no longer valid and forgets it', async () => {
    const server = await serve();
    const { page, problems } = await newWatchedPage(await newContext());
    await page.goto(`${server.origin}/#token=wrong`);
    const problem = page.getByTestId('access-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('no longer valid');
    expect(page.url()).toBe(`${server.origin}/`);
    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
    // The refused exchange is logged by Chromium as a failed load; nothing else may be.
    const unexpected = problems.all().filter((line) => !/status of 40\d .*\/api\/auth\/key/.test(line));
    expect(unexpected).toEqual([]);
  });

  it('shows the connection lost while serve is down and recovers when it is back on the same port', async () => {
    // The session lives in the database: the open page reconnects to the restarted server.
    let server = await serve();
    const { page, problems } = await newWatchedPage(await newContext());
    await page.goto(server.url);
    await openLocalHost(page);
    await waitForChartChange(page, await waitForFirstChart(page));

    await server.stop({ keepDataDir: true });
    const lost = page.getByTestId('connection-lost');
    await lost.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId('connection-pill').textContent()).toContain('OFFLINE');

    server = await restartServe(server);
    serves.push(server);
    // Retries back off from 0.5 s with jitter: the first or second try after the restart gets in.
    await page.getByTestId('connection-restored').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await lost.count()).toBe(0);
    expect(await page.getByTestId('connection-pill').textContent()).toContain('CONNECTED');
    const afterRestart = await chartPath(page);
    await waitForChartChange(page, await waitForChartChange(page, afterRestart));

    // Refused connection attempts while serve was down are expected (the socket, and the session
    // check the page makes before each retry); nothing else is.
    const unexpected = problems
      .all()
      .filter(
        (line) =>
          !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api' failed/.test(line) &&
          !/ERR_CONNECTION_(REFUSED|RESET) \(http:\/\/127\.0\.0\.1:\d+\/api\/auth\/session\)/.test(line),
      );
    expect(unexpected).toEqual([]);
  });
});
