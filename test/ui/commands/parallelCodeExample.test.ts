import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSimulation } from '../../../loader/simulationFile.js';
import { validateStages } from '../../../loader/validateStages.js';
import { parseYamlSource } from '../../../loader/yamlSource.js';
import { repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

const examples = join(repoRoot, 'config', 'examples');
const stagesPath = join(examples, 'parallel-code.yaml');
const stagesText = readFileSync(stagesPath, 'utf8');
const isolationLine = stagesText.split('\n').findIndex((text) => /^ {4}isolation: worktree$/.test(text)) + 1;
const validate = ['validate', stagesPath, '--config', join(repoRoot, 'config', 'teambot.json'), '--runner', 'simulated'];

/** A clean repository with its runs directory ignored, where a run of the example would go. */
function repository(): string {
  const cwd = temporaryDirectory();
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@localhost', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@localhost' };
  writeFileSync(join(cwd, '.gitignore'), '.teambot/\n');
  execFileSync('git', ['init', '-q'], { cwd, env });
  execFileSync('git', ['add', '-A'], { cwd, env });
  execFileSync('git', ['commit', '-q', '-m', 'start'], { cwd, env });
  return cwd;
}

describe('the example of code-writing stages in worktrees (config/examples/parallel-code.yaml)', () => {
  it('validates in a clean repository, with the built-in team checked, and shows the group as isolated', async () => {
    const result = await runCliInProcess(validate, { cwd: repository() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('┌ parallel group build (let_finish, isolated in git worktrees): IMPLEMENT_BACKEND ‖ IMPLEMENT_FRONTEND');
    expect(result.stderr).not.toMatch(/\[isolation-/);
  });

  it('is refused outside a git repository, at its isolation line, with how to make one', async () => {
    const result = await runCliInProcess(validate, { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`parallel-code\\.yaml:${isolationLine}:5: group build: isolation: worktree makes each stage's worktree from the project's git repository, and \\S+ is not inside one \\[isolation-not-a-repository\\]\\n {2}fix: make the project a repository: \`git init && git add -A && git commit -m "start"\`, or remove isolation: worktree from the group`));
    expect(result.stderr).toMatch(/1 problem found/);
  });

  it('is a plan, two builders side by side, then a review; its simulation writes a different file per builder', () => {
    const { config, issues } = validateStages(parseYamlSource('parallel-code.yaml', stagesText), { source: stagesPath });
    expect(issues).toEqual([]);
    expect(config!.stage_order).toEqual(['PLAN', 'IMPLEMENT_BACKEND', 'IMPLEMENT_FRONTEND', 'REVIEW', 'COMPLETE']);
    expect(config!.parallel_groups.build).toMatchObject({
      after: 'PLAN', stages: ['IMPLEMENT_BACKEND', 'IMPLEMENT_FRONTEND'], before: 'REVIEW', isolation: 'worktree',
    });

    const simulationPath = join(examples, 'parallel-code.simulation.yaml');
    const simulation = parseSimulation(simulationPath, readFileSync(simulationPath, 'utf8'), { stages: config! });
    expect(Object.keys(simulation.stages.IMPLEMENT_BACKEND!.writes!)).toEqual(['server/api.ts']);
    expect(Object.keys(simulation.stages.IMPLEMENT_FRONTEND!.writes!)).toEqual(['web/toggle.tsx']);
  });
});
