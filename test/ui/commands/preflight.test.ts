import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgentsDir, repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';
import { commands, createProject, featureDirectory, stateFile } from '../../support/project.js';

/** node and npm, but no Copilot CLI. */
const pathWithoutCopilot = dirname(process.execPath);
const pathWithCopilot = `${fakeAgentsDir}${delimiter}${pathWithoutCopilot}`;
const lineOf = (text: string, marker: string) => text.split('\n').findIndex((line) => line.includes(marker)) + 1;

/** A project as `teambot init` writes it, with a written objective; `edit` changes its stages.yaml. */
async function initProject(edit: (stages: string) => string = (stages) => stages) {
  const cwd = temporaryDirectory();
  expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
  const stagesPath = join(cwd, 'stages.yaml');
  const stages = edit(readFileSync(stagesPath, 'utf8').replace(/\n\s*acceptance_test_command:[^\n]*/, ''));
  writeFileSync(stagesPath, stages);
  writeFileSync(join(cwd, 'objective.md'), readFileSync(join(repoRoot, 'config', 'objectives', 'demo.md')));
  writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 2\n');
  return { cwd, stages, teambotDir: join(cwd, '.teambot') };
}

const withCommand = (command: string) => (stages: string) =>
  stages.replace('    is_acceptance_test_stage: true', `    is_acceptance_test_stage: true\n    acceptance_test_command: ${command}`);

