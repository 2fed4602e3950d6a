import type { RunSink } from '../../machines/session/runSink.js';
import { jsonLinesReporter } from '../text/jsonLinesReporter.js';
import { lineReporter } from '../text/plainReporter.js';
import { quietReporter, type QuietLineContext } from '../text/quietReporter.js';
import { chooseRunDisplay, type RunDisplay } from './runDisplay.js';

/**
 * How a run is shown on stdout, the displays for scripts included:
 * - `json`: one JSON line per event, nothing else (`--json`);
 * - `quiet`: nothing but errors and one final line (`--quiet`);
 * - `live` or `lines`, as runDisplay.ts chooses between the live view and a line per event.
 */
export type RunOutputDisplay = 'json' | 'quiet' | RunDisplay;

/** What decides the display: the flags, and where stdout goes. */
export interface DisplayChoice {
  readonly json: boolean;
  readonly quiet: boolean;
  /** false with --no-ui. */
  readonly ui: boolean;
  /** stdout is an interactive terminal. */
  readonly stdoutIsTty: boolean;
  /** CI (see runDisplay.ts isCi). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Picks the display. What the user asked for wins over what the terminal allows: --json over
 * --quiet (a script asked for the events; it gets only them), either over the live view.
 *
 * @example chooseDisplay({ json: true, quiet: false, ui: true, stdoutIsTty: true, env: {} }) // 'json'
 */
export function chooseDisplay(choice: DisplayChoice): RunOutputDisplay {
  if (choice.json) return 'json';
  if (choice.quiet) return 'quiet';
  return chooseRunDisplay(choice);
}

/** Where a display's lines go: one function per stream, each given a line without its line feed. */
export interface RunOutput {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/**
 * The sinks that print a run's events for a display: the live view reads the view store
 * instead, so it needs none.
 */
export function eventReporters(display: RunOutputDisplay, output: RunOutput, quiet: QuietLineContext): RunSink[] {
  switch (display) {
    case 'json': return [jsonLinesReporter(output.stdout)];
    case 'quiet': return [quietReporter({ write: output.stdout, error: output.stderr }, quiet)];
    case 'lines': return [lineReporter(output.stdout)];
    case 'live': return [];
  }
}

/**
 * Where the text a run prints besides its events goes: notes (the inspector's address) and the
 * closing summary go to stdout, except with --json, where stdout is the events' alone: both go to
 * stderr. --quiet keeps notes (on stderr: they were asked for, like --inspect) and drops the
 * summary, which its final line stands for.
 */
export function runTextOutput(display: RunOutputDisplay, output: RunOutput): { note: (line: string) => void; closing: (text: string) => void } {
  const toStdout = display === 'live' || display === 'lines';
  return {
    note: toStdout ? output.stdout : output.stderr,
    closing: display === 'quiet' ? () => {} : toStdout ? output.stdout : output.stderr,
  };
}
