import type { StageDefinition } from '../../../loader/stagesSchema.js';
import type { AgentRole } from '../../runners/agentRunner.js';
import {
  HALTED,
  action,
  guard,
  type StageAgentErrorTransitionConfig,
  type StageAgentInvokeConfig,
  type StateConfig,
  type StatesConfig,
  type TransitionConfig,
} from './stateConfig.js';

/**
 * The entry checks every stage state starts with: a stage already completed (by
 * an earlier run or a migrated TeamBot state file) is passed through, a skipped
 * optional stage is recorded as skipped, and a stage that requires passed
 * acceptance tests refuses to start without them.
 */
export function stageEntryChecks(stage: StageDefinition, start: TransitionConfig): TransitionConfig[] {
  const params = { stage: stage.id };
  const checks: TransitionConfig[] = [
    { guard: guard('stageCompleted', params), target: 'done' },
    { guard: guard('stageSkipped', params), target: 'done', actions: [action('markSkipped', params), action('emitSkipped', params)] },
  ];
  if (stage.requires_acceptance_tests_passed) {
    checks.push({
      guard: 'acceptanceNotPassed',
      target: HALTED,
      actions: action('stopRun', {
        status: 'acceptance_test_failed',
        stages: [stage.id],
        reason: `${stage.id} requires passed acceptance tests, and they have not passed`,
      }),
    });
  }
  checks.push(start);
  return checks;
}

/**
 * Invokes the stage agent once for a role; the caller decides what done and error lead to.
 * The input is JSON (it is persisted with the snapshot): the review gets the work under
 * review, and a work call after a rejection gets its previous attempt with the feedback.
 */
export function invokeAgent(
  stage: StageDefinition,
  role: AgentRole,
  iterationFrom: 'stage' | 'first' = 'first',
  isolatedIn?: string,
): Pick<StageAgentInvokeConfig, 'src' | 'input'> {
  return {
    src: 'stageAgent',
    input: ({ context }) => {
      const record = context.stages[stage.id];
      const iteration = iterationFrom === 'stage' ? record?.iteration ?? 1 : 1;
      const revising = role === 'work' && iteration > 1 && record?.workOutput !== undefined;
      const worktree = isolatedIn === undefined ? undefined : context.worktrees?.[isolatedIn]?.regions[stage.id]?.path;
      return {
        stage: stage.id,
        role,
        iteration,
        ...(worktree !== undefined ? { cwd: worktree } : {}),
        ...(record?.feedback ? { feedback: record.feedback } : {}),
        ...(record?.workOutput !== undefined && role !== 'work' ? { workOutput: record.workOutput } : {}),
        ...(revising ? { previousAttempt: record.workOutput } : {}),
      };
    },
  };
}

/** What every stage does when its agent fails: record it, say it, stop the run naming the stage. */
export function failStage(stageId: string): StageAgentErrorTransitionConfig {
  const params = { stage: stageId };
  return {
    target: HALTED,
    actions: [action('markFailed', params), action('emitFailed', params), action('stopRunWithStageError', params)],
  };
}

/**
 * The transition out of `check` that starts a stage: mark it running, say who started.
 * With `when` (a group's free slot), the stage waits in `check`, still pending, until it holds.
 */
export function startStage(stage: StageDefinition, target: string, role: 'work' | 'acceptance', when?: TransitionConfig['guard']): TransitionConfig {
  const params = { stage: stage.id };
  return {
    ...(when === undefined ? {} : { guard: when }),
    target,
    actions: [
      action('markRunning', { ...params, iteration: 1 }),
      action('emitStarted', { ...params, agent: stage.work_agent, role, iteration: 1 }),
    ],
  };
}

/**
 * The states of a stage whose agent is called once: check → running → done.
 * A plain work stage and a parallel group's region differ only in what an
 * error leads to and in the states they add.
 */
export function singleCallStates(
  stage: StageDefinition,
  onError: StageAgentErrorTransitionConfig,
  region: {
    /** What `running` adds (a group's abort). */
    readonly running?: StateConfig;
    /** When the stage may start (a group's free slot). */
    readonly startWhen?: TransitionConfig['guard'];
    /** The isolated group whose worktree the agent works in. */
    readonly isolatedIn?: string;
  } = {},
): StatesConfig {
  const params = { stage: stage.id };
  return {
    check: { always: stageEntryChecks(stage, startStage(stage, 'running', 'work', region.startWhen)) },
    running: {
      invoke: {
        ...invokeAgent(stage, 'work', 'first', region.isolatedIn),
        onDone: { target: 'done', actions: [action('storeOutput', params), action('emitCompleted', params)] },
        onError,
      },
      ...region.running,
    },
    done: { type: 'final' },
  };
}
