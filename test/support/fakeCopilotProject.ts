import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { demoFeature } from './project.js';
import { fakeAgentsDir, repoRoot, runCliInProcess, temporaryDirectory } from './runCli.js';

const acceptanceTests = join(repoRoot, 'test', 'fixtures', 'acceptance-tests.mjs');

/** A line the fake copilot logs (FAKE_AGENT_LOG): a call, or a grandchild it started. */
export interface FakeAgentCall {
  readonly stage: string;
  readonly review?: boolean;
  readonly argv?: readonly string[];
  readonly prompt_bytes?: number;
  readonly pid?: number;
  readonly child?: number;
  readonly setsid_child?: number;
}

/**
 * A project set up with `teambot init` for the demo objective, run by the fake
 * Copilot CLI (test/fakeAgents/copilot) first on PATH: an acceptance_test_command
 * that checks the spec's scenarios, quick retries, and `script` (per-stage
 * behaviour, FAKE_AGENT_SCRIPT). `editStages` changes stages.yaml further; with
 * `git`, the project is a git repository with its files in a first commit, as a
 * user's would be (reviews then carry the diff, and no "not a git repository" line).
 */
export async function fakeCopilotProject(
  script: Record<string, unknown> = {},
  editStages: (text: string) => string = (text) => text,
  options: { git?: boolean } = {},
) {
  const cwd = temporaryDirectory();
  expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
  const stagesPath = join(cwd, 'stages.yaml');
  writeFileSync(stagesPath, editStages(readFileSync(stagesPath, 'utf8').replace(
    '    is_acceptance_test_stage: true',
    `    is_acceptance_test_stage: true\n    acceptance_test_command: [node, ${acceptanceTests}, .teambot/${demoFeature}/artifacts/feature_spec.md]`,
  )));
  const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as { runner: Record<string, unknown> };
  team.runner = { type: 'copilot', retry_delay_seconds: 0.01 };
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify(team, null, 2));
  writeFileSync(join(cwd, 'objective.md'), readFileSync(join(repoRoot, 'config', 'objectives', 'demo.md')));
  const scriptPath = join(cwd, 'script.json');
  writeFileSync(scriptPath, JSON.stringify(script));
  const logPath = join(cwd, 'agent.log');
  if (options.git) {
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=teambot-test', '-c', 'user.email=test@example.com', ...args], { cwd });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'the project before the run');
  }
  return {
    cwd,
    stagesPath,
    featureDir: join(cwd, '.teambot', demoFeature),
    /** The environment a teambot process needs to find and drive the fake agent, plus `extra`. */
    env: (extra: Record<string, string> = {}): Record<string, string> => ({
      PATH: `${fakeAgentsDir}${delimiter}${process.env.PATH}`, FAKE_AGENT_LOG: logPath, FAKE_AGENT_SCRIPT: scriptPath, NO_COLOR: '1', ...extra,
    }),
    setScript: (next: Record<string, unknown>) => writeFileSync(scriptPath, JSON.stringify(next)),
    /** What the fake agents logged: complete lines only (an agent may be appending one at this moment). */
    calls: (): FakeAgentCall[] => (existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(0, -1) : [])
      .map((line) => JSON.parse(line) as FakeAgentCall),
  };
}
