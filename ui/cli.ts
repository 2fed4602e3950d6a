import { processIo } from './commandIo.js';
import { runTeambot } from './program.js';
import { invocationOf } from './text/invocation.js';

// NO_COLOR (no-color.org) is not read by chalk, which colours Ink's output: translate it before
// anything loads chalk. Agent processes inherit it too.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

const cwd = process.cwd();
process.exitCode = await runTeambot(process.argv.slice(2), {
  cwd, ...processIo(), invocation: invocationOf(process.argv[1] ?? '', { cwd, env: process.env }),
});
