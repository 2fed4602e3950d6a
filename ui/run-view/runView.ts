import type { RunEvent, RunEventOf } from '../../machines/session/runEvents.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { OUTPUT_LINES_KEPT, type GroupView, type RunView, type StageView } from './runViewModel.js';
import { interruptedBy } from '../text/stageWords.js';
import { outlineWorkflow, type OutlineStage } from '../text/workflowOutline.js';
import { FINAL_RUN_STATUSES } from '../../loader/runStatuses.js';

export interface RunViewInput extends Pick<RunView, 'title' | 'feature' | 'runner' | 'startedAt' | 'elapsedBefore' | 'maxSeconds'> {
  readonly stages: StagesConfig;
  /** Stages completed before this session (resume). */
  readonly completed?: readonly string[];
}

/**
 * The view before any event: every stage of stage_order pending, except those
 * an earlier session completed, and every parallel group pending.
 *
 * @example initialRunView({ stages, title: 'Login', feature: 'login', runner: 'copilot', startedAt: Date.now(), elapsedBefore: 0, maxSeconds: 3600 })
 */
export function initialRunView(input: RunViewInput): RunView {
  const groups = Object.values(input.stages.parallel_groups).map((group) => ({
    id: group.id, stages: group.stages, onFailure: group.on_failure, ...(group.isolation === 'worktree' ? { isolated: true } : {}),
  }));
  return outlinedRunView({ ...input, stages: outlineWorkflow(input.stages), groups });
}

export interface OutlinedRunViewInput extends Omit<RunViewInput, 'stages'> {
  /** The stages in run order, as outlineWorkflow gives them (or as much as a view knows of them). */
  readonly stages: readonly OutlineStage[];
  readonly groups: readonly Pick<GroupView, 'id' | 'stages' | 'onFailure' | 'isolated'>[];
}

/**
 * The view before any event, from the workflow's outline: for a view that
 * knows the stages and groups but not the whole configuration (the inspector page).
 *
 * @example outlinedRunView({ stages: outlineWorkflow(config), groups: [], title: 'Login', feature: 'login', runner: '', startedAt: 0, elapsedBefore: 0, maxSeconds: 0 })
 */
export function outlinedRunView(input: OutlinedRunViewInput): RunView {
  const completed = new Set(input.completed ?? []);
  const stages = input.stages.map((stage): StageView => ({
    id: stage.id,
    name: stage.name,
    agent: stage.work_agent,
    reviewAgent: stage.review_agent,
    kind: stage.kind,
    group: stage.group,
    status: completed.has(stage.id) ? 'completed' : 'pending',
    ...(stage.max_iterations !== undefined ? { maxIterations: stage.max_iterations } : {}),
    ...(completed.has(stage.id) ? { completedEarlier: true } : {}),
  }));
  // A group all of whose stages an earlier session completed will not run (the machine passes it by in silence).
  const groups = input.groups.map((group): GroupView => ({
    id: group.id, stages: [...group.stages], onFailure: group.onFailure, ...(group.isolated ? { isolated: true } : {}),
    ...(group.stages.length > 0 && group.stages.every((stage) => completed.has(stage))
      ? { status: 'completed' as const, completedEarlier: true } : { status: 'pending' as const }),
  }));
  return {
    title: input.title, feature: input.feature, runner: input.runner,
    startedAt: input.startedAt, elapsedBefore: input.elapsedBefore, maxSeconds: input.maxSeconds,
    stages, groups, output: emptyOutput(stages), status: 'running',
  };
}

/**
 * The view after one more event; never changes `view`. Unknown events, stages
 * and groups leave it as it was, so older or newer logs still replay.
 *
 * @example events.reduce(reduceRunView, initialRunView(input))
 */
