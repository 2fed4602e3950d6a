import { join } from 'node:path';
import { terminalLine } from './text/terminalText.js';

/**
 * A stream a command writes text to: `process.stdout` when the CLI runs, a
 * buffer when a test runs the command in-process.
 */
export interface TextOutput {
  write(text: string): unknown;
  /** true on an interactive terminal (the live view and colours need one). */
  readonly isTTY?: boolean | undefined;
  /** The terminal's width, when it is one. */
  readonly columns?: number | undefined;
  /** A process stream reports a closed pipe (`teambot run … | head`) as an 'error' event. */
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** What a command reads from and writes to besides its files: its streams and environment. */
export interface CommandIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** CI and NO_COLOR choose how a run is shown. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How the user runs teambot (`teambot`, `npx teambot`, `node dist/cli.js`), for the commands it prints; default `teambot`. */
  readonly invocation?: string | undefined;
}

/** The real process's streams and environment. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * The command's io with `<projectRoot>/.env` added to its environment (loader/envFile.ts): the
 * environment commands read and agents inherit. A .env that cannot be read is said on stderr,
 * by name only, and the command goes on without it.
 *
 * @example io = await withProjectEnvFile(io, () => findProject(cwd).root)
 */
export async function withProjectEnvFile(io: CommandIo, findRoot: () => string): Promise<CommandIo> {
  let projectRoot: string;
  try {
    projectRoot = findRoot();
  } catch {
    // A teambot.json that cannot be looked at (a link in a loop): the command itself says so.
    return io;
  }
  const { loadEnvFile, ENV_FILE_NAME } = await import('../loader/envFile.js');
  const load = await loadEnvFile(projectRoot, io.env);
  if (load.problem) io.stderr.write(`teambot: ${terminalLine(join(projectRoot, ENV_FILE_NAME))} not loaded: ${load.problem}\n`);
  return load.loaded.length === 0 ? io : { ...io, env: load.env };
}
