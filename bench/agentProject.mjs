// A project for real agent processes, set up as test/cli.agents.test.ts does: `teambot init`, an
// acceptance_test_command that checks the spec's scenarios (test/fixtures/acceptance-tests.mjs),
// and the runner settings in teambot.json: the fake Copilot CLI (test/fakeAgents, first on PATH)
// or bench/bigOutput.mjs through the command runner.
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { assertSucceeded, demoFeature, fakeAgentsDir, makeProject, removeDir, repo, runTeambot } from './lib.mjs';

const acceptanceTests = join(repo, 'test', 'fixtures', 'acceptance-tests.mjs');
export const bigOutputAgent = join(repo, 'bench', 'bigOutput.mjs');

/**
 * @param runner 'copilot' (the fake Copilot CLI) or 'command' (bench/bigOutput.mjs)
 * @param fakeScript the fake copilot's FAKE_AGENT_SCRIPT ({ "<STAGE>": { "lines": N } })
 * @returns { cwd, featureDir, env } — env is what every teambot command of the project needs
 */
export async function agentProject(prefix, { runner, fakeScript = {} }) {
  const cwd = makeProject(prefix);
  try {
    await configure(cwd, runner, fakeScript);
  } catch (error) {
    removeDir(cwd);
    throw error;
  }
  return {
    cwd,
    featureDir: join(cwd, '.teambot', demoFeature),
    env: { PATH: `${fakeAgentsDir}${delimiter}${process.env.PATH}`, FAKE_AGENT_SCRIPT: join(cwd, 'fake-script.json') },
  };
}

/** `teambot init`, then the acceptance command in stages.yaml and the runner in teambot.json. */
async function configure(cwd, runner, fakeScript) {
  assertSucceeded(await runTeambot(['init'], { cwd, probe: false }), ['init']);
  const stagesPath = join(cwd, 'stages.yaml');
  writeFileSync(stagesPath, readFileSync(stagesPath, 'utf8').replace(
    '    is_acceptance_test_stage: true',
    `    is_acceptance_test_stage: true\n    acceptance_test_command: [node, ${acceptanceTests}, .teambot/${demoFeature}/artifacts/feature_spec.md]`,
  ));
  const teamPath = join(cwd, 'teambot.json');
  const team = JSON.parse(readFileSync(teamPath, 'utf8'));
  team.runner = runner === 'command'
    ? { type: 'command', argv: [process.execPath, bigOutputAgent, '{stage}', '{prompt}'], retry_delay_seconds: 0.01 }
    : { type: 'copilot', retry_delay_seconds: 0.01 };
  writeFileSync(teamPath, `${JSON.stringify(team, null, 2)}\n`);
  writeFileSync(join(cwd, 'fake-script.json'), JSON.stringify(fakeScript));
}
