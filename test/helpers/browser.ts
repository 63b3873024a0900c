// Debian's Chromium driven by playwright-core, and a record of what went wrong inside a page.
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags of DESIGN.md's browser recipe: headless, no sandbox, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

export interface PageProblems {
  /** console.error messages, CSP refusals and failed loads among them. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  readonly pageErrors: string[];
  /** `securitypolicyviolation` events, reported even when nothing is logged. */
  readonly cspViolations: string[];
  /** Everything above, one line each, for an assertion message. */
  all(): string[];
  /** Forget what was recorded so far (e.g. errors a test caused on purpose). */
  clear(): void;
}

/** Starts recording a page's problems; call before the first navigation. */
export async function watchPageProblems(page: Page): Promise<PageProblems> {
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    consoleErrors.push(where ? `${message.text()} (${where})` : message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  // A binding and an init script come from the browser's side of the protocol, so the page's CSP
  // does not block them.
  await page.exposeBinding('__hyperionTestCspViolation', (_source, line: string) => {
    cspViolations.push(line);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __hyperionTestCspViolation?: (line: string) => void })
        .__hyperionTestCspViolation;
      report?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} in ${event.sourceFile}`,
      );
    });
  });
  return {
    consoleErrors,
    pageErrors,
    cspViolations,
    all: () => [
      ...consoleErrors.map((l) => `console error: ${l}`),
      ...pageErrors.map((l) => `page error: ${l}`),
      ...cspViolations.map((l) => `CSP violation: ${l}`),
    ],
    clear: () => {
      consoleErrors.length = 0;
      pageErrors.length = 0;
      cspViolations.length = 0;
    },
  };
}
