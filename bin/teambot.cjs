#!/usr/bin/env node
'use strict';
// The `teambot` command. `teambot --version` (or -v) alone is answered here, in CommonJS, before
// Node starts its ES module loader (a few milliseconds, a tenth of the whole answer); everything
// else is the CLI, dist/cli.js, which the build produces.
const [, , first, ...rest] = process.argv;
if ((first === '--version' || first === '-v') && rest.length === 0 && workingDirectoryExists()) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import('../dist/cli.js');
}

/** A deleted working directory is the CLI's to report (exit 2), whatever the command. */
function workingDirectoryExists() {
  try {
    process.cwd();
    return true;
  } catch {
    return false;
  }
}
