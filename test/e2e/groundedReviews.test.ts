import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../machines/runners/commandRunner.js';
import { readEventsFile } from '../support/project.js';
import { cliPath, temporaryDirectory } from '../support/runCli.js';
import { fakeCopilotProject } from '../support/fakeCopilotProject.js';
import { stagesFrom } from '../support/workflowHarness.js';

/** The fake-copilot project run to the end, each prompt saved in `prompts` (FAKE_AGENT_PROMPTS_DIR). */
async function runProject(project: Awaited<ReturnType<typeof fakeCopilotProject>>, extraEnv: Record<string, string> = {}) {
  const prompts = temporaryDirectory();
  const result = await execa('node', [cliPath, 'run', 'objective.md', '--no-ui'], {
    cwd: project.cwd, env: project.env({ FAKE_AGENT_PROMPTS_DIR: prompts, ...extraEnv }), reject: false, stdin: 'ignore',
  });
  const prompt = (stage: string, role: 'work' | 'review') => {
    const files = readdirSync(prompts).filter((name) => name.startsWith(`${stage}-${role}-`));
    expect(files, `${stage}'s ${role} prompts`).toHaveLength(1);
    return readFileSync(join(prompts, files[0]!), 'utf8');
  };
  return { result, prompt };
}

describe('grounded reviews through the (fake) Copilot CLI', () => {
  it('gives each review the work stage\'s output, the diff stat of what the work agent changed, and the acceptance results', async () => {
    const project = await fakeCopilotProject({ SPEC: { touch: 'src/feature.ts' }, IMPLEMENTATION: { touch: 'src/feature.ts' } }, undefined, { git: true });
    // Only TeamBot's shared persona for the builders: builder-1 gets it through the fallback.
    renameSync(join(project.cwd, '.github', 'agents', 'builder-1.agent.md'), join(project.cwd, '.github', 'agents', 'builder.agent.md'));
    const { result, prompt } = await runProject(project);
    expect(result.exitCode).toBe(0);

    const specReview = prompt('SPEC_REVIEW', 'review');
    expect(specReview).toContain('## Output of SPEC, the work stage this review checks\n```\nworking on SPEC\n');
    expect(specReview).toContain('SPEC done\n```');
    expect(specReview).toMatch(/`git diff --stat` since SPEC started:\n```text\n[\s\S]*^ src\/feature\.ts +\| 1 \+$/m);
    expect(specReview).toMatch(/`git status --short` now:\n```text\n[\s\S]*^\?\? src\/feature\.ts$/m);
    expect(specReview).toContain('## Work under review\n```\nworking on SPEC_REVIEW\n');
    expect(specReview).not.toContain('## Latest acceptance test results');
    // IMPLEMENTATION's base is taken when it starts: SPEC's line is not part of its diff.
    expect(prompt('IMPLEMENTATION_REVIEW', 'review')).toMatch(/since IMPLEMENTATION started:\n```text\n[\s\S]*^ src\/feature\.ts +\| 1 \+$/m);
    expect(prompt('POST_REVIEW', 'review')).toMatch(/## Latest acceptance test results \(`acceptance_test_results\.md` in the artifacts directory\)\n```+\n[\s\S]*AT-001/);

    const research = project.calls().find((call) => call.stage === 'RESEARCH')!.argv!;
    expect(research).toEqual(expect.arrayContaining(['--agent', 'builder']));
    expect(project.calls().find((call) => call.stage === 'SPEC')!.argv).toEqual(expect.arrayContaining(['--agent', 'ba']));
  }, 90_000);

  it('says once that the project is not a git repository, and the run completes', async () => {
    const project = await fakeCopilotProject();
    const { result, prompt } = await runProject(project, { GIT_CEILING_DIRECTORIES: dirname(project.cwd) });
    expect(result.exitCode).toBe(0);
    const warnings = readEventsFile(project.featureDir)
      .filter((event) => event.type === 'stage.output' && /is not a git repository/.test(String((event as { line?: string }).line)));
    expect(warnings).toHaveLength(1);
    expect(result.stdout.match(/is not a git repository: reviews go on without the diff/g)).toHaveLength(1);
    expect(prompt('SPEC_REVIEW', 'review')).toContain(`## Changes in the working directory\nNot available (${project.cwd} is not a git repository): judge the files themselves.`);
  }, 90_000);
});

describe('personas for command runners', () => {
  it('puts the agent\'s persona file (TeamBot\'s base-name fallback) at the top of the prompt', async () => {
    const cwd = temporaryDirectory();
    const featureDir = join(cwd, '.teambot', 'feature');
    mkdirSync(join(featureDir, 'artifacts'), { recursive: true });
    mkdirSync(join(cwd, '.github', 'agents'), { recursive: true });
    writeFileSync(join(cwd, '.github', 'agents', 'builder.agent.md'), '---\nname: builder\n---\n# Builder\nYou write the code.\n');
    const saved = join(cwd, 'prompt.md');
    const script = join(cwd, 'agent.mjs');
    writeFileSync(script, `import { copyFileSync } from 'node:fs';\ncopyFileSync(process.argv[2], ${JSON.stringify(saved)});\nconsole.log('done');\n`);
    const stages = stagesFrom('stages:\n  IMPLEMENTATION: { work_agent: builder-1 }\n  DONE: {}\nstage_order: [IMPLEMENTATION, DONE]\n');
    const runner = createCommandRunner({ stages, featureDir, argv: [process.execPath, script, '{prompt_file}'] });
    const request = {
      stage: 'IMPLEMENTATION', role: 'work' as const, iteration: 1, prompt: '# Stage IMPLEMENTATION\nBuild it.', cwd,
      artifactsDir: join(featureDir, 'artifacts'), artifacts: [], signal: new AbortController().signal, onOutput: () => {},
    };
    await expect(runner.run({ ...request, agent: 'builder-1' })).resolves.toMatchObject({ output: 'done' });
    expect(readFileSync(saved, 'utf8')).toBe('# Builder\nYou write the code.\n\n---\n\n# Stage IMPLEMENTATION\nBuild it.');
    await runner.run({ ...request, agent: 'pm' });
    expect(readFileSync(saved, 'utf8')).toBe('# Stage IMPLEMENTATION\nBuild it.');
  }, 30_000);
});
