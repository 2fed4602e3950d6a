import type { RunStatus } from '../workflow/runContext.js';
import type { WorkflowEmitted } from '../workflow/workflowSetup.js';

type Emitted<Type extends WorkflowEmitted['type']> = Extract<WorkflowEmitted, { type: Type }>;

/** What the session says besides the machine: the run's bounds and the agents' output. */
type SessionEventBody =
  | {
    type: 'run.started'; feature: string; objective: string; runner: string; stages: number; sequential: boolean;
    /** A resumed run, and the time earlier sessions took. */
    resumed?: boolean; elapsed_seconds?: number;
  }
  | { type: 'run.completed'; status: RunStatus; duration_ms: number; elapsed_seconds: number; error?: string; failed?: string[] }
  | { type: 'stage.output'; stage: string; line: string };

/**
 * An event as the session records it, before its time stamp: the machine's
 * domain events (a stage's or group's start says whether a resume restarted
 * it, a stage's completion carries the measured duration) and the session's own.
 * Fields are only ever added, optional, so older logs still read.
 */
export type RunEventBody =
  | Exclude<WorkflowEmitted, { type: 'stage.started' | 'stage.completed' | 'group.started' }>
  | (Emitted<'stage.started'> & { resumed?: boolean })
  /** `resumed`: a restored snapshot restarts the group's stages (machines/workflow/restartedGroups.ts). */
  | (Emitted<'group.started'> & { resumed?: boolean })
  | (Emitted<'stage.completed'> & { duration_ms: number })
  | SessionEventBody;

/**
 * One line of `.teambot/<feature>/events.jsonl`: its ISO time, its type, and
 * the type's fields. The one language of a run: the event log, the live view,
 * the plain reporter, the summary and the inspector all read these.
 *
 * @example { ts: '2026-01-01T00:00:00.000Z', type: 'stage.completed', stage: 'SPEC', duration_ms: 1200 }
 */
export type RunEvent = RunEventBody & { readonly ts: string };

export type RunEventType = RunEvent['type'];

/** The event of one type, e.g. `RunEventOf<'run.completed'>`. */
export type RunEventOf<Type extends RunEventType> = Extract<RunEvent, { type: Type }>;

/** The stage an event is about, if it is about one. */
export function stageOf(event: RunEvent): string | undefined {
  return 'stage' in event ? event.stage : undefined;
}

/** Time-stamps an event body. */
export function stamped(body: RunEventBody, at: Date): RunEvent {
  return { ts: at.toISOString(), ...body };
}
