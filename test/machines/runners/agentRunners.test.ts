import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StagesConfig } from '../../../loader/stagesSchema.js';
import { AgentRunError, type AgentRunRequest } from '../../../machines/runners/agentRunner.js';
import { createCommandRunner } from '../../../machines/runners/commandRunner.js';
import { createCopilotRunner } from '../../../machines/runners/copilotRunner.js';
import { withTransientRetries } from '../../../machines/runners/transientRetry.js';
import { manualClock } from '../../support/manualClock.js';
import { isAlive, waitFor, withDeadline } from '../../support/processes.js';
import { fakeAgentsDir, temporaryDirectory } from '../../support/runCli.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const fakeCopilot = join(fakeAgentsDir, 'copilot');
const stages: StagesConfig = stagesFrom(`stages:
  SPEC: { work_agent: ba, artifacts: [feature_spec.md] }
  SLOW: { work_agent: pm, timeout_minutes: 0.003 }
  DONE: {}
stage_order: [SPEC, SLOW, DONE]
`);

/** A project directory with the fake copilot's log and script, and a request factory. */
function setup(script: Record<string, unknown> = {}) {
  const cwd = temporaryDirectory();
  const featureDir = join(cwd, '.teambot', 'feature');
  const artifactsDir = join(featureDir, 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  const log = join(cwd, 'agent.log');
  const scriptPath = join(cwd, 'script.json');
  writeFileSync(scriptPath, JSON.stringify(script));
  const env = { ...process.env, FAKE_AGENT_LOG: log, FAKE_AGENT_SCRIPT: scriptPath };
  const lines: string[] = [];
  const request = (overrides: Partial<AgentRunRequest> = {}): AgentRunRequest => ({
    stage: 'SPEC', role: 'work', iteration: 1, agent: 'ba', model: 'gpt-5', prompt: '# Stage SPEC\nWrite the spec.',
    cwd, artifactsDir, artifacts: [], signal: new AbortController().signal, onOutput: (line) => lines.push(line), ...overrides,
  });
  // Complete lines only: an agent may be appending one at this moment.
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>) : []);
  const copilot = createCopilotRunner({ stages, featureDir, executable: fakeCopilot, env, killGraceMs: 500 });
  return { cwd, featureDir, env, lines, request, calls, copilot };
}


/** The pid the fake agent logs first thing when it starts on `stage`: proof that it runs. */
async function startedAgent(calls: () => Record<string, unknown>[], stage: string): Promise<number> {
  const logged = () => calls().find((call) => call.stage === stage && typeof call.pid === 'number');
  await waitFor(() => logged() !== undefined, 15_000, `the fake agent to log its pid for ${stage}`);
  return logged()!.pid as number;
}

/** Waits (bounded) until a process has exited: killing is asynchronous. */
async function gone(pid: number, what: string): Promise<boolean> {
  await waitFor(() => !isAlive(pid), 5000, `${what} (pid ${pid}) to exit`);
  return !isAlive(pid);
}

