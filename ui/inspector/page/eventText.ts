// The words the page shows for events and stages. Pure: no DOM.
import type { PageEvent, StageState } from './model.js';

/**
 * A duration as the page shows it.
 * @example formatDuration(75_000) // '1 min 15 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const seconds = (ms: unknown) => `${(Number(ms) / 1000).toFixed(1)} s`;
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/**
 * The readable part of an event, as the plain reporter (`--no-ui`) prints it.
 * @example describeEvent({ type: 'review.iteration', iteration: 1, max: 3, verdict: 'approved' }) // '1/3 approved'
 */
export function describeEvent(event: PageEvent): string {
  switch (event.type) {
    case 'run.started':
      return `${String(event.feature ?? '')} · ${String(event.stages ?? '?')} stages · runner ${String(event.runner ?? '?')}${event.resumed ? ' · resumed' : ''}${event.sequential ? ' · sequential' : ''}`;
    case 'stage.started':
      return `agent ${String(event.agent ?? '—')}${event.role && event.role !== 'work' ? ` (${String(event.role)})` : ''}${Number(event.iteration) > 1 ? ` · iteration ${String(event.iteration)}` : ''}${event.resumed ? ' · resumed' : ''}`;
    case 'stage.completed':
      return event.duration_ms !== undefined ? seconds(event.duration_ms) : '';
    case 'stage.failed':
      return String(event.error ?? '');
    case 'stage.skipped':
    case 'stage.aborted':
      return '';
    case 'review.iteration':
      return `${String(event.iteration)}/${String(event.max)} ${String(event.verdict)}${event.verdict === 'rejected' && event.feedback ? `: ${firstLine(String(event.feedback))}` : ''}`;
    case 'group.started':
    case 'group.completed':
      return `${String(event.group)} · ${list(event.stages).join(' ‖ ')}`;
    case 'group.failed':
      return `${String(event.group)} · failed: ${list(event.failed).join(', ')}`;
    case 'acceptance.iteration':
      return `round ${String(event.iteration)}: ${String(event.passed)}/${String(event.total)} passed, ${String(event.failed)} failed`;
    case 'run.completed':
      return `${String(event.status)} in ${seconds(event.duration_ms)}${event.error ? ` · ${String(event.error)}` : ''}`;
    default: {
      const { ts: _ts, type: _type, stage: _stage, ...fields } = event;
      return JSON.stringify(fields);
    }
  }
}

/** The first line of a text, cut at 120 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** The tone an event's row is drawn in: good, bad, warn, start or none. */
export function eventTone(event: PageEvent): string {
  if (event.type.endsWith('.failed') || event.type === 'stage.aborted') return 'tone-bad';
  if (event.type === 'run.completed') return event.status === 'complete' ? 'tone-good' : 'tone-bad';
  if (event.type === 'review.iteration') return event.verdict === 'approved' ? 'tone-good' : 'tone-warn';
  if (event.type === 'acceptance.iteration') return Number(event.failed) > 0 ? 'tone-warn' : 'tone-good';
  if (event.type.endsWith('.completed')) return 'tone-good';
  if (event.type.endsWith('.started')) return 'tone-start';
  return '';
}

/**
 * Seconds since the run's first event, so the stream reads like a stopwatch.
 * @example relativeTime({ type: 'x', ts: '2026-01-01T00:00:02.5Z' }, { type: 'run.started', ts: '2026-01-01T00:00:00Z' }) // '+2.5s'
 */
export function relativeTime(event: PageEvent, first: PageEvent | undefined): string {
  const start = Date.parse(first?.ts ?? '');
  const at = Date.parse(event.ts ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(at)) return event.ts ?? '';
  return `+${((at - start) / 1000).toFixed(1)}s`;
}

/** "agent ba · iteration 2/4 · rejected" or "3/5 passed" or the error. */
export function stageMeta(stage: StageState): string {
  if (stage.status === 'failed' && stage.error) return stage.error;
  if (stage.earlier) return 'completed in an earlier session';
  const parts: string[] = [];
  if (stage.agent && stage.status === 'running') parts.push(stage.agent);
  if (stage.status === 'running' && stage.role && stage.role !== 'work') parts.push(stage.role);
  if (stage.max !== undefined && stage.iteration !== undefined) parts.push(`iteration ${stage.iteration}/${stage.max}`);
  else if (stage.iteration !== undefined && stage.iteration > 1) parts.push(`iteration ${stage.iteration}`);
  if (stage.verdict) parts.push(stage.verdict);
  if (stage.acceptance) parts.push(`${String(stage.acceptance.passed)}/${String(stage.acceptance.total)} passed`);
  if (stage.resumed && stage.status === 'running') parts.push('resumed');
  return parts.join(' · ');
}

/** A stage's duration: measured once it ended, counting up to `now` (epoch ms) while it runs. */
export function stageDuration(stage: StageState, now: number): string {
  if (stage.durationMs !== undefined && stage.status !== 'running') return formatDuration(stage.durationMs);
  if (stage.status === 'running' && stage.startedAt !== undefined) return formatDuration(now - stage.startedAt);
  return '';
}
