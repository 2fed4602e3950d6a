import type { LogEvent } from '../machines/eventLog.js';

const seconds = (ms: unknown) => `${(Number(ms) / 1000).toFixed(1)} s`;

/** The readable part of each event after its type; unknown events print their fields. */
function describe(event: LogEvent): string {
  const stage = event.stage ?? '';
  switch (event.type) {
    case 'run.started':
      return `${event.feature}  ${event.stages} stages, runner ${event.runner}${event.sequential ? ', groups run sequentially' : ''}`;
    case 'stage.started':
      return `${stage}  agent ${event.agent ?? '—'}${event.role === 'work' ? '' : ` (${event.role})`}`;
    case 'stage.completed':
      return `${stage}  ${seconds(event.duration_ms)}`;
    case 'stage.failed':
      return `${stage}  ${event.error}`;
    case 'stage.output':
      return `${stage}  │ ${String(event.line)}`;
    case 'stage.skipped':
    case 'stage.aborted':
      return stage;
    case 'review.iteration':
      return `${stage}  ${event.iteration}/${event.max} ${event.verdict}${event.verdict === 'rejected' ? `: ${firstLine(String(event.feedback))}` : ''}`;
    case 'group.started':
    case 'group.completed':
      return `${event.group}  ${(event.stages as string[]).join(' ‖ ')}`;
    case 'group.failed':
      return `${event.group}  failed: ${(event.failed as string[]).join(', ')}`;
    case 'acceptance.iteration':
      return `${stage}  round ${event.iteration}: ${event.passed}/${event.total} passed, ${event.failed} failed`;
    case 'run.completed':
      return `${event.status}  in ${seconds(event.duration_ms)}${event.error ? `  ${event.error}` : ''}`;
    default: {
      const { ts: _ts, type: _type, ...fields } = event;
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
export function formatEventLine(event: LogEvent): string {
  return `${event.ts} ${event.type.padEnd(20)} ${describe(event)}`.trimEnd();
}
