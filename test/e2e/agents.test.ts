import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAlive, processesIn, waitFor, withDeadline } from '../support/processes.js';
import { readEventsFile } from '../support/project.js';
import { cliPath } from '../support/runCli.js';
import { fakeCopilotProject } from '../support/fakeCopilotProject.js';

/** The fake-copilot project (support/fakeCopilotProject.ts), started with `teambot run objective.md --no-ui`. */
async function agentProject(script: Record<string, unknown> = {}, editStages?: (text: string) => string) {
  const project = await fakeCopilotProject(script, editStages);
  return {
    ...project,
    start: (args: string[] = []) => execa('node', [cliPath, 'run', 'objective.md', '--no-ui', ...args], { cwd: project.cwd, env: project.env(), reject: false, stdin: 'ignore' }),
    events: () => readEventsFile(project.featureDir),
    artifactsDeclared: () => {
      const stages = parse(readFileSync(project.stagesPath, 'utf8')) as { stages: Record<string, { artifacts?: string[] }> };
      return Object.values(stages.stages).flatMap((stage) => stage.artifacts ?? []);
    },
  };
}


describe('teambot run with the (fake) Copilot CLI', () => {
  it('runs all 14 stages, produces every artifact, and decides acceptance by running the tests', async () => {
    const project = await agentProject();
    const result = await project.start();
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    for (const artifact of project.artifactsDeclared()) {
      expect(existsSync(join(project.featureDir, 'artifacts', artifact)), artifact).toBe(true);
    }
    const results = readFileSync(join(project.featureDir, 'artifacts', 'acceptance_test_results.md'), 'utf8');
    expect(results).toMatch(/AT-001/);
    expect(results).toMatch(/AT-002/);
    expect(project.events()).toContainEqual(expect.objectContaining({ type: 'acceptance.iteration', passed: 2, failed: 0, total: 2 }));
    expect(project.events()).toContainEqual(expect.objectContaining({ type: 'stage.output', stage: 'SPEC', line: 'SPEC progress line 1' }));
    expect(result.stdout).toMatch(/stage\.output\s+SPEC {2}│ SPEC progress line 1/);
    const research = project.calls().find((call) => call.stage === 'RESEARCH')!.argv!;
    expect(research).toEqual(expect.arrayContaining(['--agent', 'builder-1', '--allow-all-tools', '--silent']));
  }, 60_000);

  it('fails only the stage whose agent exits non-zero, with the CLI\'s own message; its sibling completes', async () => {
    const project = await agentProject({ TEST_STRATEGY: { exit: 1, message: 'Error: No authentication information found.' } });
    const result = await project.start();
    expect(result.exitCode).toBe(1);
    const events = project.events();
    expect(events).toContainEqual(expect.objectContaining({
      type: 'stage.failed', stage: 'TEST_STRATEGY', error: expect.stringMatching(/copilot exited with code 1: [\s\S]*No authentication information found/),
    }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'stage.completed', stage: 'RESEARCH' }));
    expect(existsSync(join(project.featureDir, 'artifacts', 'research.md'))).toBe(true);
  }, 60_000);

  it('ends a hanging agent at its stage timeout; only that stage fails', async () => {
    // The CLI's clock starts with the agent's process: on a busy machine it may expire before
    // node has even started the agent, so nothing here needs the agent to have logged its pid.
    const project = await agentProject({ TEST_STRATEGY: { hang: true, spawn_child: true } },
      (text) => text.replace(/(  TEST_STRATEGY:\n)/, '$1    timeout_minutes: 0.01\n'));
    const result = await withDeadline(project.start(), 50_000, 'the run to end after TEST_STRATEGY timed out');
    expect(result.exitCode).toBe(1);
    const events = project.events();
    expect(events).toContainEqual(expect.objectContaining({
      type: 'stage.failed', stage: 'TEST_STRATEGY', error: expect.stringMatching(/copilot timed out after 0\.6 s \(timeout_minutes\)/),
    }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'stage.completed', stage: 'RESEARCH' }));
    // Whatever the agent managed to start, and the agent itself, is gone with the run.
    await waitFor(() => processesIn(project.cwd).length === 0, 5000, 'every process the agents started in the project to exit');
    expect(processesIn(project.cwd)).toEqual([]);
  }, 60_000);

  it('leaves no process behind after cancel', async () => {
    const project = await agentProject({ SPEC: { hang: true, spawn_child: true } });
    const run = project.start();
    const seen: string[] = [];
    await withDeadline(new Promise<void>((resolve) => {
      run.stdout!.on('data', (chunk: Buffer) => {
        seen.push(chunk.toString());
        if (/stage\.started\s+SPEC/.test(seen.join(''))) resolve();
      });
    }), 30_000, 'the run to start SPEC');
    // Cancel only once the agent has started its child: then there is a whole tree to kill.
    await waitFor(() => project.calls().some((call) => call.child), 15_000,
      'the SPEC agent to log the child it started');
    run.kill('SIGINT');
    const result = await withDeadline(run, 15_000, 'the run to exit after SIGINT');
    expect(result.exitCode).toBe(130);
    const calls = project.calls();
    const agent = calls.find((call) => call.stage === 'SPEC' && call.pid)!.pid as number;
    const child = calls.find((call) => call.child)!.child as number;
    await waitFor(() => !isAlive(agent) && !isAlive(child), 5000, `the cancelled agent (pid ${agent}) and its child (pid ${child}) to exit`);
    expect([isAlive(agent), isAlive(child)]).toEqual([false, false]);
  }, 60_000);

  it('refuses to start when the agent CLI is missing, with the install command (exit 2)', async () => {
    const project = await agentProject();
    const team = JSON.parse(readFileSync(join(project.cwd, 'teambot.json'), 'utf8')) as { runner: Record<string, unknown> };
    team.runner = { type: 'copilot', executable: 'teambot-test-no-copilot' };
    writeFileSync(join(project.cwd, 'teambot.json'), JSON.stringify(team));
    const result = await project.start();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/teambot-test-no-copilot is not installed or not on PATH \[agent-cli-missing\]/);
    expect(result.stderr).toMatch(/npm install -g @github\/copilot/);
    expect(existsSync(project.featureDir)).toBe(false);
  });

  it('retries a rate-limited agent and goes on', async () => {
    const project = await agentProject({ SETUP: { transient_failures: 1 } });
    const result = await project.start();
    expect(result.exitCode).toBe(0);
    expect(project.calls().filter((call) => call.stage === 'SETUP')).toHaveLength(2);
  }, 60_000);
});