describe('preflight: what a run needs is checked before the first agent call', () => {
  it('validate and run both report a missing agent CLI and a missing acceptance command, at once, and run starts nothing', async () => {
    const project = await initProject();
    const env = { PATH: pathWithoutCopilot };
    const acceptanceLine = lineOf(project.stages, 'is_acceptance_test_stage: true');
    for (const args of [['validate'], ['run', 'objective.md', '--no-ui']]) {
      const result = await runCliInProcess(args, { cwd: project.cwd, env });
      expect(result.exitCode, args[0]).toBe(2);
      expect(result.stderr).toMatch(/copilot is not installed or not on PATH \[agent-cli-missing\]\n {2}fix: install the GitHub Copilot CLI/);
      expect(result.stderr).toContain(`stages.yaml:${acceptanceLine}:5: stage ACCEPTANCE_TEST: no acceptance_test_command`);
      expect(result.stderr).toMatch(/\[acceptance-command-missing\]\n {2}fix: add the command that runs your tests to ACCEPTANCE_TEST, as a list \(no shell\), e\.g\. acceptance_test_command: \[npm, test\]/);
      expect(result.stderr).toMatch(/2 problems found/);
    }
    expect(existsSync(project.teambotDir), 'a refused run writes nothing').toBe(false);
  });

  it('without acceptance_test_command, the project\'s own test command is used, and its program must be on PATH', async () => {
    const project = await initProject();
    writeFileSync(join(project.cwd, 'Cargo.toml'), '[package]\nname = "app"\n');
    const result = await runCliInProcess(['validate'], { cwd: project.cwd, env: { PATH: pathWithCopilot } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/stage ACCEPTANCE_TEST: ACCEPTANCE_TEST has no acceptance_test_command and would use `cargo test` \(the test command of Cargo\.toml\), but "cargo" is not on PATH \[acceptance-command-not-found\]\n {2}fix: install cargo, or set acceptance_test_command on ACCEPTANCE_TEST/);
    expect(result.stderr).not.toContain('[acceptance-command-missing]');
  });

  it('passes validate, with the workflow printed, once the agent CLI and the acceptance command are there', async () => {
    const project = await initProject(withCommand('[npm, test]'));
    const result = await runCliInProcess(['validate'], { cwd: project.cwd, env: { PATH: pathWithCopilot } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/14 stages/);
  });

  it('a whole command written as one element or as text gets the exact list to write, and no follow-on error', async () => {
    const oneElement = await initProject(withCommand('[npm test]'));
    const element = await runCliInProcess(['validate'], { cwd: oneElement.cwd, env: { PATH: pathWithCopilot } });
    expect(element.exitCode).toBe(2);
    expect(element.stderr).toContain(`stages.yaml:${lineOf(oneElement.stages, 'acceptance_test_command: [npm test]')}:31: stage ACCEPTANCE_TEST: acceptance_test_command: "npm test" is not on PATH [acceptance-command-not-found]`);
    expect(element.stderr).toMatch(/fix: "npm test" is one element holding a whole command, and there is no shell to split it: write each argument as its own element, \[npm, test\]/);

    const text = await initProject(withCommand('npm run test:acceptance --silent'));
    const result = await runCliInProcess(['validate'], { cwd: text.cwd, env: { PATH: pathWithCopilot } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/"acceptance_test_command" must be a list, not the text "npm run test:acceptance --silent" \[wrong-type\]\n {2}fix: write a list, one element per argument \(nothing is run through a shell\): \[npm, run, test:acceptance, --silent\]/);
    expect(result.stderr).not.toMatch(/acceptance-stage-missing/);
    expect(result.stderr).toMatch(/1 problem found/);
  });

  it('refuses a prompt template that does not exist, naming its line', async () => {
    const project = await initProject((stages) => withCommand('[npm, test]')(stages).replace(
      /(\n {2}SPEC:\n(?: {4}.*\n)*? {4}prompt_template: )null/, '$1prompts/spec.md'));
    const result = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd: project.cwd, env: { PATH: pathWithCopilot } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`stages.yaml:${lineOf(project.stages, 'prompts/spec.md')}:22: stage SPEC: prompt_template prompts/spec.md does not exist`);
    expect(result.stderr).toMatch(/\[prompt-template-missing\]/);
    expect(existsSync(project.teambotDir)).toBe(false);
  });

  it('refuses an argv template the prompt never reaches, and an unset environment variable it names', async () => {
    const project = await initProject(withCommand('[npm, test]'));
    const teamPath = join(project.cwd, 'teambot.json');
    const team = JSON.parse(readFileSync(teamPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(teamPath, JSON.stringify({ ...team, runner: { type: 'command', argv: ['node', '--model', '${TEAMBOT_TEST_MODEL}'] } }, null, 2));
    const result = await runCliInProcess(['validate'], { cwd: project.cwd, env: { PATH: pathWithCopilot } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/teambot\.json:\d+:\d+: runner: runner\.argv has no \{prompt\} or \{prompt_file\}, so the agent would never see its instructions \[argv-without-prompt\]/);

    writeFileSync(teamPath, JSON.stringify({ ...team, runner: { type: 'command', argv: ['node', '-e', '{prompt}', '${TEAMBOT_TEST_MODEL}'] } }, null, 2));
    const unset = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd: project.cwd, env: { PATH: pathWithCopilot } });
    expect(unset.exitCode).toBe(2);
    expect(unset.stderr).toMatch(/runner\.argv uses \$\{TEAMBOT_TEST_MODEL\}, but the environment variable TEAMBOT_TEST_MODEL is not set \[env-missing\]/);
    expect(existsSync(project.teambotDir)).toBe(false);
  });

  it('a simulated run warns about what a real run would refuse, then runs', async () => {
    const project = await initProject();
    const result = await runCliInProcess(['run', 'objective.md', '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'], { cwd: project.cwd, env: { PATH: pathWithoutCopilot } });
    expect(result.stderr).toMatch(/^warning: stages\.yaml:\d+:5: stage ACCEPTANCE_TEST: no acceptance_test_command: fine for a simulation, but a run with real agents would refuse to start \[acceptance-command-missing\]/);
    expect(result.exitCode).toBe(0);
  });

  it('resume checks the same before it takes the lock: the saved state is untouched', async () => {
    // The first agent call lasts ten minutes: the shortest limit allowed (about 1 s) ends the run.
    const cwd = createProject('default_ms: 600000\n');
    const interrupted = await runCliInProcess([...commands.run, '--max-hours', '0.0003'], { cwd });
    expect(interrupted.exitCode).toBe(1);
    const statePath = join(cwd, stateFile);
    const state = readFileSync(statePath, 'utf8');
    const result = await runCliInProcess(['resume', featureDirectory, '--runner', 'copilot', '--max-hours', '8'], { cwd, env: { PATH: pathWithoutCopilot } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/\[agent-cli-missing\]/);
    expect(readFileSync(statePath, 'utf8')).toBe(state);
    expect(existsSync(join(cwd, featureDirectory, 'run.lock'))).toBe(false);
  });
});
