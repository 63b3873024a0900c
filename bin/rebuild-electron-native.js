#!/usr/bin/env node
// Builds a copy of better-sqlite3 for Electron's ABI in .electron-native/, leaving the Node build in
// node_modules untouched, so tests and `serve` (Node) and the desktop shell (Electron) coexist.
'use strict';
const { spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = join(root, '.electron-native', 'better-sqlite3');
const stamp = join(target, '.electron-version');
const binding = join(target, 'build', 'Release', 'better_sqlite3.node');

function main() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return 0;

  process.stdout.write(
    `Building better-sqlite3 for Electron ${electronVersion} (once; about two minutes)…\n`,
  );
  const source = join(root, 'node_modules', 'better-sqlite3');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: target, stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(binding)) {
    process.stderr.write(
      `Could not build better-sqlite3 for Electron ${electronVersion} (node-gyp needs Electron's headers and a C++ toolchain); ` +
        'the browser UI still works with "npm run serve".\n',
    );
    return 1;
  }
  writeFileSync(stamp, electronVersion);
  return 0;
}

if (require.main === module) process.exit(main());
module.exports = { binding };
