// The words the page shows for events and stages. Pure: no DOM.
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { formatDuration as formatSharedDuration } from '../../text/duration.js';
import { describeEvent as describeRunEvent } from '../../text/eventDescription.js';
import type { StageView } from '../../run-view/runViewModel.js';
import { STAGE_STATES } from '../../text/stageWords.js';

/** A duration in the words every view uses (ui/text/duration.ts); nothing for a time the page cannot know. */
export function formatDuration(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 ? formatSharedDuration(ms) : '';
}

/**
 * The readable part of an event, in the plain reporter's words (ui/text/eventDescription.ts).
 * The page reads events.jsonl as it finds it: an event whose fields are not what its type
 * promises shows its fields rather than breaking the list.
 */
export function describeEvent(event: RunEvent): string {
  try {
    return describeRunEvent(event);
  } catch {
    const { ts: _ts, type: _type, stage: _stage, ...fields } = event as RunEvent & { readonly stage?: string };
    return JSON.stringify(fields);
  }
}

/** The first line of a text, cut at 120 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** The tone an event's row is drawn in: good, bad, warn, start or none. */
export function eventTone(event: RunEvent): string {
  if (event.type.endsWith('.failed') || event.type === 'stage.aborted') return 'tone-bad';
  if (event.type === 'run.completed') return event.status === 'complete' ? 'tone-good' : 'tone-bad';
  if (event.type === 'review.iteration') return event.verdict === 'approved' ? 'tone-good' : 'tone-warn';
  if (event.type === 'acceptance.iteration') return event.failed > 0 ? 'tone-warn' : 'tone-good';
  if (event.type.endsWith('.completed')) return 'tone-good';
  if (event.type.endsWith('.started')) return 'tone-start';
  return '';
}

/**
 * Seconds since the run's first event, so the stream reads like a stopwatch.
 * @example relativeTime({ type: 'x', ts: '2026-01-01T00:00:02.5Z' }, { type: 'run.started', ts: '2026-01-01T00:00:00Z' }) // '+2.5s'
 */
export function relativeTime(event: RunEvent, first: RunEvent | undefined): string {
  const start = Date.parse(first?.ts ?? '');
  const at = Date.parse(event.ts ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(at)) return event.ts ?? '';
  return `+${((at - start) / 1000).toFixed(1)}s`;
}

/** "agent ba · iteration 2/4 · rejected" or "3/5 passed" or the error. */
export function stageMeta(stage: StageView): string {
  if (stage.status === 'failed' && stage.error) return stage.error;
  if (stage.completedEarlier) return STAGE_STATES.completed_earlier.word;
  const parts: string[] = [];
  if (stage.runningAgent && stage.status === 'running') parts.push(stage.runningAgent);
  if (stage.status === 'running' && stage.role && stage.role !== 'work') parts.push(stage.role);
  if (stage.maxIterations !== undefined && stage.iteration !== undefined) parts.push(`iteration ${stage.iteration}/${stage.maxIterations}`);
  else if (stage.iteration !== undefined && stage.iteration > 1) parts.push(`iteration ${stage.iteration}`);
  if (stage.lastVerdict) parts.push(stage.lastVerdict);
  if (stage.acceptance) parts.push(`${String(stage.acceptance.passed)}/${String(stage.acceptance.total)} passed`);
  if (stage.resumed && stage.status === 'running') parts.push('resumed');
  return parts.join(' · ');
}

/** A stage's duration: measured once it ended, counting up to `now` (epoch ms) while it runs. */
export function stageDuration(stage: StageView, now: number): string {
  if (stage.durationMs !== undefined && stage.status !== 'running') return formatDuration(stage.durationMs);
  if (stage.status === 'running' && stage.startedAt !== undefined) return formatDuration(now - stage.startedAt);
  return '';
}
