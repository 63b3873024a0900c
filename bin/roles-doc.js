#!/usr/bin/env node
// Writes docs/roles.md from the built contract (npm run docs:roles builds first); --check only
// says whether the file is current (exit status 1 when it is not).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const { api } = require(join(root, 'out', 'common', 'api.js'));
const { rolesTable } = require(join(root, 'out', 'common', 'roles-table.js'));
const target = join(root, 'docs', 'roles.md');
const text = rolesTable(api);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('docs/roles.md does not match the contract: run "npm run docs:roles".\n');
    process.exit(1);
  }
  process.stdout.write('docs/roles.md matches the contract.\n');
} else {
  writeFileSync(target, text);
  process.stdout.write(`docs/roles.md written (${text.split('\n').length} lines).\n`);
}
