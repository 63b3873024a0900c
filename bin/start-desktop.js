#!/usr/bin/env node
// `npm start`: opens the desktop app, or says in one sentence why it cannot and what to run instead.
'use strict';
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when it was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    'Hyperion cannot open its desktop window because the Electron binary is not installed here ' +
      '(it was skipped, e.g. with ELECTRON_SKIP_BINARY_DOWNLOAD=1); run "npm run serve" to use Hyperion in your browser instead.\n',
  );
  process.exit(1);
}
// The desktop shell loads better-sqlite3 built for Electron's ABI, kept apart from the Node build.
const rebuild = require('node:child_process').spawnSync(
  process.execPath,
  [join(__dirname, 'rebuild-electron-native.js')],
  {
    stdio: 'inherit',
  },
);
if (rebuild.status !== 0) process.exit(1);
const child = spawn(binary, [join(__dirname, '..')], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
