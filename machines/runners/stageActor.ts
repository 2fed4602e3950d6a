import { lstatSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fromPromise } from 'xstate';
import { promptTemplatePath } from '../../loader/promptTemplatePath.js';
import type { Objective } from '../../loader/objective.js';
import type { StageDefinition, StagesConfig } from '../../loader/stagesSchema.js';
import type { TeambotConfig } from '../../loader/teambotConfigSchema.js';
import { AgentRunError, type AgentRunner, type AgentRunResult } from './agentRunner.js';
import { artifactPaths, buildStagePrompt, producesArtifacts } from '../prompts/stagePrompt.js';
import type { StageAgentInput } from '../workflow/workflowSetup.js';
import { isInside } from '../persistence/safeFiles.js';
import { createReviewEvidenceCollector } from './reviewEvidenceCollector.js';

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
  /** A problem that does not fail the stage (git unavailable), said once; default: an output line of the stage. */
  readonly onWarning?: ((stage: string, message: string) => void) | undefined;
  /** Gather review evidence (the work output, the git diff, acceptance results); default true. */
  readonly groundReviews?: boolean | undefined;
}

/**
 * The stage actor: builds the prompt for one agent call (reading the stage's
 * prompt template afresh), runs it through the injected runner, checks that a
 * call meant to write the stage's artifacts wrote them, and returns the output
 * for the machine to store. Review prompts are grounded in evidence gathered
 * across calls (reviewEvidenceCollector.ts: the feeding work stage's output, the
 * git diff since it started, the acceptance results). Stopping the actor aborts
 * `signal`, which the runner turns into killing the agent.
 *
 * @example
 * const stageAgent = createStageActor({ runner, stages, team, objective, cwd, artifactsDir, onOutput });
 * compileWorkflow(stages, { stageAgent });
 */
export function createStageActor(dependencies: StageActorDependencies) {
  const { runner, stages, team, objective, cwd: projectDirectory, artifactsDir, onOutput } = dependencies;
  const warn = dependencies.onWarning ?? ((stage: string, message: string) => onOutput(stage, `[teambot] warning: ${message}`));
  const evidence = dependencies.groundReviews === false ? undefined
    : createReviewEvidenceCollector({ stages, cwd: projectDirectory, artifactsDir, warn });
  return fromPromise<AgentRunResult, StageAgentInput>(async ({ input, signal }) => {
    // A stage of an isolated group works in its own worktree (the artifacts still go to the feature's directory).
    const cwd = input.cwd ?? projectDirectory;
    const stage = stages.stages[input.stage];
    if (!stage) throw new Error(`unknown stage ${input.stage}`);
    const agent = (input.role === 'review' ? stage.review_agent : stage.work_agent) ?? team.default_agent ?? 'pm';
    const model = team.agents.find((candidate) => candidate.id === agent)?.model ?? team.default_model;
    const template = await readPromptTemplate(stage, stages.source);
    const writesArtifacts = producesArtifacts(input.role, stage);
    await evidence?.beforeCall(input);
    const grounding = input.role === 'review' ? await evidence?.forReview(input) : undefined;
    const result = await runner.run({
      stage: stage.id,
      role: input.role,
      iteration: input.iteration,
      agent,
      model,
      prompt: buildStagePrompt({ stage, call: input, objective, template, cwd, artifactsDir, evidence: grounding }),
      cwd,
      artifactsDir,
      artifacts: writesArtifacts ? stage.artifacts : [],
      signal,
      onOutput: (line) => onOutput(stage.id, line),
    });
    if (writesArtifacts) assertArtifactsWritten(stage, cwd, artifactsDir);
    evidence?.afterCall(input, result.output);
    return result;
  });
}

/**
 * The text of the stage's prompt template, or null when it has none.
 *
 * @throws AgentRunError naming the file and the stages.yaml field when it cannot be read
 */
export async function readPromptTemplate(stage: StageDefinition, stagesSource: string): Promise<string | null> {
  const path = promptTemplatePath(stage, stagesSource);
  if (path === null) return null;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `unreadable (${code ?? String(error)})`;
    const field = `stages.${stage.id}.prompt_template in ${stagesSource === 'built-in' ? 'the built-in stages.yaml' : stagesSource}`;
    throw new AgentRunError(`prompt template ${path} ${problem} (${field}): create the file or correct the path`, stage.id);
  }
}

/**
 * Fails the stage when a declared artifact is missing, naming every missing one,
 * or is a symbolic link or lies outside the artifacts directory through one
 * (an agent, or a planted link, could make teambot and later stages read
 * anything): links are never followed (lstat). Checked synchronously so the
 * stage completes in the turn its agent finished.
 *
 * @throws AgentRunError `SPEC did not write its artifact .teambot/x/artifacts/feature_spec.md`
 */
function assertArtifactsWritten(stage: StageDefinition, cwd: string, artifactsDir: string): void {
  const paths = artifactPaths(stage.artifacts, cwd, artifactsDir);
  const linked = paths.filter((path) => leavesArtifacts(path.absolute, artifactsDir));
  if (linked.length > 0) {
    throw new AgentRunError(`${stage.id}'s artifact ${linked.map((path) => path.shown).join(', ')} is a symbolic link or leads out of `
      + 'the artifacts directory through one; teambot does not follow links there: replace it with the file itself [symlink-refused]', stage.id);
  }
  const missing = paths.filter((path) => !lstatSync(path.absolute, { throwIfNoEntry: false })?.isFile());
  if (missing.length === 0) return;
  const noun = missing.length === 1 ? 'artifact' : 'artifacts';
  throw new AgentRunError(`${stage.id} did not write its ${noun} ${missing.map((path) => path.shown).join(', ')}`, stage.id);
}

/** Whether an artifact is a symbolic link, or its directory resolves outside the artifacts directory. */
function leavesArtifacts(path: string, artifactsDir: string): boolean {
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return true;
  try {
    return !isInside(realpathSync(dirname(path)), realpathSync(artifactsDir));
  } catch {
    return false; // its directory does not exist: the artifact is missing, said below
  }
}
