import type { StageDefinition, StagesConfig } from '../../loader/stagesSchema.js';
import { acceptanceStageState } from './states/acceptanceStageState.js';
import { parallelGroupState } from './states/parallelGroupState.js';
import { reviewStageState } from './states/reviewStageState.js';
import { initialRunContext } from './runContext.js';
import type { StateConfig, StatesConfig } from './states/stateConfig.js';
import { terminalStageState, workStageState } from './states/workStageState.js';
import { createWorkflowSetup, type IsolationLogic, type StageAgentLogic } from './workflowSetup.js';
import { groupOfStage, groupStateKey } from '../../loader/parallelGroups.js';
import type { ParallelGroup } from '../../loader/stagesSchema.js';

export interface CompileOptions {
  /** Run each group's stages one after another instead of concurrently (for comparison). */
  readonly sequential?: boolean;
  /** The actor that runs a stage's agent; without it, a placeholder that fails (graphs, tests of the shape). */
  readonly stageAgent?: StageAgentLogic;
  /** Git worktrees for groups with `isolation: worktree` (machines/worktrees/isolationActor.ts); without it, a placeholder. */
  readonly isolation?: IsolationLogic;
}

/** One step of the backbone: a single stage, or a parallel group standing in for its stages. */
export type BackboneStep =
  | { readonly kind: 'stage'; readonly key: string; readonly stage: StageDefinition }
  | { readonly kind: 'group'; readonly key: string; readonly groupId: string; readonly stages: readonly StageDefinition[] };

/**
 * The backbone in run order: stage_order with each parallel group folded into
 * one step at the position of its first stage (groups are contiguous, the
 * loader checks that).
 */
export function backboneSteps(config: StagesConfig, options: CompileOptions = {}): BackboneStep[] {
  // --sequential: no groups, their stages follow one another.
  const groupOf = options.sequential ? new Map<string, ParallelGroup>() : groupOfStage(config);
  const steps: BackboneStep[] = [];
  for (const id of config.stage_order) {
    const groupId = groupOf.get(id)?.id;
    if (groupId === undefined) {
      steps.push({ kind: 'stage', key: id, stage: config.stages[id]! });
    } else if (!steps.some((step) => step.kind === 'group' && step.groupId === groupId)) {
      const members = config.stage_order.filter((stage) => groupOf.get(stage)?.id === groupId);
      steps.push({ kind: 'group', key: groupStateKey(groupId), groupId, stages: members.map((stage) => config.stages[stage]!) });
    }
  }
  return steps;
}

function stageState(stage: StageDefinition, isTerminal: boolean): StateConfig {
  if (isTerminal) return terminalStageState(stage);
  if (stage.is_review_stage) return reviewStageState(stage);
  if (stage.is_acceptance_test_stage) return acceptanceStageState(stage);
  return workStageState(stage);
}

/**
 * Compiles a validated stages.yaml into the workflow's XState machine. Pure and
 * deterministic: the same configuration gives the same machine. Without
 * `options.stageAgent` the stage actor is a placeholder.
 *
 * @example
 * const machine = compileWorkflow(config, { stageAgent });
 * const actor = createActor(machine, { input: {} });
 */
export function compileWorkflow(config: StagesConfig, options: CompileOptions = {}) {
  const steps = backboneSteps(config, options);
  const states: StatesConfig = {};
  steps.forEach((step, index) => {
    const next = steps[index + 1]?.key;
    if (step.kind === 'group') {
      states[step.key] = parallelGroupState(config.parallel_groups[step.groupId]!, step.stages, next ?? 'halted');
      return;
    }
    const state = stageState(step.stage, next === undefined);
    states[step.key] = next === undefined ? state : { ...state, onDone: next };
  });
  states.halted = {
    description: 'The run stopped before completing; context.status and context.error say why.',
    type: 'final',
  };

  return createWorkflowSetup(options.stageAgent, options.isolation).createMachine({
    id: 'teambot',
    description: `teambot workflow (${config.stage_order.length} stages)`,
    initial: steps[0]!.key,
    context: ({ input }) => initialRunContext(config.stage_order, input),
    states,
  });
}

export type WorkflowMachine = ReturnType<typeof compileWorkflow>;
