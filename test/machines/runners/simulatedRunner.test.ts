import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulation } from '../../../loader/simulationFile.js';
import { AgentRunError, type AgentRunRequest } from '../../../machines/runners/agentRunner.js';
import { createSimulatedRunner, SIMULATED_MARKER } from '../../../machines/runners/simulatedRunner.js';
import { withDeadline } from '../../support/processes.js';

const simulation: Simulation = {
  default_ms: 200,
  stages: {
    RESEARCH: { ms: 300, verdicts: [], results: [] },
    TEST_STRATEGY: { ms: 3000, fail: 'simulated failure', verdicts: [], results: [] },
    SPEC_REVIEW: { verdicts: ['reject', 'approve'], results: [] },
    ACCEPTANCE_TEST: { verdicts: [], results: ['fail', 'pass'] },
  },
};

let artifactsDir: string;
beforeEach(async () => {
  artifactsDir = await mkdtemp(join(tmpdir(), 'teambot-sim-'));
});
afterEach(async () => {
  await rm(artifactsDir, { recursive: true, force: true });
});

/** A runner whose wait resolves at once and records each requested duration. */
function instantRunner(sim: Simulation = simulation) {
  const waits: number[] = [];
  const runner = createSimulatedRunner(sim, { wait: async (ms) => { waits.push(ms); } });
  return { runner, waits };
}

function request(overrides: Partial<AgentRunRequest> = {}): AgentRunRequest & { lines: string[] } {
  const lines: string[] = [];
  return {
    stage: 'PLAN', role: 'work', iteration: 1, agent: 'pm', prompt: 'do it', cwd: artifactsDir,
    artifactsDir, artifacts: [], signal: new AbortController().signal,
    onOutput: (line) => lines.push(line), lines, ...overrides,
  };
}

