import { assign, emit, enqueueActions, fromPromise, raise, setup } from 'xstate';
import type { AgentRole, AgentRunResult } from '../runners/agentRunner.js';
import { parseReviewVerdict } from './reviewVerdict.js';
import { withStage, type GroupWorktrees, type RunContext, type RunInput, type RunStatus } from './runContext.js';

/** What the stage actor is given; JSON, because it is persisted with the snapshot. */
export interface StageAgentInput {
  readonly stage: string;
  readonly role: AgentRole;
  readonly iteration: number;
  readonly feedback?: string;
  readonly workOutput?: string;
  /** Review stages, work calls after the first: the output of the attempt the reviewer rejected. */
  readonly previousAttempt?: string;
  /** A stage of an isolated group: its git worktree, where its agent works instead of the project. */
  readonly cwd?: string;
}

/** A file a stage's merge changed in the project. */
export interface MergedFile {
  readonly path: string;
  readonly change: 'added' | 'modified' | 'deleted' | 'mode';
}

/** What the isolation actor is asked to do for a group with `isolation: worktree`. JSON (persisted). */
export type IsolationInput =
  /** Snapshot the project (or keep `current`'s base) and make a fresh worktree for each stage of `fresh`, those to run. */
  | { readonly op: 'prepare'; readonly group: string; readonly stages: readonly string[]; readonly fresh: readonly string[]; readonly current?: GroupWorktrees }
  /** Commit the stage's worktree and merge it into the project (three-way; again, it changes nothing). */
  | { readonly op: 'merge'; readonly group: string; readonly stage: string; readonly worktrees: GroupWorktrees }
  /** Remove the group's worktrees and private refs. */
  | { readonly op: 'cleanup'; readonly group: string; readonly worktrees: GroupWorktrees };

/** prepare answers the group's worktrees; merge the files it changed; cleanup nothing. */
export type IsolationOutput = GroupWorktrees | { readonly files: readonly MergedFile[] } | null;

/** Domain events the machine emits; the session timestamps and logs them (events.jsonl). */
export type WorkflowEmitted =
  | { type: 'stage.started'; stage: string; agent: string | null; role: AgentRole; iteration: number }
  | { type: 'stage.completed'; stage: string }
  | { type: 'stage.failed'; stage: string; error: string }
  | { type: 'stage.skipped'; stage: string }
  | { type: 'stage.aborted'; stage: string }
  | { type: 'review.iteration'; stage: string; iteration: number; max: number; verdict: 'approved' | 'rejected'; feedback: string }
  /**
   * A group starts its stages. `remaining` only when a resume finds some of them
   * complete already: the ones that run now (absent: all of `stages`). A group
   * whose stages were all complete before it was entered emits nothing.
   */
  | { type: 'group.started'; group: string; stages: string[]; remaining?: string[] }
  | { type: 'group.completed'; group: string; stages: string[] }
  | { type: 'group.failed'; group: string; stages: string[]; failed: string[] }
  | { type: 'acceptance.iteration'; stage: string; iteration: number; passed: number; failed: number; total: number }
  /** An isolated group's stage: its worktree's changes are in the project now. */
  | { type: 'stage.merged'; stage: string; group: string; files: MergedFile[] };

export type WorkflowEvent = { type: 'GROUP.ABORT'; group: string };

interface StageParams { stage: string }
interface GroupParams { group: string; stages: readonly string[] }
interface DoneEvent { type: string; output?: AgentRunResult; error?: unknown }

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'the agent failed';
}

const outputOf = (event: DoneEvent): AgentRunResult => event.output ?? { output: '' };

/** The stage actor's logic: a promise of the agent's result, given the stage, role and iteration. */
export type StageAgentLogic = ReturnType<typeof fromPromise<AgentRunResult, StageAgentInput>>;

// Placeholder: a compiled machine cannot run agents until the session provides the real actor.
const placeholderStageAgent: StageAgentLogic = fromPromise<AgentRunResult, StageAgentInput>(async ({ input }) => {
  throw new Error(`no stage agent provided (stage ${input.stage})`);
});

/** The isolation actor's logic: git worktrees for a group's stages (machines/worktrees/). */
export type IsolationLogic = ReturnType<typeof fromPromise<IsolationOutput, IsolationInput>>;

// Placeholder: a compiled machine cannot touch git until the session provides the real actor.
const placeholderIsolation: IsolationLogic = fromPromise<IsolationOutput, IsolationInput>(async ({ input }) => {
  throw new Error(`no isolation provided (group ${input.group})`);
});

/**
 * The named pieces every compiled workflow is made of: the stage actor, guards
 * and actions, referenced by string from the generated states so that the
 * machine stays serializable. The session gives its stage actor here, so its
 * machine is built once (`machine.provide()` would build a second one, which
 * costs as much as the first: a state node per stage).
 */
