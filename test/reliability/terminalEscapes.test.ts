import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoFeature, demoObjective, demoProject, readEventsFile } from '../support/project.js';
import { fakeAgentsDir, runCli, runCliInProcess, temporaryDirectory } from '../support/runCli.js';

/**
 * Nothing an agent, a state file or a configuration file controls may act on the user's
 * terminal: what teambot prints holds no escape sequence, control or bidi character of
 * theirs, only its visible form (`\x1b[2J`). events.jsonl keeps the raw text.
 */

/** ESC, BEL and every other C0 control but tab and line feed, DEL, C1 controls, bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Fails naming the first unsafe character and where it is, so a failure shows what leaked. */
function expectSafe(output: string, what: string): void {
  const at = output.search(UNSAFE);
  expect(at, `${what} holds U+${output.codePointAt(at)?.toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(output.slice(Math.max(0, at - 40), at + 40))}`).toBe(-1);
}

/** What the fake copilot's `escapes` behaviour prints, as teambot shows it. */
const HOSTILE_LINE_SHOWN = String.raw`\x1b]0;pwned title\x07\x1b]52;c;cm0gLXJmIH4=\x1b\\x1b[2J\x9b1;1H\x07\u202etxt.exe`;


/** A project from `teambot init` whose agents are the fake copilot, following `script`. */
async function fakeCopilotProject(script: Record<string, unknown>) {
  const cwd = temporaryDirectory();
  expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
  const stagesPath = join(cwd, 'stages.yaml');
  writeFileSync(stagesPath, readFileSync(stagesPath, 'utf8')
    .replace('    is_acceptance_test_stage: true', '    is_acceptance_test_stage: true\n    acceptance_test_command: [node, --version]'));
  const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as { runner: Record<string, unknown> };
  team.runner = { type: 'copilot', retry_delay_seconds: 0.01 };
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify(team, null, 2));
  writeFileSync(join(cwd, 'script.json'), JSON.stringify(script));
  writeFileSync(join(cwd, 'objective.md'), readFileSync(demoObjective));
  const env = { PATH: `${fakeAgentsDir}${delimiter}${process.env.PATH}`, FAKE_AGENT_SCRIPT: join(cwd, 'script.json') };
  return { cwd, env, featureDir: join(cwd, '.teambot', demoFeature) };
}

describe('a hostile agent cannot drive the terminal', () => {
  it('--no-ui shows its escape sequences, its failure and the summary as visible text; status too; events.jsonl keeps them raw', async () => {
    const failure = 'Error: \u001b[2J\u001b]0;owned\u0007 quota \u202eexceeded\u009b';
    const project = await fakeCopilotProject({
      SETUP: { escapes: true },
      BUSINESS_PROBLEM: { escapes: true, exit: 1, message: failure },
    });
    const run = await runCli(['run', 'objective.md', '--no-ui'], { cwd: project.cwd, env: project.env });
    expect(run.exitCode, run.stderr).toBe(1);
    expectSafe(run.stdout, 'run stdout');
    expectSafe(run.stderr, 'run stderr');
    // Its output lines, then its failure, in the event lines and in the summary.
    expect(run.stdout).toContain(`stage.output         SETUP  │ ${HOSTILE_LINE_SHOWN}`);
    expect(run.stdout).toMatch(/stage\.failed +BUSINESS_PROBLEM {2}copilot exited with code 1: /);
    expect(run.stdout).toContain(String.raw`Error: \x1b[2J\x1b]0;owned\x07 quota \u202eexceeded\x9b`);
    const summary = run.stdout.slice(run.stdout.indexOf('\nSTAGES'));
    expect(summary).toContain('✗ BUSINESS_PROBLEM');
    expect(summary.replace(/\s+/g, ' ')).toContain(String.raw`\x1b[2J\x1b]0;owned\x07 quota \u202eexceeded\x9b`);

    const logged = readEventsFile(project.featureDir);
    expect(logged).toContainEqual(expect.objectContaining({ type: 'stage.output', stage: 'SETUP', line: expect.stringContaining('\u001b]0;pwned title\u0007') }));
    expect(logged).toContainEqual(expect.objectContaining({ type: 'stage.failed', stage: 'BUSINESS_PROBLEM', error: expect.stringContaining(failure) }));

    const status = await runCliInProcess(['status', demoFeature], { cwd: project.cwd });
    expect(status.exitCode).toBe(0);
    expectSafe(status.stdout, 'status');
    expect(status.stdout).toMatch(/✗ BUSINESS_PROBLEM +failed .*copilot exited with code 1: .*\\x1b\[2J\\x1b\]0;owned\\x07 quota \\u202eexceeded\\x9b/);
    expect(status.stdout).toContain(String.raw`last error: `);

    const json = await runCliInProcess(['status', demoFeature, '--json'], { cwd: project.cwd });
    expectSafe(json.stdout, 'status --json');
    const parsed = JSON.parse(json.stdout) as { stages: { id: string; error?: string }[] };
    expect(parsed.stages.find((stage) => stage.id === 'BUSINESS_PROBLEM')?.error).toContain(failure);
  });
});

