import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, toPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../config/builtinFiles.js';
import { loadConfiguration, type Configuration } from '../../../loader/loadConfiguration.js';
import { parseObjective } from '../../../loader/objective.js';
import { AgentRunError, type AgentRunner, type AgentRunRequest, type AgentRunResult } from '../../../machines/runners/agentRunner.js';
import { createStageActor } from '../../../machines/runners/stageActor.js';
import { promptTemplatePath } from '../../../loader/promptTemplatePath.js';
import type { StageAgentInput } from '../../../machines/workflow/workflowSetup.js';
import { temporaryDirectory } from '../../support/runCli.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const objective = parseObjective('# Objective: Dark mode\n## Goals\n- a toggle\n', 'objective.md');

const STAGES_YAML = `
stages:
  SPEC:
    name: Specification
    work_agent: ba
    artifacts: [feature_spec.md, notes/questions.md]
    prompt_template: prompts/spec.md
  SPEC_REVIEW:
    work_agent: ba
    review_agent: reviewer
    is_review_stage: true
    artifacts: [spec_review.md]
  PLAN:
    work_agent: pm
    prompt_template: prompts/missing.md
  DONE: {}
stage_order: [SPEC, SPEC_REVIEW, PLAN, DONE]
`;

/** A project directory, and stages.yaml with its prompt templates in another directory. */
async function workspace() {
  const root = temporaryDirectory();
  const cwd = join(root, 'project');
  const workflowDir = join(root, 'workflow');
  mkdirSync(join(workflowDir, 'prompts'), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(workflowDir, 'stages.yaml'), STAGES_YAML);
  writeFileSync(join(workflowDir, 'prompts', 'spec.md'), 'Use the SDD specification template.\n');
  const configuration = await loadConfiguration({ cwd, stagesPath: '../workflow/stages.yaml' });
  const artifactsDir = join(cwd, '.teambot', 'dark-mode', 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  return { cwd, artifactsDir, workflowDir, configuration };
}

/** A runner that records each request, writes the given files into the artifacts directory, and answers. */
function fakeRunner(options: { writes?: readonly string[]; output?: string } = {}) {
  const requests: AgentRunRequest[] = [];
  const runner: AgentRunner = {
    async run(request): Promise<AgentRunResult> {
      requests.push(request);
      for (const file of options.writes ?? []) {
        mkdirSync(join(request.artifactsDir, file, '..'), { recursive: true });
        writeFileSync(join(request.artifactsDir, file), 'content');
      }
      return { output: options.output ?? 'done' };
    },
  };
  return { runner, requests };
}

interface Setup {
  readonly cwd: string;
  readonly artifactsDir: string;
  readonly configuration: Pick<Configuration, 'stages' | 'teambot'>;
}

/** Runs the stage actor once, as the machine would invoke it. */
async function callStage(setup: Setup, runner: AgentRunner, input: StageAgentInput): Promise<AgentRunResult> {
  const { cwd, artifactsDir, configuration } = setup;
  const logic = createStageActor({
    runner, stages: configuration.stages, team: configuration.teambot, objective, cwd, artifactsDir, onOutput: () => {},
  });
  return toPromise(createActor(logic, { input }).start());
}

describe('stage actor', () => {
  it('reads the prompt template relative to the directory of stages.yaml and puts it in the prompt', async () => {
    const setup = await workspace();
    const { runner, requests } = fakeRunner({ writes: ['feature_spec.md', 'notes/questions.md'] });
    await expect(callStage(setup, runner, { stage: 'SPEC', role: 'work', iteration: 1 })).resolves.toEqual({ output: 'done' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.prompt).toContain('## Stage instructions\nUse the SDD specification template.');
    expect(request!.prompt).toContain('- `.teambot/dark-mode/artifacts/notes/questions.md`');
    expect(request).toMatchObject({ stage: 'SPEC', role: 'work', agent: 'ba', cwd: setup.cwd, artifacts: ['feature_spec.md', 'notes/questions.md'] });
  });

  it('fails the stage with an AgentRunError naming the missing template and the stages.yaml field', async () => {
    const setup = await workspace();
    const { runner, requests } = fakeRunner();
    const error = await callStage(setup, runner, { stage: 'PLAN', role: 'work', iteration: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).stage).toBe('PLAN');
    expect((error as Error).message).toContain(join(setup.workflowDir, 'prompts', 'missing.md'));
    expect((error as Error).message).toContain(`stages.PLAN.prompt_template in ${join(setup.workflowDir, 'stages.yaml')}`);
    expect(requests).toHaveLength(0);
  });

  it('fails the stage naming every artifact the agent did not write, relative to the working directory', async () => {
    const setup = await workspace();
    const none = fakeRunner();
    await expect(callStage(setup, none.runner, { stage: 'SPEC', role: 'work', iteration: 1 })).rejects.toThrow(
      new AgentRunError('SPEC did not write its artifacts .teambot/dark-mode/artifacts/feature_spec.md, .teambot/dark-mode/artifacts/notes/questions.md', 'SPEC'));
    const one = fakeRunner({ writes: ['feature_spec.md'] });
    const error = await callStage(setup, one.runner, { stage: 'SPEC', role: 'work', iteration: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as Error).message).toBe('SPEC did not write its artifact .teambot/dark-mode/artifacts/notes/questions.md');
  });

  it('does not count a directory as a written artifact', async () => {
    const setup = await workspace();
    mkdirSync(join(setup.artifactsDir, 'feature_spec.md'));
    const { runner } = fakeRunner({ writes: ['notes/questions.md'] });
    await expect(callStage(setup, runner, { stage: 'SPEC', role: 'work', iteration: 1 })).rejects.toThrow(/did not write its artifact .*feature_spec\.md$/);
  });

  it('checks a review stage\'s artifacts after the review, not after the work', async () => {
    const setup = await workspace();
    const work = fakeRunner({ output: 'Wrote the spec: 5 scenarios.' });
    await expect(callStage(setup, work.runner, { stage: 'SPEC_REVIEW', role: 'work', iteration: 1 })).resolves.toEqual({ output: 'Wrote the spec: 5 scenarios.' });
    expect(work.requests[0]!.artifacts).toEqual([]);
    const silentReviewer = fakeRunner({ output: 'VERIFIED_APPROVED: fine' });
    await expect(callStage(setup, silentReviewer.runner, { stage: 'SPEC_REVIEW', role: 'review', iteration: 1, workOutput: 'w' }))
      .rejects.toThrow('SPEC_REVIEW did not write its artifact .teambot/dark-mode/artifacts/spec_review.md');
  });

  it('gives the review call the work output under review and the verdict instruction', async () => {
    const setup = await workspace();
    const { runner, requests } = fakeRunner({ writes: ['spec_review.md'], output: 'REJECTED: add error cases' });
    await callStage(setup, runner, { stage: 'SPEC_REVIEW', role: 'review', iteration: 1, workOutput: 'Wrote the spec: 5 scenarios.' });
    expect(requests[0]).toMatchObject({ role: 'review', agent: 'reviewer', artifacts: ['spec_review.md'] });
    expect(requests[0]!.prompt).toContain('## Work under review\n```\nWrote the spec: 5 scenarios.\n```');
    expect(requests[0]!.prompt).toContain('`VERIFIED_APPROVED: <reason>`');
  });

  it('reads a built-in stages.yaml\'s templates from the package\'s config directory', async () => {
    const stages = { ...stagesFrom('stages:\n  SETUP: { work_agent: pm, prompt_template: agents/pm.agent.md }\n  DONE: {}\nstage_order: [SETUP, DONE]\n'), source: 'built-in' };
    expect(promptTemplatePath(stages.stages.SETUP!, 'built-in')).toBe(join(builtinFiles.root, 'config', 'agents', 'pm.agent.md'));
    const cwd = temporaryDirectory();
    const configuration = { stages, teambot: (await loadConfiguration({ cwd })).teambot };
    const { runner, requests } = fakeRunner();
    await callStage({ cwd, artifactsDir: join(cwd, 'artifacts'), configuration }, runner, { stage: 'SETUP', role: 'work', iteration: 1 });
    expect(requests[0]!.prompt).toContain('# Project Manager (pm)');
  });
});
