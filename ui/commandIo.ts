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
