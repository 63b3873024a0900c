#!/usr/bin/env node
// Entry point of the `hyperion` command: runs the compiled CLI from out/.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli', 'index.js');
if (!existsSync(cli)) {
  process.stderr.write(
    'hyperion: Hyperion is not built yet: run "npm run build" in ' + join(__dirname, '..') + '\n',
  );
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exitCode = code;
  });
