import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageSchema, type StagesConfig } from '../../../loader/stagesSchema.js';
import { withAcceptanceCommand } from '../../../machines/acceptance/acceptanceRunner.js';
import { judgeAcceptanceRun } from '../../../machines/acceptance/acceptanceVerdict.js';
import { AgentRunError, type AgentRunner, type AgentRunRequest } from '../../../machines/runners/agentRunner.js';
import { isAlive, waitFor, withDeadline } from '../../support/processes.js';
import { manualClock } from '../../support/manualClock.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/acceptance/${name}`, import.meta.url));
const IDS = ['AT-001', 'AT-002', 'AT-003'];

const SPEC = `# Feature spec

## Acceptance Test Scenarios

### AT-001: Add a todo
**Steps**:
1. Run \`todo add milk\`
**Expected Result**: \`todo list\` shows "milk"

### AT-002: Reject an empty name
**Steps**:
1. Run \`todo add ""\`
**Expected Result**: exit code 2 and "name is required"

### AT-003: Remove a todo
**Steps**:
1. Run \`todo rm 1\`
**Expected Result**: \`todo list\` is empty
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teambot-acceptance-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stagesWith(command: string[] | undefined, extra: { timeout_minutes?: number } = {}): StagesConfig {
  const stage = stageSchema.parse({ is_acceptance_test_stage: true, artifacts: ['acceptance_test_results.md'], acceptance_test_command: command, ...extra });
  return {
    source: '/project/stages.yaml',
    stages: { ACCEPTANCE_TEST: { ...stage, id: 'ACCEPTANCE_TEST', name: 'Acceptance Test' } },
    stage_order: ['ACCEPTANCE_TEST', 'COMPLETE'],
    parallel_groups: {},
    work_to_review_mapping: {},
  };
}

/** An agent that always claims every scenario passed, and records what it was asked. */
function boastingAgent() {
  const calls: AgentRunRequest[] = [];
  const runner: AgentRunner = {
    async run(request) {
      calls.push(request);
      return { output: 'All acceptance tests pass! AT-001 ✓ AT-002 ✓ AT-003 ✓', acceptance: { passed: 3, failed: 0, total: 3 } };
    },
  };
  return { runner, calls };
}

function acceptanceRequest(overrides: Partial<AgentRunRequest> = {}): AgentRunRequest & { lines: string[] } {
  const lines: string[] = [];
  return {
    stage: 'ACCEPTANCE_TEST', role: 'acceptance', iteration: 2, agent: 'builder-1', prompt: 'Run the acceptance tests.',
    cwd: dir, artifactsDir: dir, artifacts: ['acceptance_test_results.md'], signal: new AbortController().signal,
    onOutput: (line) => lines.push(line), lines, ...overrides,
  };
}

/** The pids tree.mjs writes once it and its helper run: proof that the command is under way. */
async function startedTree(pidsFile: string): Promise<{ pid: number; child: number }> {
  await waitFor(() => existsSync(pidsFile), 15_000, `the acceptance command to write its and its helper's pids to ${pidsFile}`);
  return JSON.parse(readFileSync(pidsFile, 'utf8')) as { pid: number; child: number };
}

/** Waits (bounded) until a process has exited: killing a tree is asynchronous. */
async function gone(pid: number, what: string): Promise<boolean> {
  await waitFor(() => !isAlive(pid), 5000, `${what} (pid ${pid}) to exit`);
  return !isAlive(pid);
}


async function withSpec(text = SPEC, name = 'feature_spec.md'): Promise<void> {
  await writeFile(join(dir, name), text);
}

