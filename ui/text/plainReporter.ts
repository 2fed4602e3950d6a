import { stageOf, type RunEvent } from '../../machines/session/runEvents.js';
import type { RunSink } from '../../machines/session/runSink.js';
import { describeEvent } from './eventDescription.js';
import { terminalText } from './terminalText.js';

/**
 * One line per event, ISO time first, no escape codes: what CI logs and
 * `--no-ui` show. The same events go to events.jsonl, raw; here what an agent
 * or a file wrote is made safe (terminalText), and the further lines of a
 * multi-line error are indented, so none can pass for an event line.
 *
 * @example formatEventLine({ ts: '2026-01-01T00:00:00.000Z', type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work' })
 * // '2026-01-01T00:00:00.000Z stage.started        SPEC  agent ba'
 */
export function formatEventLine(event: RunEvent): string {
  const about = [stageOf(event), describeEvent(event)].filter((part) => part !== undefined && part !== '').join('  ');
  const [first, ...more] = terminalText(about).split('\n');
  return [`${event.ts} ${event.type.padEnd(20)} ${first}`.trimEnd(), ...more.map((line) => `    ${line}`.trimEnd())].join('\n');
}

/** The plain reporter as a run sink: one line per event to `write`. */
export function lineReporter(write: (line: string) => void): RunSink {
  return { onEvent: (event) => write(formatEventLine(event)) };
}