export function createWorkflowSetup(stageAgent: StageAgentLogic = placeholderStageAgent, isolation: IsolationLogic = placeholderIsolation) {
  return setup({
    types: {
      context: {} as RunContext,
      input: {} as RunInput,
      events: {} as WorkflowEvent,
      emitted: {} as WorkflowEmitted,
    },
    actors: { stageAgent, isolation },
    guards: {
      stageCompleted: ({ context }, params: StageParams) => context.stages[params.stage]?.status === 'completed',
      stageSkipped: ({ context }, params: StageParams) => context.skip.includes(params.stage),
      /**
       * A group with max_concurrent: whether `stage` may start now. Every waiting region
       * checks in the same step against the same context, so each counts, besides the
       * running stages, the waiting ones before it in stage_order: together they take
       * exactly the free slots, first come first. In a fail_fast group a failure frees no
       * slot: the group is about to abort what waits.
       */
      groupSlotFree: ({ context }, params: StageParams & { stages: readonly string[]; max: number; failFast: boolean }) => {
        const statusOf = (id: string) => context.stages[id]?.status ?? 'pending';
        if (params.failFast && params.stages.some((id) => statusOf(id) === 'failed')) return false;
        const running = params.stages.filter((id) => statusOf(id) === 'running').length;
        const waitingAhead = params.stages.slice(0, params.stages.indexOf(params.stage)).filter((id) => statusOf(id) === 'pending').length;
        return running + waitingAhead < params.max;
      },
      acceptanceNotPassed: ({ context }) => !context.acceptance.passed,
      reviewApproved: ({ event }) => parseReviewVerdict(outputOf(event as DoneEvent).output).verdict === 'approved',
      iterationsLeft: ({ context }, params: StageParams & { max: number }) =>
        (context.stages[params.stage]?.iteration ?? 1) < params.max,
      acceptanceRunPassed: ({ event }) => {
        const result = outputOf(event as DoneEvent).acceptance;
        return result !== undefined && result.failed === 0 && result.total > 0;
      },
      stageMerged: ({ context }, params: StageParams & { group: string }) =>
        context.worktrees?.[params.group]?.merged.includes(params.stage) ?? false,
      groupSucceeded: ({ context }, params: { stages: readonly string[] }) =>
        params.stages.every((stage) => context.stages[stage]?.status === 'completed'),
    },
    actions: {
      markRunning: assign(({ context }, params: StageParams & { iteration?: number }) => ({
        stages: withStage(context, params.stage, {
          status: 'running', ...(params.iteration !== undefined ? { iteration: params.iteration } : {}),
        }),
      })),
      emitStarted: emit((_, params: StageParams & { agent: string | null; role: AgentRole; iteration: number }) => ({
        type: 'stage.started' as const, stage: params.stage, agent: params.agent, role: params.role, iteration: params.iteration,
      })),
      storeOutput: assign(({ context, event }, params: StageParams) => ({
        stages: withStage(context, params.stage, { status: 'completed', output: outputOf(event as DoneEvent).output }),
      })),
      emitCompleted: emit((_, params: StageParams) => ({ type: 'stage.completed' as const, stage: params.stage })),
      markFailed: assign(({ context, event }, params: StageParams) => ({
        stages: withStage(context, params.stage, { status: 'failed', error: errorMessage((event as DoneEvent).error) }),
      })),
      emitFailed: emit(({ event }, params: StageParams) => ({
        type: 'stage.failed' as const, stage: params.stage, error: errorMessage((event as DoneEvent).error),
      })),
      markSkipped: assign(({ context }, params: StageParams) => ({ stages: withStage(context, params.stage, { status: 'skipped' }) })),
      emitSkipped: emit((_, params: StageParams) => ({ type: 'stage.skipped' as const, stage: params.stage })),
      markAborted: assign(({ context }, params: StageParams) => ({ stages: withStage(context, params.stage, { status: 'aborted' }) })),
      emitAborted: emit((_, params: StageParams) => ({ type: 'stage.aborted' as const, stage: params.stage })),
      abortGroup: raise((_, params: { group: string }) => ({ type: 'GROUP.ABORT' as const, group: params.group })),

      /** Ends the run; the stage that caused it is named in `failedStages` and `error`. */
      stopRun: assign(({ context }, params: { status: RunStatus; stages: readonly string[]; reason: string }) => ({
        status: params.status,
        failedStages: [...context.failedStages, ...params.stages],
        error: params.reason,
      })),
      stopRunWithStageError: assign(({ context, event }, params: StageParams) => ({
        status: 'error' as const,
        failedStages: [params.stage],
        error: `${params.stage} failed: ${errorMessage((event as DoneEvent).error)}`,
      })),
      stopRunForGroup: assign(({ context }, params: GroupParams) => {
        const failed = params.stages.filter((stage) => context.stages[stage]?.status === 'failed');
        const reasons = failed.map((stage) => `${stage}: ${context.stages[stage]?.error ?? 'failed'}`);
        return {
          status: 'error' as const,
          failedStages: failed,
          error: `parallel group ${params.group} failed (${reasons.join('; ')})`,
        };
      }),
      completeRun: assign(({ context }, params: StageParams) => ({
        status: 'complete' as const,
        stages: withStage(context, params.stage, { status: 'completed' }),
      })),

      /**
       * Entering a group: say which of its stages run now. A group every stage of
       * which an earlier session completed is only noted (its region checks pass
       * straight through), so it says nothing, now or when it is done.
       */
      enterGroup: enqueueActions(({ context, enqueue }, params: GroupParams) => {
        const remaining = params.stages.filter((stage) => context.stages[stage]?.status !== 'completed');
        if (remaining.length === 0) {
          enqueue.assign({ groupsCompletedEarlier: [...(context.groupsCompletedEarlier ?? []), params.group] });
          return;
        }
        enqueue.emit({
          type: 'group.started', group: params.group, stages: [...params.stages],
          ...(remaining.length < params.stages.length ? { remaining } : {}),
        });
      }),
      emitGroupCompleted: enqueueActions(({ context, enqueue }, params: GroupParams) => {
        if (context.groupsCompletedEarlier?.includes(params.group)) return;
        enqueue.emit({ type: 'group.completed', group: params.group, stages: [...params.stages] });
      }),
      /** An isolated group's worktrees, as the isolation actor made (or kept) them. */
      storeWorktrees: assign(({ context, event }, params: { group: string }) => ({
        worktrees: { ...context.worktrees, [params.group]: (event as unknown as { output: GroupWorktrees }).output },
      })),
      /** A stage's changes are in the project: never merged again. */
      recordMerged: assign(({ context }, params: StageParams & { group: string }) => {
        const group = context.worktrees![params.group]!;
        return { worktrees: { ...context.worktrees, [params.group]: { ...group, merged: [...group.merged, params.stage] } } };
      }),
      emitMerged: emit(({ event }, params: StageParams & { group: string }) => ({
        type: 'stage.merged' as const, stage: params.stage, group: params.group,
        files: [...((event as unknown as { output?: { files?: MergedFile[] } }).output?.files ?? [])],
      })),
      /** Making the worktrees or merging a stage back failed (a conflict): the run stops, naming the stage. */
      stopRunForIsolation: assign(({ context, event }, params: { group: string; stage?: string }) => ({
        status: 'error' as const,
        failedStages: [...context.failedStages, ...(params.stage ? [params.stage] : [])],
        error: `parallel group ${params.group}: ${errorMessage((event as DoneEvent).error)}`,
      })),
      emitGroupFailed: emit(({ context }, params: GroupParams) => ({
        type: 'group.failed' as const, group: params.group, stages: [...params.stages],
        failed: params.stages.filter((stage) => context.stages[stage]?.status === 'failed'),
      })),

      recordReview: assign(({ context, event }, params: StageParams) => {
        const { output } = outputOf(event as DoneEvent);
        const { verdict, feedback } = parseReviewVerdict(output);
        return {
          stages: withStage(context, params.stage, verdict === 'approved'
            ? { status: 'completed', output }
            : { feedback }),
        };
      }),
      emitReviewIteration: emit(({ context, event }, params: StageParams & { max: number }) => {
        const { verdict, feedback } = parseReviewVerdict(outputOf(event as DoneEvent).output);
        return {
          type: 'review.iteration' as const, stage: params.stage,
          iteration: context.stages[params.stage]?.iteration ?? 1, max: params.max, verdict, feedback,
        };
      }),
      storeWorkOutput: assign(({ context, event }, params: StageParams) => ({
        stages: withStage(context, params.stage, { workOutput: outputOf(event as DoneEvent).output }),
      })),
      nextIteration: assign(({ context }, params: StageParams) => ({
        stages: withStage(context, params.stage, { iteration: (context.stages[params.stage]?.iteration ?? 1) + 1 }),
      })),

      recordAcceptance: assign(({ context, event }, params: StageParams) => {
        const { acceptance, output } = outputOf(event as DoneEvent);
        const result = acceptance ?? { passed: 0, failed: 0, total: 0 };
        const iteration = context.stages[params.stage]?.iteration ?? 1;
        const passed = result.failed === 0 && result.total > 0;
        return {
          acceptance: {
            passed,
            iterations: iteration,
            history: [...context.acceptance.history, { iteration, ...result }],
          },
          stages: withStage(context, params.stage, passed ? { status: 'completed', output } : { workOutput: output }),
        };
      }),
      emitAcceptanceIteration: emit(({ context, event }, params: StageParams) => {
        const result = outputOf(event as DoneEvent).acceptance ?? { passed: 0, failed: 0, total: 0 };
        return {
          type: 'acceptance.iteration' as const, stage: params.stage,
          iteration: context.stages[params.stage]?.iteration ?? 1,
          passed: result.passed, failed: result.failed, total: result.total,
        };
      }),
    },
  });
}

/** The pieces with the placeholder stage actor: what graphs and types are made from. */
export const workflowSetup = createWorkflowSetup();