export function reduceRunView(view: RunView, event: RunEvent): RunView {
  const at = Date.parse(event.ts);
  switch (event.type) {
    case 'run.started':
      // The session's own word on when it started and what earlier sessions took.
      return {
        ...view, ...(Number.isFinite(at) ? { startedAt: at } : {}),
        ...(event.elapsed_seconds !== undefined ? { elapsedBefore: event.elapsed_seconds } : {}),
      };
    case 'stage.started':
      return startGroupOf(updateStage(view, event.stage, (current) => {
        const { endedAt: _endedAt, durationMs: _durationMs, error: _error, resumed: _resumed, ...rest } = current;
        const counted = current.kind === 'review' || current.kind === 'acceptance_test';
        return {
          ...rest, status: 'running', startedAt: current.startedAt ?? at, role: event.role, runningAgent: event.agent,
          ...(event.resumed === true ? { resumed: true } : {}), ...(counted ? { iteration: event.iteration } : {}),
        };
      }), event.stage, at);
    case 'stage.completed':
      return updateStage(view, event.stage, (current) => ({ ...ended(current, at, event.duration_ms), status: 'completed' }));
    case 'stage.failed':
      return updateStage(view, event.stage, (current) => ({ ...ended(current, at), status: 'failed', error: event.error }));
    case 'stage.aborted':
      return updateStage(view, event.stage, (current) => ({ ...ended(current, at), status: 'aborted' }));
    case 'stage.skipped':
      return updateStage(view, event.stage, (current) => ({ ...current, status: 'skipped' }));
    case 'stage.output':
      return appendOutput(view, event.stage, event.line);
    case 'review.iteration':
      // A rejection sends the work back (the next iteration starts at once).
      return updateStage(view, event.stage, (current) => ({
        ...current, iteration: event.iteration, maxIterations: event.max, lastVerdict: event.verdict,
        ...(event.verdict === 'rejected' && current.status === 'running' ? { role: 'work' as const } : {}),
      }));
    case 'acceptance.iteration':
      // A failed round is followed by a fix (the log says nothing when the next run starts).
      return updateStage(view, event.stage, (current) => ({
        ...current, iteration: event.iteration, acceptance: { passed: event.passed, failed: event.failed, total: event.total },
        ...(event.failed > 0 && current.status === 'running' ? { role: 'fix' as const } : {}),
      }));
    case 'stage.merged':
      return updateStage(view, event.stage, (current) => ({ ...current, mergedFiles: event.files }));
    case 'group.started':
      // `remaining` (a resume) needs nothing here: the stages completed earlier already show it.
      return updateGroup(view, event.group, (group) => runningGroup(group, at));
    case 'group.completed':
    case 'group.failed':
      return updateGroup(view, event.group, (group) => ({
        ...group, status: event.type === 'group.completed' ? 'completed' : 'failed', endedAt: at,
      }));
    case 'run.completed':
      return completeRun(view, event, at);
    default:
      // Types a newer teambot logs: nothing to show.
      return view;
  }
}

/** The user asked to stop: shown until run.completed says how the run ended. */
export function markCancelling(view: RunView): RunView {
  return view.status === 'running' ? { ...view, status: 'cancelling' } : view;
}

/** While cancelling: how many agents are still being stopped (the user may want to kill them at once). */
export function markStoppingAgents(view: RunView, count: number): RunView {
  return view.status === 'cancelling' && view.stoppingAgents !== count ? { ...view, stoppingAgents: count } : view;
}

/** What a cancelling run is waiting for, in the words the live view and the plain output share. */
export function stoppingAgentsText(count: number): string {
  return count > 0 ? `stopping ${count} agent${count === 1 ? '' : 's'}… (Ctrl+C again to kill)` : 'saving state…';
}


/**
 * Ends the run. A stopped session emits no events for the stages it
 * interrupts, so they end here: failed when the run names them (a review that
 * was never approved), otherwise aborted; the terminal stage completes with
 * the run.
 */
function completeRun(view: RunView, event: RunEventOf<'run.completed'>, at: number): RunView {
  const status = FINAL_RUN_STATUSES.find((known) => known === event.status) ?? 'error';
  const failed = event.failed ?? [];
  const { error } = event;
  const stages = view.stages.map((stage): StageView => {
    if (stage.status === 'running' && failed.includes(stage.id)) {
      return { ...ended(stage, at), status: 'failed', error: error ?? status };
    }
    if (stage.status === 'running') return { ...ended(stage, at), status: 'aborted', interrupted: true, error: interruptedBy(status) };
    if (stage.kind === 'terminal' && status === 'complete' && stage.status === 'pending') return { ...stage, status: 'completed' };
    return stage;
  });
  const groups = view.groups.map((group): GroupView =>
    group.status === 'running' ? { ...group, status: 'failed', interrupted: true, endedAt: at } : group);
  return { ...view, stages, groups, status, endedAt: at, ...(error !== undefined ? { error } : {}) };
}

/** The stage's end: time and duration since its first start in this session. */
function ended(stage: StageView, at: number, durationMs?: number): StageView {
  const measured = durationMs ?? (stage.startedAt !== undefined ? at - stage.startedAt : undefined);
  return { ...stage, endedAt: at, ...(measured !== undefined ? { durationMs: measured } : {}) };
}

/** A group that starts (again): running, timed from its first start in this session. */
function runningGroup(group: GroupView, at: number): GroupView {
  const { endedAt: _endedAt, completedEarlier: _earlier, interrupted: _interrupted, ...rest } = group;
  return { ...rest, status: 'running', startedAt: group.startedAt ?? at };
}

/**
 * A stage of a group that has not started is running, so its group is: a
 * restored snapshot restarts a group's stages without entering the group again,
 * so no group.started comes.
 */
function startGroupOf(view: RunView, stageId: string, at: number): RunView {
  const group = view.stages[positionOf(view, stageId)]?.group;
  if (group === null || group === undefined) return view;
  return updateGroup(view, group, (current) => (current.status === 'pending' ? runningGroup(current, at) : current));
}

function updateStage(view: RunView, id: string, update: (stage: StageView) => StageView): RunView {
  const index = positionOf(view, id);
  if (index < 0) return view;
  const stages = view.stages.slice();
  stages[index] = update(view.stages[index]!);
  return { ...view, stages };
}

