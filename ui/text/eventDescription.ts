// What each run event says, in the same words in the plain reporter (`--no-ui`, CI logs) and the
// inspector page's event list. Pure, no Node or DOM APIs: the page's bundle includes it.
import type { RunEvent } from '../../machines/session/runEvents.js';
import { formatDuration } from './duration.js';
import { ABORTED_BECAUSE, STAGE_STATES } from './stageWords.js';

/**
 * The readable part of an event, after its type and stage; a type this
 * version does not know shows its fields.
 *
 * @example describeEvent({ ts, type: 'review.iteration', stage: 'SPEC_REVIEW', iteration: 1, max: 4, verdict: 'approved', feedback: '' }) // '1/4 approved'
 */
export function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'run.started':
      return `${event.feature}  ${event.stages} stages, runner ${event.runner}${event.sequential ? ', groups run sequentially' : ''}${event.resumed ? ', resumed' : ''}`;
    case 'stage.started':
      return `agent ${event.agent ?? '—'}${event.role === 'work' ? '' : ` (${event.role})`}`
        + `${event.iteration > 1 ? `, iteration ${event.iteration}` : ''}${event.resumed ? ', restarted by resume' : ''}`;
    case 'stage.completed':
      return formatDuration(event.duration_ms);
    case 'stage.failed':
      return event.error;
    case 'stage.output':
      return `│ ${event.line}`;
    case 'stage.skipped':
      return '';
    case 'stage.aborted':
      return ABORTED_BECAUSE;
    case 'review.iteration':
      return `${event.iteration}/${event.max} ${event.verdict}${event.verdict === 'rejected' ? `: ${firstLine(event.feedback)}` : ''}`;
    case 'group.started':
      return `${event.group}  ${event.stages.join(' ‖ ')}${resumedGroup(event.stages, event.remaining)}`
        + `${event.resumed ? ', restarted by resume' : ''}`;
    case 'group.completed':
      return `${event.group}  ${event.stages.join(' ‖ ')}`;
    case 'group.failed':
      return `${event.group}  failed: ${event.failed.join(', ')}`;
    case 'acceptance.iteration':
      return `round ${event.iteration}: ${event.passed}/${event.total} passed, ${event.failed} failed`;
    case 'stage.merged':
      return `${event.group}  ${mergedFilesText(event.files)} from its worktree into the project`;
    case 'run.completed':
      return `${event.status}  in ${formatDuration(event.duration_ms)}${event.error ? `  ${event.error}` : ''}`;
    default: {
      const { ts: _ts, type: _type, stage: _stage, ...fields } = event as { ts: string; type: string; stage?: string };
      return JSON.stringify(fields);
    }
  }
}

/** A resumed group's start: what runs now and what completed earlier (older logs have no `remaining`). */
function resumedGroup(stages: readonly string[], remaining: readonly string[] | undefined): string {
  if (remaining === undefined) return '';
  const earlier = stages.filter((stage) => !remaining.includes(stage));
  return `; running ${remaining.join(', ')}${earlier.length > 0 ? `, ${earlier.join(', ')} ${STAGE_STATES.completed_earlier.word}` : ''}`;
}

/**
 * What a merge changed: "2 files changed (src/a.ts, web/b.tsx)", the list cut after three.
 *
 * @example mergedFilesText([{ path: 'a.ts', change: 'added' }]) // '1 file changed (a.ts)'
 */
export function mergedFilesText(files: readonly { readonly path: string }[]): string {
  if (files.length === 0) return 'no file changed';
  const shown = files.slice(0, 3).map((file) => file.path).join(', ');
  return `${files.length} ${files.length === 1 ? 'file' : 'files'} changed (${shown}${files.length > 3 ? `, … ${files.length - 3} more` : ''})`;
}

/** The first line of a text, cut to 100 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