describe('withAcceptanceCommand', () => {
  it('passes calls for other roles straight to the inner runner', async () => {
    const { runner, calls } = boastingAgent();
    const result = await withAcceptanceCommand(runner, { stages: stagesWith(undefined) }).run(acceptanceRequest({ role: 'fix' }));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.prompt).toBe('Run the acceptance tests.');
    expect(result.output).toMatch(/^All acceptance tests pass!/);
  });

  it('runs the command and counts every scenario its output reports passing; writes the results file', async () => {
    await withSpec();
    const { runner, calls } = boastingAgent();
    const call = acceptanceRequest();
    const result = await withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('pass.mjs'), ...IDS]) }).run(call);

    expect(result.acceptance).toMatchObject({ passed: 3, failed: 0, total: 3 });
    expect(result.acceptance!.scenarios!.map((scenario) => scenario.passed)).toEqual([true, true, true]);
    expect(result.output).toMatch(/3\/3 scenarios passed/);
    expect(result.output).toContain('| AT-002 | Reject an empty name | passed |');

    expect(calls[0]!.prompt).toContain('### AT-002: Reject an empty name');
    expect(calls[0]!.prompt).toContain('Expected: exit code 2 and "name is required"');
    expect(calls[0]!.prompt).toMatch(/named after its id/);
    expect(calls[0]!.prompt).toContain(fixture('pass.mjs'));
    expect(calls[0]!.artifacts).not.toContain('acceptance_test_results.md');

    expect(call.lines).toContain(' ✓ acceptance.test.ts > AT-003: works as specified 3ms');
    const file = await readFile(join(dir, 'acceptance_test_results.md'), 'utf8');
    expect(file).toMatch(/round 2/);
    expect(file).toContain('- Exit code: 0');
    expect(file).toContain('| AT-001 | Add a todo | passed |');
    expect(file).toMatch(/```text\n[\s\S]*✓ acceptance\.test\.ts > AT-001[\s\S]*```/);
  });

  it('fails exactly the scenario the output reports failing when the command exits 1', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const result = await withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('fail.mjs'), ...IDS]) })
      .run(acceptanceRequest());

    expect(result.acceptance).toMatchObject({ passed: 2, failed: 1, total: 3 });
    const failing = result.acceptance!.scenarios!.filter((scenario) => !scenario.passed);
    expect(failing.map((scenario) => scenario.id)).toEqual(['AT-002']);
    const file = await readFile(join(dir, 'acceptance_test_results.md'), 'utf8');
    expect(file).toContain('- Exit code: 1');
    expect(file).toMatch(/\| AT-002 \| Reject an empty name \| FAILED \| failed: ".*× acceptance\.test\.ts > AT-002/);
    expect(file).toContain('AssertionError: expected 400 to be 422');
  });

  it('fails every scenario when the command exits 0 without running any test, whatever the agent claims', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const result = await withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('silent.mjs')]) })
      .run(acceptanceRequest());

    expect(result.acceptance).toMatchObject({ passed: 0, failed: 3, total: 3 });
    expect(result.acceptance!.scenarios).toContainEqual({ id: 'AT-001', passed: false, reason: 'not run: no test output mentions AT-001' });
    const file = await readFile(join(dir, 'acceptance_test_results.md'), 'utf8');
    expect(file).toContain('0/3 passed');
    expect(file).toContain('All acceptance tests pass!'); // kept, but only as context
  });

  it('finds the scenarios in another .md file when there is no feature_spec.md', async () => {
    await withSpec(SPEC, 'spec.md');
    await writeFile(join(dir, 'notes.md'), '# Notes\nnothing here');
    const { runner, calls } = boastingAgent();
    const result = await withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('pass.mjs'), 'AT-001']) })
      .run(acceptanceRequest());
    expect(calls[0]!.prompt).toContain(`(from ${join(dir, 'spec.md')})`);
    expect(result.acceptance).toMatchObject({ passed: 1, failed: 2, total: 3 });
  });

  it('refuses a spec without AT-nnn scenarios, naming the file and showing how to write them', async () => {
    await withSpec('# Spec\n## Behaviour\nIt works.\n');
    const { runner, calls } = boastingAgent();
    const error = await withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('pass.mjs')]) })
      .run(acceptanceRequest()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).stage).toBe('ACCEPTANCE_TEST');
    expect((error as Error).message).toContain(join(dir, 'feature_spec.md'));
    expect((error as Error).message).toContain('## Acceptance Test Scenarios');
    expect((error as Error).message).toContain('### AT-001:');
    expect(calls).toHaveLength(0);
  });

  it('refuses when there is no feature spec at all', async () => {
    const { runner } = boastingAgent();
    await expect(withAcceptanceCommand(runner, { stages: stagesWith([process.execPath]) }).run(acceptanceRequest()))
      .rejects.toThrow(/no feature spec found: .*feature_spec\.md does not exist/);
  });

  it('refuses a stage without acceptance_test_command and says what to add to stages.yaml', async () => {
    await withSpec();
    const { runner, calls } = boastingAgent();
    const error = await withAcceptanceCommand(runner, { stages: stagesWith(undefined) }).run(acceptanceRequest())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as Error).message).toContain('acceptance_test_command: [npm, test]');
    expect((error as Error).message).toContain('/project/stages.yaml');
    expect(calls).toHaveLength(0);
  });

  it('reports a command that does not exist', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const error = await withAcceptanceCommand(runner, { stages: stagesWith(['teambot-no-such-test-runner', 'AT-001']) })
      .run(acceptanceRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).stage).toBe('ACCEPTANCE_TEST');
    expect((error as Error).message).toMatch(/^acceptance_test_command not found: teambot-no-such-test-runner/);
  });

  it('kills the command when the stage is cancelled', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const controller = new AbortController();
    let pid: number | undefined;
    const call = acceptanceRequest({
      signal: controller.signal,
      onOutput: (line) => {
        const started = /^started (\d+)$/.exec(line);
        if (started) {
          pid = Number(started[1]);
          controller.abort(new Error('cancelled by the user'));
        }
      },
    });
    await expect(withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('hang.mjs')]) }).run(call))
      .rejects.toThrow('cancelled by the user');
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('kills the command\'s whole process tree, helpers it started included, when the stage is cancelled', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const controller = new AbortController();
    const pidsFile = join(dir, 'tree.pids');
    const running = withAcceptanceCommand(runner, { stages: stagesWith([process.execPath, fixture('tree.mjs'), pidsFile]), killGraceMs: 500 })
      .run(acceptanceRequest({ signal: controller.signal }));
    running.catch(() => {}); // asserted below
    const { pid, child } = await startedTree(pidsFile);
    expect([isAlive(pid), isAlive(child)]).toEqual([true, true]);
    controller.abort(new Error('cancelled by the user'));
    await expect(withDeadline(running, 15_000, 'the cancelled acceptance run to end')).rejects.toThrow('cancelled by the user');
    expect(await gone(pid, 'the cancelled acceptance command')).toBe(true);
    expect(await gone(child, 'the helper the acceptance command started')).toBe(true);
  }, 60_000);

  it('ends the command and its process tree at the stage\'s timeout_minutes', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const stageClock = manualClock();
    const pidsFile = join(dir, 'tree.pids');
    const running = withAcceptanceCommand(runner, {
      stages: stagesWith([process.execPath, fixture('tree.mjs'), pidsFile], { timeout_minutes: 0.003 }),
      killGraceMs: 500, timeoutClock: stageClock.clock,
    }).run(acceptanceRequest());
    running.catch(() => {}); // asserted below
    const { pid, child } = await startedTree(pidsFile);
    expect(stageClock.running()).toEqual([expect.closeTo(180)]); // timeout_minutes: 0.003
    stageClock.expire();
    const error = await withDeadline(running, 15_000, 'the acceptance run to end once its timeout expired').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).stage).toBe('ACCEPTANCE_TEST');
    expect((error as Error).message).toBe('acceptance_test_command timed out after 0.18 s (timeout_minutes)');
    expect(await gone(pid, 'the timed-out acceptance command')).toBe(true);
    expect(await gone(child, 'the helper the acceptance command started')).toBe(true);
    expect(stageClock.running(), 'no clock left running').toEqual([]);
  }, 60_000);

  it('uses an injected command runner and judges only its output', async () => {
    await withSpec();
    const { runner } = boastingAgent();
    const seen: { argv: readonly string[]; cwd: string }[] = [];
    const result = await withAcceptanceCommand(runner, {
      stages: stagesWith(['npm', 'test']),
      run: async (argv, cwd) => {
        seen.push({ argv, cwd });
        return { exitCode: 1, output: 'ok 1 - AT-001\nnot ok 2 - AT-002\nok 3 - AT-003' };
      },
    }).run(acceptanceRequest());
    expect(seen).toEqual([{ argv: ['npm', 'test'], cwd: dir }]);
    expect(result.acceptance!.scenarios!.map((scenario) => scenario.passed)).toEqual([true, false, true]);
  });
});