describe('copilot runner', () => {
  it('calls the CLI with the flags the real Copilot CLI takes, and a stable session per stage and agent', async () => {
    const { request, calls, copilot, cwd } = setup();
    mkdirSync(join(cwd, '.github', 'agents'), { recursive: true });
    writeFileSync(join(cwd, '.github', 'agents', 'ba.agent.md'), '---\nname: ba\n---\n');
    await copilot.run(request());
    await copilot.run(request({ agent: 'pm', model: undefined }));
    await copilot.run(request({ iteration: 2 }));
    const [first, second, third] = calls().map((call) => call.argv as string[]);
    expect(first!.slice(0, 2)).toEqual(['-p', '# Stage SPEC\nWrite the spec.']);
    expect(first).toEqual(expect.arrayContaining(['--silent', '--allow-all-tools', '--no-color', '--no-ask-user']));
    expect(first![first!.indexOf('--agent') + 1]).toBe('ba');
    expect(first![first!.indexOf('--model') + 1]).toBe('gpt-5');
    const session = first![first!.indexOf('--session-id') + 1];
    expect(session).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toContain('--agent'); // no .github/agents/pm.agent.md
    expect(second).not.toContain('--model');
    expect(second![second!.indexOf('--session-id') + 1]).not.toBe(session);
    expect(third![third!.indexOf('--session-id') + 1]).toBe(session);
  });

  it('streams every line to onOutput as it comes and returns stdout as the output', async () => {
    const { request, lines, copilot } = setup({ SPEC: { lines: 500 } });
    const { output } = await copilot.run(request());
    expect(lines).toHaveLength(502);
    expect(lines[1]).toBe('SPEC progress line 1');
    expect(output.split('\n')).toEqual(lines);
  });

  it('passes a 1 MB prompt through a prompt file the agent is told to read', async () => {
    const { request, calls, copilot, featureDir } = setup();
    const prompt = `# Stage SPEC\n${'context line\n'.repeat(90_000)}`;
    await copilot.run(request({ prompt }));
    const call = calls()[0]!;
    expect(call.prompt_bytes).toBe(Buffer.byteLength(prompt));
    expect((call.argv as string[])[1]).toMatch(/^Your full instructions for this task are in the file \.teambot\/feature\/prompts\/SPEC-1\.md/);
    expect(readFileSync(join(featureDir, 'prompts', 'SPEC-1.md'), 'utf8')).toBe(prompt);
  });

  it('fails the stage with the CLI\'s own message when it exits non-zero', async () => {
    const { request, copilot } = setup({ SPEC: { exit: 1, message: 'Error: No authentication information found.' } });
    await expect(copilot.run(request())).rejects.toMatchObject({
      name: 'AgentRunError', message: expect.stringMatching(/copilot exited with code 1: [\s\S]*No authentication information found/), transient: false,
    });
  });

  it('ends a hanging agent and its process tree at the stage\'s timeout_minutes, and a silent one at the idle timeout', async () => {
    const { request, calls, featureDir, env } = setup({ SLOW: { hang: true, spawn_child: true }, SPEC: { silent_hang: true } });
    // Each clock starts with the process; the test lets it expire only once the agent has logged its pid.
    const stageClock = manualClock();
    const copilot = createCopilotRunner({ stages, featureDir, executable: fakeCopilot, env, killGraceMs: 500, timeoutClock: stageClock.clock });
    const hanging = copilot.run(request({ stage: 'SLOW', prompt: '# Stage SLOW' }));
    hanging.catch(() => {}); // asserted below
    const hangingPid = await startedAgent(calls, 'SLOW');
    await waitFor(() => calls().some((call) => call.child), 15_000, 'the hanging agent to log the child it started');
    const childPid = calls().find((call) => call.child)!.child as number;
    expect(stageClock.running()).toEqual([expect.closeTo(180)]); // timeout_minutes: 0.003
    expect([isAlive(hangingPid), isAlive(childPid)]).toEqual([true, true]);
    stageClock.expire();
    await expect(withDeadline(hanging, 15_000, 'the hanging agent\'s run to end once its timeout expired')).rejects.toThrow(/copilot timed out after 0\.18 s \(timeout_minutes\)/);
    expect(await gone(hangingPid, 'the hanging agent')).toBe(true);
    expect(await gone(childPid, 'the hanging agent\'s child')).toBe(true);

    const idleClock = manualClock();
    const idle = createCopilotRunner({ stages, featureDir, executable: fakeCopilot, env, idleTimeoutMs: 150, timeoutClock: idleClock.clock });
    const silent = idle.run(request());
    silent.catch(() => {}); // asserted below
    const silentPid = await startedAgent(calls, 'SPEC');
    expect(idleClock.running()).toEqual([150]);
    expect(isAlive(silentPid)).toBe(true);
    idleClock.expire();
    await expect(withDeadline(silent, 15_000, 'the silent agent\'s run to end once its idle timeout expired')).rejects.toThrow(/printed nothing for 0\.15 s \(idle timeout\)/);
    expect(await gone(silentPid, 'the silent agent')).toBe(true);
    expect([...stageClock.running(), ...idleClock.running()], 'no clock left running').toEqual([]);
  }, 60_000);

  it('kills the whole process tree on cancel, leaving no orphan', async () => {
    const { request, calls, copilot } = setup({ SPEC: { hang: true, spawn_child: true } });
    const controller = new AbortController();
    const lines: string[] = [];
    const running = copilot.run(request({ signal: controller.signal, onOutput: (line) => {
      lines.push(line);
      if (lines.length === 2) controller.abort(new Error('cancelled by the user'));
    } }));
    await expect(withDeadline(running, 15_000, 'the cancelled run to end')).rejects.toThrow('cancelled by the user');
    const logged = calls();
    const agentPid = logged.find((entry) => entry.pid)!.pid as number;
    const childPid = logged.find((entry) => entry.child)!.child as number;
    expect(await gone(agentPid, 'the cancelled agent')).toBe(true);
    expect(await gone(childPid, 'the agent\'s child')).toBe(true);
  }, 60_000);

  it('retries transient failures (rate limit) with backoff, and never other failures', async () => {
    const { request, calls, copilot } = setup({ SPEC: { transient_failures: 2 } });
    const waits: number[] = [];
    const retrying = withTransientRetries(copilot, { retries: 2, baseDelayMs: 1000, wait: async (ms) => { waits.push(ms); } });
    const { output } = await retrying.run(request());
    expect(output).toMatch(/SPEC done/);
    expect(waits).toEqual([1000, 2000]);
    expect(calls()).toHaveLength(3);

    const permanent = setup({ SPEC: { exit: 1, message: 'Error: model not available' } });
    const once = withTransientRetries(permanent.copilot, { retries: 2, baseDelayMs: 1, wait: async () => {} });
    await expect(once.run(permanent.request())).rejects.toThrow(/model not available/);
    expect(permanent.calls()).toHaveLength(1);
  });
});

