import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../../loader/loadConfiguration.js';
import { stagesHash } from '../../../loader/stagesFingerprint.js';
import { createProject, feature, featureDirectory, objectiveFile, readEventsFile, stateFile } from '../../support/project.js';
import { fakeAgentsDir, fixturesDir, repoRoot, runCliInProcess } from '../../support/runCli.js';

const acceptanceTests = join(repoRoot, 'test', 'fixtures', 'acceptance-tests.mjs');
const note = 'using `npm test` (the test command of package.json) as ACCEPTANCE_TEST\'s acceptance_test_command [acceptance-command-detected]';

/**
 * TeamBot's files as they are (its stages.yaml names no acceptance_test_command), run by the
 * fake Copilot CLI, in a project whose package.json test script checks the spec's scenarios.
 */
function teambotProject(script: Record<string, unknown> = {}) {
  const cwd = createProject();
  writeFileSync(join(cwd, 'stages.yaml'), readFileSync(join(fixturesDir, 'stages.yaml')));
  const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({ ...team, runner: { type: 'copilot', retry_delay_seconds: 0.01 } }, null, 2));
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({
    name: 'migrating-project', private: true,
    scripts: { test: `node ${JSON.stringify(acceptanceTests)} ${featureDirectory}/artifacts/feature_spec.md` },
  }));
  const scriptPath = join(cwd, 'script.json');
  writeFileSync(scriptPath, JSON.stringify(script));
  const env = {
    PATH: `${fakeAgentsDir}${delimiter}${process.env.PATH}`, FAKE_AGENT_SCRIPT: scriptPath, FAKE_AGENT_LOG: join(cwd, 'agent.log'),
  };
  return { cwd, env, setScript: (next: Record<string, unknown>) => writeFileSync(scriptPath, JSON.stringify(next)) };
}

describe('TeamBot\'s stages.yaml unchanged: the acceptance stage uses the project\'s test command', () => {
  it('validate passes, noting the command it will use', async () => {
    const { cwd, env } = teambotProject();
    const result = await runCliInProcess(['validate'], { cwd, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^warning: stages\.yaml:\d+:5: stage ACCEPTANCE_TEST: /m);
    expect(result.stderr).toContain(note);
    expect(result.stderr).not.toContain('acceptance-command-missing');
  });

  it('without a test command in the project, run still refuses at preflight, before any agent', async () => {
    const { cwd, env } = teambotProject();
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    const result = await runCliInProcess(['run', objectiveFile, '--no-ui'], { cwd, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('[acceptance-command-missing]');
    expect(readFileSync(join(cwd, 'agent.log'), { flag: 'a+' }).toString()).toBe('');
  });

  it('a run\'s ACCEPTANCE_TEST runs it; resume finds the configuration unchanged', async () => {
    const project = teambotProject({ POST_REVIEW: { exit: 1, message: 'fatal: the reviewer crashed' } });
    const first = await runCliInProcess(['run', objectiveFile, '--no-ui'], { cwd: project.cwd, env: project.env });
    expect(first.exitCode, first.stderr).toBe(1);
    expect(first.stderr).toContain(note);

    const events = readEventsFile(join(project.cwd, featureDirectory));
    const outputs = events.flatMap((event) => (event.type === 'stage.output' && event.stage === 'ACCEPTANCE_TEST' ? [event.line] : []));
    expect(outputs).toContain('$ npm test');
    expect(outputs.some((line) => /✓ AT-\d{3}/.test(line)), outputs.join('\n')).toBe(true);
    const state = JSON.parse(readFileSync(join(project.cwd, stateFile), 'utf8')) as { acceptance_tests_passed: boolean; stages_config_hash: string };
    expect(state.acceptance_tests_passed).toBe(true);
    // The hash is the file's: what status and resume compute from stages.yaml as it is.
    const { stages } = await loadConfiguration({ cwd: project.cwd });
    expect(state.stages_config_hash).toBe(stagesHash(stages));

    // status offers `resume --force` only when the configuration changed.
    const status = await runCliInProcess(['status', feature], { cwd: project.cwd, env: project.env });
    expect(status.stdout).toMatch(/resume simple-notification-end/);
    expect(status.stdout).not.toContain('--force');

    project.setScript({});
    const resumed = await runCliInProcess(['resume', feature, '--no-ui'], { cwd: project.cwd, env: project.env });
    expect(resumed.stderr).not.toContain('stages-changed');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming simple-notification-end/);
  });
});