function updateGroup(view: RunView, id: string, update: (group: GroupView) => GroupView): RunView {
  const index = view.groups.findIndex((group) => group.id === id);
  if (index < 0) return view;
  const groups = view.groups.slice();
  groups[index] = update(view.groups[index]!);
  return { ...view, groups };
}

// ---------------------------------------------------------------------------
// Output tails. Agents can print 10,000 lines a second, so a line must not
// copy the stage's whole tail, nor a record of every stage's tails. Each tail
// is a window [start, end) on a buffer that successive views share and only
// ever append to: a view's window never changes, however many lines later
// views add. A buffer is copied when a view that is not the latest gets a line
// (copy-on-write) and when it holds OUTPUT_LINES_KEPT + TRIM_EVERY lines
// (chunked trimming), so a line costs O(1) amortized. The tails are an array in
// the stages' order (copying it is a block copy; copying a record keyed by a
// thousand stage ids was not), and the arrays the view shows are sliced on first read.
// ---------------------------------------------------------------------------

interface OutputTail {
  readonly buffer: string[];
  readonly start: number;
  readonly end: number;
}

interface OutputTails {
  /** Stage id → its position in the view's stages, which never change order. */
  readonly index: ReadonlyMap<string, number>;
  readonly tails: readonly (OutputTail | undefined)[];
}

const TRIM_EVERY = OUTPUT_LINES_KEPT;
/** How a record hands its tails to the next view (a key only the proxy answers). */
const TAILS = Symbol('outputTails');

/** Where stage `id` is in the view's stages (-1: not there), without a search when the view knows. */
function positionOf(view: RunView, id: string): number {
  const known = (view.output as { [TAILS]?: OutputTails })[TAILS]?.index.get(id);
  return known ?? view.stages.findIndex((stage) => stage.id === id);
}

function appendOutput(view: RunView, stage: string, line: string): RunView {
  const { index, tails } = tailsOf(view);
  const at = index.get(stage);
  if (at === undefined) return view;
  const nextTails = tails.slice();
  nextTails[at] = appendLine(tails[at], line);
  const stages = view.stages.slice();
  stages[at] = { ...view.stages[at]!, lastLine: line };
  return { ...view, stages, output: outputRecord({ index, tails: nextTails }) };
}

function appendLine(tail: OutputTail | undefined, line: string): OutputTail {
  if (tail === undefined) return { buffer: [line], start: 0, end: 1 };
  let { buffer, start, end } = tail;
  const appendedByAnotherView = buffer.length !== end;
  if (appendedByAnotherView || end >= OUTPUT_LINES_KEPT + TRIM_EVERY) {
    buffer = buffer.slice(Math.max(start, end - OUTPUT_LINES_KEPT + 1), end);
    start = 0;
    end = buffer.length;
  }
  buffer.push(line);
  end += 1;
  return { buffer, start: Math.max(start, end - OUTPUT_LINES_KEPT), end };
}

/** No output yet, for a view of these stages. */
function emptyOutput(stages: readonly Pick<StageView, 'id'>[]): RunView['output'] {
  return outputRecord({ index: new Map(stages.map((stage, position) => [stage.id, position])), tails: [] });
}

/**
 * A read-only record of each stage's kept lines, sliced from its tail when
 * first read. A proxy, so a line costs the same however many stages printed.
 */
function outputRecord(payload: OutputTails): RunView['output'] {
  const { index, tails } = payload;
  let shown: Map<string, readonly string[]> | undefined;
  const tailOf = (stage: string | symbol) => (typeof stage === 'string' && index.has(stage) ? tails[index.get(stage)!] : undefined);
  const linesOf = (stage: string | symbol): readonly string[] | undefined => {
    const tail = tailOf(stage);
    if (tail === undefined) return undefined;
    shown ??= new Map();
    let lines = shown.get(stage as string);
    if (lines === undefined) shown.set(stage as string, lines = Object.freeze(tail.buffer.slice(tail.start, tail.end)));
    return lines;
  };
  return new Proxy({}, {
    get: (target, key) => (key === TAILS ? payload : linesOf(key) ?? Reflect.get(target, key)),
    has: (target, key) => tailOf(key) !== undefined || Reflect.has(target, key),
    ownKeys: () => [...index.keys()].filter((stage) => tailOf(stage) !== undefined),
    getOwnPropertyDescriptor: (_target, key) => {
      const lines = linesOf(key);
      return lines === undefined ? undefined : { value: lines, writable: false, enumerable: true, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  }) as RunView['output'];
}

/** The tails behind a view's output; a record built elsewhere (a view read from JSON) is adopted. */
function tailsOf(view: RunView): OutputTails {
  const known = (view.output as { [TAILS]?: OutputTails })[TAILS];
  if (known) return known;
  const index = new Map(view.stages.map((stage, position) => [stage.id, position]));
  const tails: (OutputTail | undefined)[] = [];
  for (const [stage, lines] of Object.entries(view.output)) {
    const position = index.get(stage);
    if (position === undefined) continue;
    const buffer = lines.slice(-OUTPUT_LINES_KEPT);
    tails[position] = { buffer, start: 0, end: buffer.length };
  }
  return { index, tails };
}
