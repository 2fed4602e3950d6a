import nodeModule from 'node:module';

// From Node 22.1, the bundle compiled once is kept on disk (in the temporary directory) for
// the next start; Node 20 has no such cache and compiles it every time.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { processIo } = await import('./commandIo.js');
const { ExitCode } = await import('./exitCodes.js');
const { runTeambot } = await import('./program.js');
const { invocationOf } = await import('./text/invocation.js');

// NO_COLOR (no-color.org) is not read by chalk, which colours Ink's output: translate it before
// anything loads chalk. Agent processes inherit it too.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

const cwd = currentDirectory();
if (cwd === undefined) {
  process.stderr.write('teambot: the current directory no longer exists (it was deleted or moved): cd to your project and run the command again\n');
  process.exitCode = ExitCode.badInput;
} else {
  process.exitCode = await runTeambot(process.argv.slice(2), {
    cwd, ...processIo(), invocation: invocationOf(process.argv[1] ?? '', { cwd, env: process.env }),
  });
}

/** The working directory; undefined when it was deleted (or moved away) after the shell entered it. */
function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
