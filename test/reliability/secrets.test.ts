import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { demoFeature as feature } from '../support/project.js';
import { cliPath, fakeAgentsDir, repoRoot, temporaryDirectory } from '../support/runCli.js';

// What an adversarial review found: a `${ENV}` value in runner.argv reached the state file,
// events.jsonl, stdout, `teambot status` and the inspector through execa's command line in
// the stage error, and through whatever the agent echoed. Each run below must show `***` instead.

const TOKEN = 'tok-3f9a7c1e-SECRET-b2d4';
const MODEL = 'model-from-env-x7';

/** A one-stage project whose agent is the command runner's argv-agent, given the token in argv. */
function commandProject(mode: 'fail-silently' | 'echo-argv') {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, 'stages.yaml'), 'stages:\n  WORK: { work_agent: pm }\n  DONE: {}\nstage_order: [WORK, DONE]\n');
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
    teambot_dir: '.teambot', default_agent: 'pm', agents: [{ id: 'pm', persona: 'project_manager' }],
    runner: { type: 'command', max_retries: 0, argv: [join(fakeAgentsDir, 'argv-agent'), '--api-key', '${TEAMBOT_TEST_TOKEN}', '{prompt}'] },
  }));
  writeFileSync(join(cwd, 'objective.md'), readFileSync(join(repoRoot, 'config', 'objectives', 'demo.md')));
  const env = { TEAMBOT_TEST_TOKEN: TOKEN, FAKE_AGENT_MODE: mode, NO_COLOR: '1' };
  return { cwd, env, featureDir: join(cwd, '.teambot', feature) };
}

const cli = (args: string[], cwd: string, env: Record<string, string>) =>
  execa('node', [cliPath, ...args], { cwd, env, reject: false, stdin: 'ignore', timeout: 30_000 });

/** Every place the run leaves text: its files, its streams, and both forms of `status`. */
async function everythingShown(project: ReturnType<typeof commandProject>) {
  const run = await cli(['run', 'objective.md', '--no-ui'], project.cwd, project.env);
  const status = await cli(['status', `.teambot/${feature}`], project.cwd, project.env);
  const statusJson = await cli(['status', `.teambot/${feature}`, '--json'], project.cwd, project.env);
  const file = (name: string) => (existsSync(join(project.featureDir, name)) ? readFileSync(join(project.featureDir, name), 'utf8') : '');
  return {
    run,
    places: {
      'orchestration_state.json': file('orchestration_state.json'),
      'events.jsonl': file('events.jsonl'),
      'agents.json': file('agents.json'),
      'output/WORK.log': file(join('output', 'WORK.log')),
      stdout: run.stdout,
      stderr: run.stderr,
      status: status.stdout + status.stderr,
      'status --json': statusJson.stdout + statusJson.stderr,
    },
  };
}

describe('a ${ENV} value in runner.argv never reaches a file or a screen', () => {
  it('an agent that exits 1 without a word: the error names it and its exit code, not its command line', async () => {
    const project = commandProject('fail-silently');
    const { run, places } = await everythingShown(project);
    expect(run.exitCode).toBe(1);
    for (const [place, text] of Object.entries(places)) expect(text, place).not.toContain(TOKEN);
    const events = places['events.jsonl'];
    expect(events).toMatch(/"type":"stage.failed","stage":"WORK","error":"argv-agent exited with code 1: \(it printed nothing\)"/);
    expect(places['orchestration_state.json']).toContain('argv-agent exited with code 1');
    // Not the command line: neither its flags nor the prompt.
    for (const place of ['events.jsonl', 'orchestration_state.json', 'stdout', 'status'] as const) {
      expect(places[place], place).not.toContain('--api-key');
    }
  }, 60_000);

  it('an agent that prints the token: `***` everywhere it would have been', async () => {
    const project = commandProject('echo-argv');
    const { run, places } = await everythingShown(project);
    expect(run.exitCode).toBe(1);
    for (const [place, text] of Object.entries(places)) expect(text, place).not.toContain(TOKEN);
    for (const place of ['events.jsonl', 'orchestration_state.json', 'output/WORK.log', 'stdout', 'status', 'status --json'] as const) {
      expect(places[place], place).toContain('--api-key ***');
    }
  }, 60_000);
});

describe('${ENV} in the copilot runner\'s executable and model is expanded (and hidden)', () => {
  it('runs the executable and passes the model the environment names', async () => {
    const cwd = temporaryDirectory();
    // A copy of the fake copilot under a name found only through ${ENV}.
    const bin = join(temporaryDirectory(), 'my-copilot');
    writeFileSync(bin, readFileSync(join(fakeAgentsDir, 'copilot')));
    chmodSync(bin, 0o755);
    writeFileSync(join(cwd, 'stages.yaml'), 'stages:\n  WORK: { work_agent: pm }\n  DONE: {}\nstage_order: [WORK, DONE]\n');
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
      teambot_dir: '.teambot', default_agent: 'pm', default_model: '${TEAMBOT_TEST_MODEL}',
      agents: [{ id: 'pm', persona: 'project_manager' }],
      runner: { type: 'copilot', max_retries: 0, executable: '${TEAMBOT_TEST_COPILOT}' },
    }));
    writeFileSync(join(cwd, 'objective.md'), readFileSync(join(repoRoot, 'config', 'objectives', 'demo.md')));
    const log = join(cwd, 'agent.log');
    const env = {
      TEAMBOT_TEST_MODEL: MODEL, TEAMBOT_TEST_COPILOT: bin, FAKE_AGENT_LOG: log, NO_COLOR: '1',
      PATH: `${fakeAgentsDir}${delimiter}${process.env.PATH}`,
    };
    const run = await cli(['run', 'objective.md', '--no-ui'], cwd, env);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { stage: string; argv: string[] });
    const work = calls.find((call) => call.stage === 'WORK')!;
    expect(work.argv).toEqual(expect.arrayContaining(['--model', MODEL]));
    const state = readFileSync(join(cwd, '.teambot', feature, 'orchestration_state.json'), 'utf8');
    expect(state).not.toContain(MODEL);
  }, 60_000);
});