describe('judgeAcceptanceRun', () => {
  const scenarios = [{ id: 'AT-001', title: 'Retry failed uploads' }, { id: 'AT-002', title: 'Show an Error message' }];

  it('trusts no pass when the command exits non-zero and no scenario is reported failing', () => {
    const verdict = judgeAcceptanceRun(scenarios, { exitCode: 1, output: '✓ AT-001\n✓ AT-002\n✗ lint: 3 problems' });
    expect(verdict).toMatchObject({ passed: 0, failed: 2, total: 2 });
    expect(verdict.scenarios[0]!.reason).toMatch(/exited 1 although AT-001 printed "✓ AT-001".*cannot be trusted/);
  });

  it('reads marker words in a scenario\'s own title as part of the title, not as results', () => {
    const output = '  ✓ AT-001: Retry failed uploads (12 ms)\n  ✓ AT-002: Show an Error message (3 ms)';
    expect(judgeAcceptanceRun(scenarios, { exitCode: 0, output })).toMatchObject({ passed: 2, failed: 0 });
  });

  it('understands pytest names, TAP and coloured output', () => {
    const output = 'test_app.py::test_at_001_retry \u001b[32mPASSED\u001b[0m\nnot ok 2 - AT-002 Show an Error message';
    const verdict = judgeAcceptanceRun(scenarios, { exitCode: 1, output });
    expect(verdict.scenarios.map((scenario) => scenario.passed)).toEqual([true, false]);
    expect(verdict.scenarios[1]!.reason).toBe('failed: "not ok 2 - AT-002 Show an Error message"');
  });

  it('fails a scenario that is mentioned without a result, and never confuses AT-001 with AT-0010', () => {
    const verdict = judgeAcceptanceRun([{ id: 'AT-001' }], { exitCode: 0, output: 'running AT-001\n✓ AT-0010 other' });
    expect(verdict.scenarios[0]).toEqual({ id: 'AT-001', passed: false, reason: 'no result: the output mentions AT-001 but never reports it passed' });
  });
});
