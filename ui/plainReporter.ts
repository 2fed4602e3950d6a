import type { RunEvent } from '../machines/runEvents.js';
import { formatDuration } from './text/duration.js';


/** The readable part of each event after its type; a type this version does not know prints its fields. */
function describe(event: RunEvent): string {
  switch (event.type) {
    case 'run.started':
      return `${event.feature}  ${event.stages} stages, runner ${event.runner}${event.sequential ? ', groups run sequentially' : ''}`;
    case 'stage.started':
      return `${event.stage}  agent ${event.agent ?? '—'}${event.role === 'work' ? '' : ` (${event.role})`}`;
    case 'stage.completed':
      return `${event.stage}  ${formatDuration(event.duration_ms)}`;
    case 'stage.failed':
      return `${event.stage}  ${event.error}`;
    case 'stage.output':
      return `${event.stage}  │ ${event.line}`;
    case 'stage.skipped':
    case 'stage.aborted':
      return event.stage;
    case 'review.iteration':
      return `${event.stage}  ${event.iteration}/${event.max} ${event.verdict}${event.verdict === 'rejected' ? `: ${firstLine(event.feedback)}` : ''}`;
    case 'group.started':
    case 'group.completed':
      return `${event.group}  ${event.stages.join(' ‖ ')}`;
    case 'group.failed':
      return `${event.group}  failed: ${event.failed.join(', ')}`;
    case 'acceptance.iteration':
      return `${event.stage}  round ${event.iteration}: ${event.passed}/${event.total} passed, ${event.failed} failed`;
    case 'run.completed':
      return `${event.status}  in ${formatDuration(event.duration_ms)}${event.error ? `  ${event.error}` : ''}`;
    default: {
      const { ts: _ts, type: _type, ...fields } = event as { ts: string; type: string };
      return JSON.stringify(fields);
    }
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/**
 * One line per event, ISO time first, no escape codes: what CI logs and
 * `--no-ui` show. The same events go to events.jsonl.
 *
 * @example formatEventLine({ ts: '2026-01-01T00:00:00.000Z', type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work' })
 * // '2026-01-01T00:00:00.000Z stage.started        SPEC  agent ba'
 */
export function formatEventLine(event: RunEvent): string {
  return `${event.ts} ${event.type.padEnd(20)} ${describe(event)}`.trimEnd();
}
