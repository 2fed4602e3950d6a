// The run as its events describe it: everything the page shows about a run is
// recomputed from its first N events, so moving the replay slider backwards is
// as simple as forwards, and a live page and a replay of the same log agree.
// The events mean what they mean in the terminal UI: the page folds them with
// the live view's reducer (ui/run-view/runView.ts) into the same RunView.
// Pure: no DOM, no clock (callers pass "now").
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { outlinedRunView, reduceRunView } from '../../run-view/runView.js';
import type { RunView } from '../../run-view/runViewModel.js';
import type { StageKind } from '../../text/workflowOutline.js';

/** What a run looks like before any event: its stages, groups and the stages earlier sessions completed. */
export interface RunSetup {
  readonly stageOrder: readonly string[];
  /** Each parallel group's stages, by group id. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly completedBefore: readonly string[];
  /** Each stage's kind where the statechart tells (see stageKinds); any other is a work stage, the last one terminal. */
  readonly kinds?: Readonly<Record<string, StageKind>>;
}

/** The run after the first N events: the shared view, and how far the events have got. */
export interface PageRun {
  readonly view: RunView;
  /** Whether run.started is applied: before it the run has no status or clock of its own. */
  readonly started: boolean;
  /** Epoch ms of the last applied event; null before any. */
  readonly lastAt: number | null;
}

/**
 * The run after its first `count` events (all of them when count is left out).
 * @example deriveRun(setup, events, 0).started // false: nothing applied yet
 */
export function deriveRun(setup: RunSetup, events: readonly RunEvent[], count = events.length): PageRun {
  const applied = events.slice(0, Math.max(0, count));
  const view = applied.reduce(reduceAcrossSessions, initialView(setup));
  const lastAt = applied.map((event) => Date.parse(event.ts)).findLast(Number.isFinite) ?? null;
  return { view, started: applied.some((event) => event.type === 'run.started'), lastAt };
}

/**
 * The live view's reducer, over a log of several sessions: a run.started after
 * a session ended (resume) opens the run again, so the next session's events
 * read as a running run, not as more of a finished one.
 */
function reduceAcrossSessions(view: RunView, event: RunEvent): RunView {
  if (event.type !== 'run.started' || view.endedAt === undefined) return reduceRunView(view, event);
  const { endedAt: _endedAt, error: _error, ...reopened } = view;
  return reduceRunView({ ...reopened, status: 'running' }, event);
}

/** The view before any event; run.started sets when the run started. */
function initialView(setup: RunSetup): RunView {
  const last = setup.stageOrder.length - 1;
  const groupOf = new Map(Object.entries(setup.groups).flatMap(([group, stages]) => stages.map((stage) => [stage, group] as const)));
  const stages = setup.stageOrder.map((id, index) => ({
    id, name: id, work_agent: null, review_agent: null, optional: false, requires_acceptance_tests_passed: false,
    kind: setup.kinds?.[id] ?? (index === last ? 'terminal' as const : 'work' as const), group: groupOf.get(id) ?? null,
  }));
  const groups = Object.entries(setup.groups).map(([id, members]) => ({ id, stages: members, onFailure: 'let_finish' as const }));
  return outlinedRunView({
    title: '', feature: '', runner: '', startedAt: 0, elapsedBefore: 0, maxSeconds: 0,
    stages, groups, completed: setup.completedBefore,
  });
}

/** Whether run.completed is applied. */
export const isFinished = (run: PageRun): boolean => run.view.endedAt !== undefined;

/**
 * The status the page shows for the run after the applied events: what they
 * say, never what the run ended as later. A replay that has events is running
 * until its run.completed; with no events at all only the server's word is left.
 * @example runStatusAt(deriveRun(setup, events, 0), { mode: 'replay', serverStatus: 'complete', eventCount: 9 }) // 'running'
 */
export function runStatusAt(run: PageRun, context: {
  readonly mode: 'live' | 'replay';
  readonly serverStatus: string | null;
  readonly eventCount: number;
}): string {
  if (run.started) return run.view.status;
  if (context.mode === 'replay') return context.eventCount > 0 ? 'running' : context.serverStatus ?? 'no events';
  return context.serverStatus ?? 'waiting';
}

/**
 * Seconds the run has taken up to the applied events, or up to `now` (epoch
 * ms) while a live run runs; null before run.started.
 */
export function elapsedSeconds(run: PageRun, clock: { readonly live: boolean; readonly now: number }): number | null {
  if (!run.started) return null;
  const { view } = run;
  return view.elapsedBefore + Math.max(0, clockFor(run, clock) - view.startedAt) / 1000;
}

/** "Now" for a run's clocks: the wall clock while a live run runs, else the end of the run or its last applied event. */
export function clockFor(run: PageRun, { live, now }: { readonly live: boolean; readonly now: number }): number {
  if (run.view.endedAt !== undefined) return run.view.endedAt;
  return live ? now : run.lastAt ?? now;
}