describe('text from files and state is shown, never obeyed', () => {
  it('a simulated failure message with escapes: --no-ui event lines and the summary show it visibly', async () => {
    const project = demoProject('default_ms: 1\nstages:\n  SPEC:\n    fail: "boom \\e]52;c;aGk=\\a \\e[2J \\x9b31m \\u202Egnp.exe \\eP1$r\\e\\\\"\n');
    const run = await runCliInProcess(project.run, { cwd: project.cwd });
    expect(run.exitCode).toBe(1);
    expectSafe(run.stdout, 'run stdout');
    expectSafe(run.stderr, 'run stderr');
    const shown = `${String.raw`boom \x1b]52;c;aGk=\x07 \x1b[2J \x9b31m \u202egnp.exe \x1bP1$r\x1b`}\\`;
    expect(run.stdout).toMatch(/stage\.failed +SPEC {2}boom /);
    expect(run.stdout).toContain(shown);
    expect(run.stdout.slice(run.stdout.indexOf('\nSTAGES')).replace(/\s+/g, ' ')).toContain(`failed: ${shown}`);
  });

  it('status of a state file whose errors and objective hold escapes: shown, colours dropped', async () => {
    const project = demoProject('default_ms: 1\nstages:\n  SPEC:\n    fail: plain failure\n');
    expect((await runCliInProcess(project.run, { cwd: project.cwd })).exitCode).toBe(1);
    const statePath = join(project.featureDir, 'orchestration_state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown> & { stages: Record<string, { error?: string }> };
    state.error = 'run failed\u001b]0;title\u0007\nsecond line \u001b[H\u001b[2J';
    state.objective_file = 'objective\u001b[8m\u001b[1A.md\u202e';
    state.stages.SPEC!.error = 'clipboard \u001b]52;c;ZWNobyBoaQ==\u001b\\ and C1 \u009d0;t\u009c';
    writeFileSync(statePath, JSON.stringify(state));

    const status = await runCliInProcess(['status', demoFeature], { cwd: project.cwd });
    expect(status.exitCode).toBe(0);
    expectSafe(status.stdout, 'status');
    expect(status.stdout).toContain(String.raw`clipboard \x1b]52;c;ZWNobyBoaQ==\x1b\ and C1 \x9d0;t\x9c`);
    expect(status.stdout).toContain(String.raw`  last error: run failed\x1b]0;title\x07`);
    expect(status.stdout).toContain(String.raw`    second line \x1b[H\x1b[2J`);
    expect(status.stdout).toContain(String.raw`objective  objective\x1b[1A.md\u202e`);
  });

  it('validate quotes an unknown field named with an escape, visibly, and keeps the issue on its lines', async () => {
    const cwd = temporaryDirectory();
    expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
    const stagesPath = join(cwd, 'stages.yaml');
    writeFileSync(stagesPath, readFileSync(stagesPath, 'utf8').replace(/^stages:\n(\s+)(\w+):\n/m, '$&$1  "evil\\e]0;t\\a\\e[2J\\u202E\\n": 1\n'));
    const result = await runCliInProcess(['validate', '--runner', 'simulated'], { cwd });
    expect(result.exitCode).toBe(2);
    expectSafe(result.stderr, 'validate stderr');
    expectSafe(result.stdout, 'validate stdout');
    expect(result.stderr).toMatch(/stages\.yaml:\d+:\d+: .*evil\\x1b\]0;t\\x07\\x1b\[2J\\u202e\\n.* \[unknown-field\]\n {2}fix: /);

    const json = await runCliInProcess(['validate', '--runner', 'simulated', '--json'], { cwd });
    expectSafe(json.stdout, 'validate --json');
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('evil\\u001b]0;t\\u0007\\u001b[2J\u202e\\n');
  });

  it('validate shows an objective title with escapes visibly', async () => {
    const cwd = temporaryDirectory();
    expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
    writeFileSync(join(cwd, 'objective.md'), readFileSync(demoObjective, 'utf8').replace('# Objective: Add', '# Objective: \u001b]0;pwned\u0007Add\u009b2J \u2066dark\u2069'));
    const result = await runCliInProcess(['validate', '--runner', 'simulated', '--objective', 'objective.md'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expectSafe(result.stdout, 'validate stdout');
    expect(result.stdout).toContain(String.raw`\x1b]0;pwned\x07Add\x9b2J \u2066dark\u2069`);
  });

  it('the command line\'s own errors echo a hostile argument visibly (commander, a missing run, a resume)', async () => {
    const cwd = temporaryDirectory();
    const hostile = '\u001b]0;pwned\u0007x\u001b[2J';
    for (const args of [['validate', '--runner', hostile], ['status', hostile], ['resume', hostile], [`--${hostile}`]]) {
      const result = await runCliInProcess(args, { cwd });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expectSafe(result.stderr, `${args.join(' ')} stderr`);
      expect(result.stderr).toContain(String.raw`\x1b]0;pwned\x07x\x1b[2J`);
    }
  });
});
