// Tiny statecharts and event logs for the inspector page's pure modules.
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { GraphNode, GraphTransition } from '../../../ui/inspector/page/model.js';

/** A state: `id` is its full id, its key the last part. */
export function state(id: string, type: string, children: GraphNode[] = [], transitions: GraphTransition[] = [], extra: Partial<GraphNode> = {}): GraphNode {
  return { id, key: id.slice(id.lastIndexOf('.') + 1), type, invokes: [], transitions, children, ...extra };
}

const on = (event: string, target: string, label?: string): GraphTransition => ({ event, target: [target], ...(label ? { label } : {}) });

/** A review loop stage: check → work ⇄ review → done. */
function reviewStage(id: string): GraphNode {
  return state(id, 'compound', [
    state(`${id}.check`, 'atomic', [], [on('go', `${id}.work`)]),
    state(`${id}.work`, 'atomic', [], [on('xstate.done.actor.work', `${id}.review`, 'worked')], { invokes: ['work'] }),
    state(`${id}.review`, 'atomic', [], [on('approved', `${id}.done`), on('rejected', `${id}.work`)], { invokes: ['review'] }),
    state(`${id}.done`, 'final'),
  ], [on('error', 'teambot.halted', 'error')], { initial: 'check' });
}

/** A plain stage: check → running → done. */
function workStage(id: string): GraphNode {
  return state(id, 'compound', [
    state(`${id}.check`, 'atomic', [], [on('go', `${id}.running`)]),
    state(`${id}.running`, 'atomic', [], [on('done', `${id}.done`)], { invokes: ['work'] }),
    state(`${id}.done`, 'final'),
  ], [], { initial: 'check' });
}

const GROUP = 'teambot.PARALLEL_GROUP:post_spec_review';

/** SPEC, a parallel group of RESEARCH ‖ TEST_STRATEGY, POST_REVIEW (a review loop), then COMPLETE, or halted. */
export const graph: GraphNode = state('teambot', 'compound', [
  workStage('teambot.SPEC'),
  state(GROUP, 'parallel', [workStage(`${GROUP}.RESEARCH`), workStage(`${GROUP}.TEST_STRATEGY`)]),
  reviewStage('teambot.POST_REVIEW'),
  state('teambot.COMPLETE', 'final'),
  state('teambot.halted', 'final'),
]);

export const stageOrder = ['SPEC', 'RESEARCH', 'TEST_STRATEGY', 'POST_REVIEW', 'COMPLETE'];
export const groupStage = (stage: string) => `${GROUP}.${stage}`;

/** A line of events.jsonl as the page may find it: a type, and fields that may not be what the type promises. */
export type LooseEvent = { readonly type: string; readonly [field: string]: unknown };

/** Takes a loose line as the page does: on trust. */
export const loose = (event: LooseEvent): RunEvent => event as unknown as RunEvent;

/** A log whose events are a second apart, from 2026-01-01T00:00:00Z. */
export function log(...bodies: LooseEvent[]): RunEvent[] {
  return bodies.map((body, index) => loose({ ts: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(), ...body }));
}

/** A whole run: SPEC, the group, POST_REVIEW rejected once then approved, complete. */
export const completeRun = log(
  { type: 'run.started', feature: 'dark-mode', stages: 5, runner: 'simulated' },
  { type: 'stage.started', stage: 'SPEC', agent: 'pm', role: 'work', iteration: 1 },
  { type: 'stage.completed', stage: 'SPEC', duration_ms: 900 },
  { type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] },
  { type: 'stage.started', stage: 'RESEARCH', agent: 'ba', role: 'work', iteration: 1 },
  { type: 'stage.started', stage: 'TEST_STRATEGY', agent: 'qa', role: 'work', iteration: 1 },
  { type: 'stage.completed', stage: 'RESEARCH', duration_ms: 1500 },
  { type: 'stage.completed', stage: 'TEST_STRATEGY', duration_ms: 1800 },
  { type: 'group.completed', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] },
  { type: 'stage.started', stage: 'POST_REVIEW', agent: 'builder', role: 'work', iteration: 1 },
  { type: 'stage.started', stage: 'POST_REVIEW', agent: 'reviewer', role: 'review', iteration: 1 },
  { type: 'review.iteration', stage: 'POST_REVIEW', iteration: 1, max: 3, verdict: 'rejected', feedback: 'tests missing\nand more' },
  { type: 'stage.started', stage: 'POST_REVIEW', agent: 'reviewer', role: 'review', iteration: 2 },
  { type: 'review.iteration', stage: 'POST_REVIEW', iteration: 2, max: 3, verdict: 'approved' },
  { type: 'stage.completed', stage: 'POST_REVIEW', duration_ms: 4000 },
  { type: 'run.completed', status: 'complete', duration_ms: 15_000, elapsed_seconds: 15 },
);
