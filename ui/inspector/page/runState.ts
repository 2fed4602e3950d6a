// The run as its events describe it: everything the page shows about a run is
// recomputed from its first N events, so moving the replay slider backwards is
// as simple as forwards, and a live page and a replay of the same log agree.
// Pure: no DOM, no clock (callers pass "now").
import type { GroupState, PageEvent, RunState, StageState } from './model.js';

/** What a run looks like before any event: its stages, groups and the stages earlier sessions completed. */
export interface RunSetup {
  readonly stageOrder: readonly string[];
  readonly groups: readonly string[];
  readonly completedBefore: readonly string[];
}

/**
 * The run after its first `count` events (all of them when count is left out).
 * @example deriveRun(setup, events, 0).status // null: nothing applied yet
 */
export function deriveRun(setup: RunSetup, events: readonly PageEvent[], count = events.length): RunState {
  const view: RunState = {
    status: null, startedAt: null, elapsedBefore: 0, lastAt: null, finished: null,
    stages: new Map(), groups: new Map(),
  };
  const completedBefore = new Set(setup.completedBefore);
  for (const stage of setup.stageOrder) {
    view.stages.set(stage, { status: completedBefore.has(stage) ? 'completed' : 'pending', earlier: completedBefore.has(stage) });
  }
  for (const group of setup.groups) view.groups.set(group, { status: 'pending' });
  const terminal = setup.stageOrder[setup.stageOrder.length - 1];
  for (const event of events.slice(0, Math.max(0, count))) applyEvent(view, event, terminal);
  return view;
}

/**
 * Applies one event to the run in place; `terminalStage` completes with a complete run.
 * Unknown events and stage.output change nothing but the clock.
 */
export function applyEvent(view: RunState, event: PageEvent, terminalStage?: string): void {
  const at = Date.parse(event.ts ?? '');
  if (Number.isFinite(at)) view.lastAt = at;
  const stage = view.stages.get(event.stage ?? '');
  switch (event.type) {
    case 'run.started':
      view.status = 'running';
      view.startedAt = at;
      view.elapsedBefore = Number(event.elapsed_seconds) || 0;
      break;
    case 'stage.started':
      if (!stage) break;
      Object.assign(stage, {
        status: 'running', role: typeof event.role === 'string' ? event.role : 'work',
        agent: typeof event.agent === 'string' ? event.agent : null,
        startedAt: stage.startedAt ?? at, resumed: event.resumed === true,
        iteration: typeof event.iteration === 'number' ? event.iteration : stage.iteration,
        endedAt: undefined, durationMs: undefined, error: undefined,
      } satisfies Partial<StageState>);
      break;
    case 'stage.completed':
      if (stage) endStage(stage, 'completed', at, event.duration_ms);
      break;
    case 'stage.failed':
      if (stage) endStage(stage, 'failed', at, undefined, String(event.error ?? 'failed'));
      break;
    case 'stage.aborted':
      if (stage) endStage(stage, 'aborted', at);
      break;
    case 'stage.skipped':
      if (stage) stage.status = 'skipped';
      break;
    case 'review.iteration':
      if (stage) applyReview(stage, event);
      break;
    case 'acceptance.iteration':
      if (!stage) break;
      if (typeof event.iteration === 'number') stage.iteration = event.iteration;
      stage.acceptance = { passed: event.passed, failed: event.failed, total: event.total };
      // A failed round is followed by a fix (the log says nothing when the next run starts).
      if (Number(event.failed) > 0 && stage.status === 'running') stage.role = 'fix';
      break;
    case 'group.started':
      view.groups.set(String(event.group), { status: 'running', startedAt: at });
      break;
    case 'group.completed':
    case 'group.failed': {
      const group: GroupState = view.groups.get(String(event.group)) ?? { status: 'pending' };
      view.groups.set(String(event.group), {
        ...group, status: event.type === 'group.completed' ? 'completed' : 'failed', endedAt: at,
      });
      break;
    }
    case 'run.completed':
      completeRun(view, event, at, terminalStage);
      break;
    default:
      break;
  }
}

