import { stageOf, type RunEvent } from '../../machines/session/runEvents.js';
import type { RunSink } from '../../machines/session/runSink.js';
import { describeEvent } from './eventDescription.js';
import { interruptedBy } from './stageWords.js';
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

/**
 * The plain reporter as a run sink: one line per event to `write`. A stopped
 * run logs nothing for the stages it stops, so run.completed's line names them
 * below it, in the words the other views use (stageWords interruptedBy), as the
 * run-view reducer decides them: running at the end and not named failed.
 *
 * The lines of one tick (an agent's burst of output) go to `write` joined, as
 * one call (one write to stdout instead of thousands), on setImmediate; any
 * line not yet written is written before run.completed's, at once, and when
 * the run ends, so nothing printed after the run comes before them.
 */
export function lineReporter(write: (line: string) => void): RunSink {
  const running = new Set<string>();
  let pending: string[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    write(lines.join('\n'));
  };
  const queue = (line: string) => {
    pending.push(line);
    scheduled ??= setImmediate(flush);
  };
  return {
    onEvent: (event) => {
      if (event.type === 'stage.started') running.add(event.stage);
      else if (event.type === 'stage.completed' || event.type === 'stage.failed' || event.type === 'stage.aborted') running.delete(event.stage);
      if (event.type !== 'run.completed') {
        queue(formatEventLine(event));
        return;
      }
      const interrupted = [...running].filter((stage) => !(event.failed ?? []).includes(stage));
      running.clear();
      queue(formatEventLine(event) + (interrupted.length > 0 ? `\n${interruptedLine(event.status, interrupted)}` : ''));
      flush();
    },
    onRunEnd: flush,
  };
}

/** "    interrupted (cancelled): RESEARCH, TEST_STRATEGY", under run.completed's line. */
function interruptedLine(status: string, stages: readonly string[]): string {
  return `    ${terminalText(`${interruptedBy(status)}: ${stages.join(', ')}`).split('\n').join(' ')}`;
}
