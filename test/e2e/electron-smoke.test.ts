// The desktop app opens and shows the live CPU chart where an Electron binary exists; where it does
// not, `npm start` says so in one sentence and points to `npm run serve`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { REPO_ROOT } from '../helpers/serve-process';

const SKIP_MESSAGE =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): Electron smoke test skipped';
const START_DESKTOP = join(REPO_ROOT, 'bin', 'start-desktop.js');

/** The path the electron package names, if its binary is really there (it throws when never downloaded). */
function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(join(REPO_ROOT, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const electronPath = electronBinary();
if (!electronPath) console.warn(SKIP_MESSAGE);

/** Runs bin/start-desktop.js and checks it fails with one plain sentence, no stack trace. */
function expectOneSentenceRefusal(env: NodeJS.ProcessEnv): void {
  const run = spawnSync(process.execPath, [START_DESKTOP], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const message = run.stderr.trim();
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toContain('npm run serve');
  expect(message).toMatch(/^[A-Z].*\.$/);
  // One sentence: no full stop followed by a new capitalised sentence ("e.g. with" is fine).
  expect(message).not.toMatch(/[.!?]\s+[A-Z]/);
  expect(run.stderr).not.toMatch(/^\s*at /m);
}

describe(electronPath ? 'the Electron desktop app' : SKIP_MESSAGE, () => {
  it.skipIf(!electronPath)('opens a window that shows the live CPU chart', async () => {
    const app = await _electron.launch({ executablePath: electronPath!, args: ['.'], cwd: REPO_ROOT });
    try {
      const window = await app.firstWindow();
      await window
        .locator('[data-testid=cpu-usage-panel] svg path.recharts-area-area')
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
      expect(await window.getByTestId('core-grid').or(window.getByTestId('core-heatmap')).count()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it.skipIf(!!electronPath)(
    '`npm start` without the binary exits 1 with one sentence naming `npm run serve`',
    () => {
      expectOneSentenceRefusal({});
    },
  );
});

describe('`npm start` when the Electron binary is missing', () => {
  it('exits 1 with one sentence naming `npm run serve`, even where a binary is installed', () => {
    // ELECTRON_OVERRIDE_DIST_PATH makes the electron package name a binary inside an empty folder:
    // the state a skipped download leaves, reproduced on any machine.
    const empty = mkdtempSync(join(tmpdir(), 'hyperion-no-electron-'));
    try {
      expectOneSentenceRefusal({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
