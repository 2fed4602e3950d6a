import type { ParallelGroup, StageDefinition } from '../../../loader/stagesSchema.js';
import { HALTED, action, guard, type ActionRef, type StateConfig } from './stateConfig.js';
import { singleCallStates } from './stageStateParts.js';

/**
 * ParallelStageExecutor — stage-level concurrency (the seed's name for it),
 * separate from any agent-level parallelism: a parallel group becomes an XState
 * parallel state with one region per stage, each region invoking that stage's
 * agent, so the stages run at the same time.
 *
 * A region is: already completed? → done; else running → done | failed (both
 * final). A failure never cancels the siblings (`let_finish`), unless the group
 * says `fail_fast`, which aborts the regions still running. When every region is
 * final the group either moves on to `next` (all completed) or stops the run
 * with status `error` naming the failed stages; completed siblings keep their
 * outputs, so a resume re-runs only what did not complete. A resumed group
 * says which stages it runs (`remaining`); one whose stages were all complete
 * already passes through without a word (enterGroup). With `max_concurrent`,
 * at most that many regions run at once; the others wait, pending, in
 * stage_order.
 */
export function parallelGroupState(
  group: ParallelGroup,
  stages: readonly StageDefinition[],
  next: string,
): StateConfig {
  const groupParams = { group: group.id, stages: stages.map((stage) => stage.id) };
  const isolated = group.isolation === 'worktree';
  const failed = { target: HALTED, actions: [action('emitGroupFailed', groupParams), action('stopRunForGroup', groupParams)] };
  const regions: StateConfig = {
    type: 'parallel',
    states: Object.fromEntries(stages.map((stage) => [stage.id, regionState(stage, group, groupParams.stages, isolated)])),
  };
  const description = `Parallel group ${group.id}: ${groupParams.stages.join(' ‖ ')} (${group.on_failure}${isolated ? ', in git worktrees' : ''})`;
  if (!isolated) {
    return {
      ...regions, description, entry: action('enterGroup', groupParams),
      onDone: [{ guard: guard('groupSucceeded', groupParams), target: next, actions: action('emitGroupCompleted', groupParams) }, failed],
    };
  }
  return {
    description,
    entry: action('enterGroup', groupParams),
    initial: 'prepare',
    states: {
      // The project as it is now becomes the base of a worktree per stage (kept from an earlier session when there).
      prepare: {
        invoke: {
          src: 'isolation',
          input: ({ context }) => ({
            op: 'prepare', group: group.id, stages: groupParams.stages,
            fresh: groupParams.stages.filter((stage) => context.stages[stage]?.status !== 'completed'),
            ...(context.worktrees?.[group.id] ? { current: context.worktrees[group.id] } : {}),
          }),
          onDone: { target: 'stages', actions: action('storeWorktrees', { group: group.id }) },
          onError: { target: HALTED, actions: action('stopRunForIsolation', { group: group.id }) },
        },
      },
      stages: { ...regions, onDone: [{ guard: guard('groupSucceeded', groupParams), target: 'merge' }, failed] },
      // Each stage's changes into the project, in stage_order; one already merged is passed by.
      merge: {
        initial: groupParams.stages[0]!,
        states: {
          ...Object.fromEntries(groupParams.stages.map((stage, index) => [stage, mergeState(group.id, stage, groupParams.stages[index + 1] ?? 'merged')])),
          merged: { type: 'final' },
        },
        onDone: 'cleanup',
      },
      // The worktrees and private refs go; a failure to remove them costs disk space, never the run.
      cleanup: {
        invoke: {
          src: 'isolation',
          input: ({ context }) => ({ op: 'cleanup', group: group.id, worktrees: context.worktrees![group.id]! }),
          onDone: 'done',
          onError: 'done',
        },
      },
      done: { type: 'final' },
    },
    onDone: { target: next, actions: action('emitGroupCompleted', groupParams) },
  };
}

/** Merging one stage's worktree into the project: check (merged already?) → merging → on to `next` (a sibling, or `merged`). */
function mergeState(group: string, stage: string, next: string): StateConfig {
  const params = { group, stage };
  return {
    initial: 'check',
    states: {
      check: { always: [{ guard: guard('stageMerged', params), target: 'done' }, { target: 'merging' }] },
      merging: {
        invoke: {
          src: 'isolation',
          input: ({ context }) => ({ op: 'merge', group, stage, worktrees: context.worktrees![group]! }),
          onDone: { target: 'done', actions: [action('recordMerged', params), action('emitMerged', params)] },
          onError: { target: HALTED, actions: action('stopRunForIsolation', params) },
        },
      },
      done: { type: 'final' },
    },
    onDone: next,
  };
}

function regionState(stage: StageDefinition, group: ParallelGroup, members: readonly string[], isolated: boolean): StateConfig {
  const params = { stage: stage.id };
  // max_concurrent below the group's width: a region waits in `check`, pending, for a free slot.
  const startWhen = group.max_concurrent !== undefined && group.max_concurrent < members.length
    ? guard('groupSlotFree', { ...params, stages: members, max: group.max_concurrent, failFast: group.on_failure === 'fail_fast' })
    : undefined;
  const failed: ActionRef[] = [action('markFailed', params), action('emitFailed', params)];
  if (group.on_failure === 'fail_fast') failed.push(action('abortGroup', { group: group.id }));
  // Only fail_fast groups raise GROUP.ABORT: leaving `running` stops the invoked agent, and a
  // region still waiting for a slot in `check` never starts.
  const abort = { on: { 'GROUP.ABORT': { target: 'aborted', actions: [action('markAborted', params), action('emitAborted', params)] } } };
  const { check, ...rest } = singleCallStates(stage, { target: 'failed', actions: failed }, {
    running: abort, startWhen, ...(isolated ? { isolatedIn: group.id } : {}),
  });
  return {
    description: stage.description || `${stage.name}: ${stage.work_agent}`,
    initial: 'check',
    states: {
      check: startWhen === undefined ? check! : { ...check!, ...abort },
      // A failed region ends as `failed`, so its siblings go on; the group decides afterwards.
      ...rest,
      failed: { type: 'final' },
      aborted: { type: 'final' },
    },
  };
}