describe('simulated runner', () => {
  it('waits the stage\'s ms, or default_ms for stages the file does not name', async () => {
    const { runner, waits } = instantRunner();
    await runner.run(request({ stage: 'RESEARCH', agent: 'builder-1' }));
    await runner.run(request({ stage: 'PLAN' }));
    expect(waits).toEqual([300, 200]);
  });

  it('prints a few progress lines naming the agent, stage, role and iteration', async () => {
    const { runner } = instantRunner();
    const call = request({ stage: 'PLAN', agent: 'pm', iteration: 2 });
    await runner.run(call);
    expect(call.lines[0]).toBe('simulated pm: working on PLAN (work, iteration 2)');
    expect(call.lines.at(-1)).toMatch(/^simulated pm: PLAN done/);
    expect(call.lines.length).toBeLessThanOrEqual(3);
  });

  it('fails with the file\'s message as an AgentRunError after the wait, writing no artifact', async () => {
    const { runner, waits } = instantRunner();
    const run = runner.run(request({ stage: 'TEST_STRATEGY', agent: 'builder-2', artifacts: ['test_strategy.md'] }));
    await expect(run).rejects.toBeInstanceOf(AgentRunError);
    await expect(run).rejects.toMatchObject({ message: 'simulated failure', stage: 'TEST_STRATEGY' });
    expect(waits).toEqual([3000]);
    expect(await readdir(artifactsDir)).toEqual([]);
  });

  it('rejects then approves review iterations as scripted, and approves by default', async () => {
    const { runner } = instantRunner();
    const review = (stage: string, iteration: number) =>
      runner.run(request({ stage, role: 'review', iteration, agent: 'reviewer' }));

    const first = await review('SPEC_REVIEW', 1);
    expect(first.output).toMatch(/^REJECTED: /);
    expect(first.output).toContain('SPEC_REVIEW');
    expect(first.output).toContain('iteration 1');
    expect((await review('SPEC_REVIEW', 2)).output).toMatch(/^VERIFIED_APPROVED: /);
    expect((await review('SPEC_REVIEW', 3)).output).toMatch(/^VERIFIED_APPROVED: /);
    expect((await review('PLAN_REVIEW', 1)).output).toMatch(/^VERIFIED_APPROVED: /);
  });

  it('fails AT-004 and AT-005 in a failed acceptance round and passes all five after', async () => {
    const { runner } = instantRunner();
    const round = (iteration: number) =>
      runner.run(request({ stage: 'ACCEPTANCE_TEST', role: 'acceptance', iteration, agent: 'builder-1' }));

    const failed = await round(1);
    expect(failed.acceptance).toMatchObject({ passed: 3, failed: 2, total: 5 });
    expect(failed.acceptance?.scenarios?.filter((s) => !s.passed).map((s) => s.id)).toEqual(['AT-004', 'AT-005']);
    expect(failed.output).toMatch(/AT-004: FAILED/);
    expect(failed.output).toMatch(/AT-001: passed/);

    const passed = await round(2);
    expect(passed.acceptance).toMatchObject({ passed: 5, failed: 0, total: 5 });
    expect(passed.acceptance?.scenarios?.map((s) => s.id)).toEqual(['AT-001', 'AT-002', 'AT-003', 'AT-004', 'AT-005']);
    expect((await round(3)).acceptance?.failed).toBe(0);
  });

  it('reports work and fix calls as simulated, naming stage, agent and iteration', async () => {
    const { runner } = instantRunner();
    const work = await runner.run(request({ stage: 'PLAN', agent: 'pm', iteration: 1 }));
    const fix = await runner.run(request({ stage: 'ACCEPTANCE_TEST', role: 'fix', agent: 'builder-1', iteration: 2 }));
    expect(work.output).toMatch(/PLAN.*pm.*iteration 1/);
    expect(fix.output).toMatch(/fix.*ACCEPTANCE_TEST.*builder-1.*iteration 2/);
    expect(work.acceptance).toBeUndefined();
  });

  it('writes every artifact, nested ones included, marked as simulated', async () => {
    const { runner } = instantRunner();
    const result = await runner.run(request({ stage: 'SPEC', agent: 'ba', artifacts: ['feature_spec.md', 'diagrams/flow.md'] }));
    for (const name of ['feature_spec.md', join('diagrams', 'flow.md')]) {
      const text = await readFile(join(artifactsDir, name), 'utf8');
      expect(text.split('\n')[0]).toBe(SIMULATED_MARKER);
      expect(text).toContain(`# SPEC: ${name.replace(/\\/g, '/')}`);
      expect(text).toContain(result.output);
    }
  });

  it('refuses an artifact path that leaves the artifacts directory', async () => {
    const { runner } = instantRunner();
    await expect(runner.run(request({ artifacts: ['../escape.md'] }))).rejects.toBeInstanceOf(AgentRunError);
    expect(existsSync(join(artifactsDir, '..', 'escape.md'))).toBe(false);
  });

  it('rejects with the abort reason when cancelled mid-wait, long before the stage\'s time is up, writing nothing', async () => {
    // Ten minutes: only the abort can end this wait within the test.
    const runner = createSimulatedRunner({ default_ms: 600_000, stages: {} });
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const call = request({ artifacts: ['plan.md'], signal: controller.signal });
    const run = runner.run(call);
    run.catch(() => {}); // asserted below
    expect(call.lines, 'the agent is waiting').toEqual(['simulated pm: working on PLAN (work, iteration 1)']);
    controller.abort(reason);
    await expect(withDeadline(run, 5000, 'the simulated run to reject after the abort')).rejects.toBe(reason);
    expect(call.lines).toHaveLength(1);
    expect(await readdir(artifactsDir)).toEqual([]);
  });

  it('writes nothing later either, once the stage\'s time would have been up', async () => {
    const runner = createSimulatedRunner({ default_ms: 20, stages: {} });
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const run = runner.run(request({ artifacts: ['plan.md'], signal: controller.signal }));
    controller.abort(reason); // in the same tick: the 20 ms wait has begun and cannot have ended
    await expect(withDeadline(run, 5000, 'the simulated run to reject after the abort')).rejects.toBe(reason);
    // Past the full duration, whatever the machine's speed: timers never fire early, and the
    // runner's earlier 20 ms one would fire before this later 40 ms one. A late write would show now.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await readdir(artifactsDir)).toEqual([]);
  });

  it('rejects at once when the signal is already aborted, without waiting', async () => {
    const { runner, waits } = instantRunner();
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(runner.run(request({ signal: controller.signal, artifacts: ['x.md'] }))).rejects.toThrow('too late');
    expect(waits).toEqual([]);
    expect(await readdir(artifactsDir)).toEqual([]);
  });

  it('rejects with the abort reason even when an injected wait ignores the signal', async () => {
    const controller = new AbortController();
    const runner = createSimulatedRunner(simulation, { wait: async () => { controller.abort('stop'); } });
    await expect(runner.run(request({ signal: controller.signal, artifacts: ['x.md'] }))).rejects.toBe('stop');
    expect(await readdir(artifactsDir)).toEqual([]);
  });
});