describe('command runner', () => {
  it('fills the argv template: {prompt}, {prompt_file}, {agent}, {model}, {stage}, {session}, ${ENV}', async () => {
    const { request, calls, featureDir, env } = setup();
    const runner = createCommandRunner({
      stages, featureDir, env: { ...env, EXTRA_FLAG: '--no-color' },
      argv: [fakeCopilot, '-p', '{prompt}', '--session-id', '{session}', '--agent', '{agent}', '--model', '{model}', '${EXTRA_FLAG}'],
    });
    await runner.run(request());
    const argv = calls()[0]!.argv as string[];
    expect(argv.slice(0, 2)).toEqual(['-p', '# Stage SPEC\nWrite the spec.']);
    expect(argv.slice(4)).toEqual(['--agent', 'ba', '--model', 'gpt-5', '--no-color']);
    const files = createCommandRunner({ stages, featureDir, env, argv: [fakeCopilot, '-p', 'Read {prompt_file} for stage {stage}'] });
    await files.run(request());
    expect((calls()[1]!.argv as string[])[1]).toBe('Read .teambot/feature/prompts/SPEC-1.md for stage SPEC');
    expect(readdirSync(join(featureDir, 'prompts'))).toEqual(['SPEC-1.md']);
  });

  it('says when the agent command is not installed', async () => {
    const { request, featureDir } = setup();
    const runner = createCommandRunner({ stages, featureDir, argv: ['teambot-no-such-agent-cli', '{prompt}'] });
    await expect(runner.run(request())).rejects.toThrow(AgentRunError);
    await expect(runner.run(request())).rejects.toThrow(/teambot-no-such-agent-cli is not installed or not on PATH/);
  });
});