/** A review verdict; a rejection sends the work back (the next iteration starts at once). */
function applyReview(stage: StageState, event: PageEvent): void {
  if (typeof event.iteration === 'number') stage.iteration = event.iteration;
  if (typeof event.max === 'number') stage.max = event.max;
  if (event.verdict !== undefined) stage.verdict = String(event.verdict);
  if (event.verdict === 'rejected' && stage.status === 'running') {
    stage.role = 'work';
    if (typeof event.iteration === 'number' && event.iteration < Number(event.max)) stage.iteration = event.iteration + 1;
  }
}

/**
 * Ends a stage at `at` (epoch ms): its duration is the one the log gives, or
 * the time since it started.
 */
export function endStage(stage: StageState, status: string, at: number, durationMs?: unknown, error?: string): void {
  stage.status = status;
  stage.endedAt = at;
  stage.durationMs = durationMs !== undefined && Number.isFinite(Number(durationMs))
    ? Number(durationMs)
    : stage.startedAt !== undefined ? at - stage.startedAt : undefined;
  stage.error = error;
}

/**
 * Ends the run as the terminal UI does: a stopped session logs nothing for
 * the stages it interrupts, so they end here (failed when the run names them,
 * otherwise aborted), and the terminal stage completes with a complete run.
 */
export function completeRun(view: RunState, event: PageEvent, at: number, terminalStage?: string): void {
  view.finished = event;
  view.status = String(event.status ?? 'error');
  const failed = Array.isArray(event.failed) ? event.failed.map(String) : [];
  const error = typeof event.error === 'string' ? event.error : view.status;
  for (const [name, stage] of view.stages) {
    if (stage.status === 'running') endStage(stage, failed.includes(name) ? 'failed' : 'aborted', at, undefined, error);
  }
  const terminal = terminalStage === undefined ? undefined : view.stages.get(terminalStage);
  if (terminal && view.status === 'complete' && terminal.status === 'pending') terminal.status = 'completed';
  for (const group of view.groups.values()) {
    if (group.status === 'running') Object.assign(group, { status: 'failed', endedAt: at });
  }
}

/**
 * The status the page shows for the run after the applied events: what they
 * say, never what the run ended as later. A replay that has events is running
 * until its run.completed; with no events at all only the server's word is left.
 * @example runStatusAt(deriveRun(setup, events, 0), { mode: 'replay', serverStatus: 'complete', eventCount: 9 }) // 'running'
 */
export function runStatusAt(view: RunState, context: {
  readonly mode: 'live' | 'replay';
  readonly serverStatus: string | null;
  readonly eventCount: number;
}): string {
  if (view.status !== null) return view.status;
  if (context.mode === 'replay') return context.eventCount > 0 ? 'running' : context.serverStatus ?? 'no events';
  return context.serverStatus ?? 'waiting';
}

/**
 * Seconds the run has taken up to the applied events, or up to `now` (epoch
 * ms) while a live run runs; null before run.started.
 */
export function elapsedSeconds(view: RunState, { live, now }: { readonly live: boolean; readonly now: number }): number | null {
  if (view.startedAt === null) return null;
  if (view.finished && Number.isFinite(Number(view.finished.elapsed_seconds))) return Number(view.finished.elapsed_seconds);
  const until = live && !view.finished ? now : view.lastAt ?? view.startedAt;
  return view.elapsedBefore + Math.max(0, until - view.startedAt) / 1000;
}

/** "Now" for a run's clocks: the wall clock while a live run runs, else the last applied event. */
export function clockFor(view: RunState, { live, now }: { readonly live: boolean; readonly now: number }): number {
  return live && !view.finished ? now : view.lastAt ?? now;
}
