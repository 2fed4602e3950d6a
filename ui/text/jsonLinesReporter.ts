import type { RunEvent } from '../../machines/session/runEvents.js';
import type { RunSink } from '../../machines/session/runSink.js';
import { terminalJson } from './terminalText.js';

/**
 * `run --json`: every event as one line of JSON, the shape events.jsonl records, for a script
 * to read as the run goes. Control and bidi characters in what agents wrote are escaped
 * (terminalJson), so a line is safe on a terminal and still parses to the same event.
 * run.completed is always the last line: it is held until the run has ended, and agent output
 * logged after it (output is batched) goes out before it, so a reader can stop at it.
 *
 * @example startRun({ ...options, sinks: [jsonLinesReporter((line) => process.stdout.write(`${line}\n`))] })
 */
export function jsonLinesReporter(write: (line: string) => void): RunSink {
  let completed: RunEvent | undefined;
  return {
    onEvent(event) {
      if (event.type === 'run.completed') completed = event;
      else write(terminalJson(event));
    },
    onRunEnd() {
      if (completed) write(terminalJson(completed));
      completed = undefined;
    },
  };
}
