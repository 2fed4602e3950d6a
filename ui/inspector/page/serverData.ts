// Reading what the server sends (/api/run, /api/events, socket messages)
// defensively: an older or partial server may leave fields out. Pure: no DOM.
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { RunInfo } from './model.js';

/**
 * /api/run with every field filled in, so the rest of the page need not check.
 * @example normaliseRun({ mode: 'replay', feature: 'x' }).stage_order // []
 */
export function normaliseRun(run: unknown): RunInfo {
  const value = (run && typeof run === 'object' ? run : {}) as Record<string, unknown>;
  const strings = (list: unknown) => (Array.isArray(list) ? list.map(String) : []);
  return {
    mode: value.mode === 'live' ? 'live' : 'replay',
    feature: String(value.feature ?? ''),
    title: String(value.title ?? value.feature ?? 'teambot run'),
    stage_order: strings(value.stage_order),
    groups: value.groups && typeof value.groups === 'object' ? value.groups as Record<string, readonly string[]> : {},
    status: typeof value.status === 'string' ? value.status : null,
    completed_before: strings(value.completed_before),
  };
}

/**
 * Whether a value is an event the page can apply: an object with a string type.
 * Its other fields are taken on trust, as the terminal UI takes them; a type the
 * page does not know changes nothing, and a time it cannot read moves no clock.
 */
export function isRunEvent(value: unknown): value is RunEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Every event of a recorded log, all sessions in order (a replay is one timeline).
 * @example allRunEvents([{ type: 'run.started' }, 7, { type: 'run.started', ts: 'b' }]).length // 2
 */
export function allRunEvents(events: unknown): RunEvent[] {
  return Array.isArray(events) ? events.filter(isRunEvent) : [];
}

/**
 * A live page: events.jsonl may hold several runs of the feature: only the last (from its run.started) is shown.
 * @example currentRunEvents([{ type: 'run.started' }, { type: 'run.started', ts: 'b' }]) // [{ type: 'run.started', ts: 'b' }]
 */
export function currentRunEvents(events: unknown): RunEvent[] {
  const list = Array.isArray(events) ? events.filter(isRunEvent) : [];
  let start = 0;
  list.forEach((event, index) => { if (event.type === 'run.started') start = index; });
  return list.slice(start);
}

/** Identifies an event across /api/events and the socket, whatever order its fields came in. */
export function eventKey(event: RunEvent): string {
  const fields = event as Readonly<Record<string, unknown>>;
  return JSON.stringify(Object.keys(fields).sort().map((key) => [key, fields[key]]));
}
