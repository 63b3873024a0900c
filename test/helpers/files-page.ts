// The Files tab in a page, for the browser and desktop-window suites: open it on a host at a path,
// move to another path, find a row by its exact name, list the names shown.
import type { Page } from 'playwright-core';
import { expect, vi } from 'vitest';

/** File names a shell would misread; the UI must show and move them as data. */
export const HOSTILE_NAMES = [
  'two words.txt',
  'line\nbreak.txt',
  '-rf',
  '$(touch PWNED)',
  'quote\'s "x".txt',
];

/** Opens the host's Files tab on a loaded app page and goes to `at`. */
export async function showFilesTab(page: Page, hostId: string, at: string): Promise<void> {
  await page.getByTestId('fleet-view').waitFor();
  await page.evaluate((h) => (window.location.hash = h), `#/host/${hostId}/files`);
  await page.getByTestId('files-tab').waitFor();
  await page.getByTestId('path-bar').waitFor();
  await goTo(page, at);
}

/** Types `path` into the path bar and waits until the listing shows it. */
export async function goTo(page: Page, path: string): Promise<void> {
  await page.getByTestId('edit-path').click();
  await page.getByTestId('path-input').fill(path);
  await page.getByTestId('path-input').press('Enter');
  await vi.waitFor(async () =>
    expect(await page.getByTestId('path-bar').textContent()).toContain(path.split('/').at(-1)!),
  );
}

export const rowNames = async (page: Page) =>
  page.getByTestId('file-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

/** A CSS string for any name: quotes and backslashes escaped, control characters as \hex. */
const cssString = (text: string) =>
  `"${[...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (c === '"' || c === '\\') return `\\${c}`;
      return code < 0x20 || code === 0x7f ? `\\${code.toString(16)} ` : c;
    })
    .join('')}"`;

/** The row of the entry named exactly `name`. */
export const fileRow = (page: Page, name: string) =>
  page.locator(`[data-testid=file-row][data-name=${cssString(name)}]`);
