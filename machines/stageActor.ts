import { fromPromise } from 'xstate';
import type { Objective } from '../loader/objective.js';
import type { StagesConfig } from '../loader/stagesSchema.js';
import type { TeambotConfig } from '../loader/teambotConfigSchema.js';
import type { AgentRunner, AgentRunResult } from './agentRunner.js';
import { buildStagePrompt } from './stagePrompt.js';
import type { StageAgentInput } from './workflowSetup.js';

export interface StageActorDependencies {
  readonly runner: AgentRunner;
  readonly stages: StagesConfig;
  readonly team: TeambotConfig;
  readonly objective: Objective;
  /** The user's project root, where agents work. */
  readonly cwd: string;
  readonly artifactsDir: string;
  /** Every line an agent prints, tagged with its stage. */
  readonly onOutput: (stage: string, line: string) => void;
}

/**
 * The stage actor: builds the prompt for one agent call, runs it through the
 * injected runner and returns its output for the machine to store. Stopping the
 * actor aborts `signal`, which the runner turns into killing the agent.
 */
export function createStageActor(dependencies: StageActorDependencies) {
  const { runner, stages, team, objective, cwd, artifactsDir, onOutput } = dependencies;
  return fromPromise<AgentRunResult, StageAgentInput>(async ({ input, signal }) => {
    const stage = stages.stages[input.stage];
    if (!stage) throw new Error(`unknown stage ${input.stage}`);
    const agent = (input.role === 'review' ? stage.review_agent : stage.work_agent) ?? team.default_agent ?? 'pm';
    const model = team.agents.find((candidate) => candidate.id === agent)?.model ?? team.default_model;
    return runner.run({
      stage: stage.id,
      role: input.role,
      iteration: input.iteration,
      agent,
      model,
      prompt: buildStagePrompt({ stage, request: input, objective, artifactsDir }),
      cwd,
      artifactsDir,
      artifacts: producesArtifacts(input, stage.is_review_stage) ? stage.artifacts : [],
      signal,
      onOutput: (line) => onOutput(stage.id, line),
    });
  });
}

/** Which call writes the stage's artifacts: the review on review stages, never a fix round. */
function producesArtifacts(input: StageAgentInput, isReviewStage: boolean): boolean {
  if (input.role === 'fix') return false;
  return isReviewStage ? input.role === 'review' : true;
}
