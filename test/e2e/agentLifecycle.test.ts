import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, waitFor, withDeadline } from '../support/processes.js';
import { demoFeature as feature } from '../support/project.js';
import { cliPath, runCliInProcess } from '../support/runCli.js';
import { startInTerminal, type TerminalSession } from '../support/terminal.js';
import { fakeCopilotProject } from '../support/fakeCopilotProject.js';

/**
 * No agent outlives teambot: real teambot processes with the fake copilot,
 * whose agents start a setsid grandchild (a dev server leaving the process
 * group) or ignore SIGTERM. Every kill follows what the agents logged (their
 * pids), every wait has a deadline, and no assertion is about time.
 */

const WAIT_MS = 30_000;

/** The two parallel stages after SPEC_REVIEW: one agent with a setsid grandchild, one that ignores SIGTERM. */
const STUBBORN = {
  RESEARCH: { hang: true, setsid_child: true },
  TEST_STRATEGY: { hang: true, ignore_sigterm: true },
};

/** The fake-copilot project (support/fakeCopilotProject.ts), and teambot started on it with a kill grace for the run. */
async function agentProject(script: Record<string, unknown>) {
  const project = await fakeCopilotProject(script);
  const { cwd, calls, featureDir } = project;
  const agentEnvironment = (killGraceMs: number) => project.env({ TEAMBOT_KILL_GRACE_MS: String(killGraceMs) });
  const spawnTeambot = (args: string[], killGraceMs: number) => watched(execa('node', [cliPath, ...args, '--no-ui'], {
    cwd, reject: false, stdin: 'ignore', env: agentEnvironment(killGraceMs),
  }));
  loggedPids.push(() => calls().flatMap((call) => [call.pid, call.setsid_child]).filter((pid): pid is number => pid !== undefined));
  return {
    cwd, featureDir,
    lockPath: join(featureDir, 'run.lock'),
    run: (killGraceMs: number) => spawnTeambot(['run', 'objective.md'], killGraceMs),
    /** `teambot run` with the live view, in a terminal emulator as a person would see it (no CI, no NO_COLOR). */
    runInTerminal: (killGraceMs: number) => {
      const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...person } = process.env;
      const { NO_COLOR: _plain, ...environment } = agentEnvironment(killGraceMs);
      return startInTerminal(process.execPath, [cliPath, 'run', 'objective.md'], { cwd, env: { ...person, ...environment } });
    },
    resume: (killGraceMs: number) => spawnTeambot(['resume', join('.teambot', feature)], killGraceMs),
    setScript: project.setScript,
    calls,
    /** The pids of `stage`'s agents (in start order), and of the setsid grandchildren they logged. */
    pidsOf: (stage: string) => calls().filter((call) => call.stage === stage && call.pid !== undefined).map((call) => call.pid!),
    setsidChildren: () => calls().filter((call) => call.setsid_child !== undefined).map((call) => call.setsid_child!),
    agentsFile: () => JSON.parse(readFileSync(join(featureDir, 'agents.json'), 'utf8')) as {
      teambot_pid: number; watchdog_pid?: number; agents: { stage: string; pid: number }[];
    },
  };
}

/** A teambot process and what it has printed so far, with a deadline-bound wait for a pattern. */
function watched(subprocess: ResultPromise) {
  let stdout = '';
  let stderr = '';
  subprocess.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  subprocess.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    subprocess,
    stderr: () => stderr,
    waitForStderr: (pattern: RegExp, what: string) => waitFor(() => pattern.test(stderr), WAIT_MS,
      `${what}; stderr so far:\n${stderr.slice(-2000)}\nstdout so far:\n${stdout.slice(-2000)}`),
  };
}

/** Waits until the stubborn agents of STUBBORN (and the setsid grandchild) have logged their pids; returns them. */
async function stubbornAgentsRunning(project: Awaited<ReturnType<typeof agentProject>>) {
  await waitFor(() => project.pidsOf('RESEARCH').length > 0 && project.pidsOf('TEST_STRATEGY').length > 0 && project.setsidChildren().length > 0,
    WAIT_MS, 'RESEARCH, its setsid grandchild and TEST_STRATEGY to log their pids');
  const pids = [project.pidsOf('RESEARCH')[0]!, project.setsidChildren()[0]!, project.pidsOf('TEST_STRATEGY')[0]!];
  expect(pids.map(isAlive)).toEqual([true, true, true]);
  return pids;
}

const noneRunning = (pids: readonly number[]) => () => pids.every((pid) => !isAlive(pid));

let terminal: TerminalSession | undefined;
/** Every process the fake agents of this file's projects logged: a failing test must not leave them running. */
const loggedPids: (() => number[])[] = [];
afterEach(() => {
  terminal?.dispose();
  terminal = undefined;
  for (const pid of loggedPids.splice(0).flatMap((pids) => pids()).filter(isAlive)) process.kill(pid, 'SIGKILL');
});

describe('no agent outlives teambot', () => {
  it('the live view says how many agents it is stopping, and a second Ctrl+C kills them and quits', async () => {
    const project = await agentProject(STUBBORN);
    terminal = project.runInTerminal(600_000);
    const pids = await stubbornAgentsRunning(project);
    terminal.write('\x03');
    await terminal.waitForScreen((screen) => /stopping 2 agents… \(Ctrl\+C again to kill\)/.test(screen),
      { deadlineMs: WAIT_MS, what: 'the header to say it is stopping 2 agents' });
    terminal.write('\x03');
    const exit = await terminal.waitForExit({ deadlineMs: WAIT_MS, what: 'teambot to quit after the second Ctrl+C' });
    expect(exit.exitCode).toBe(130);
    await waitFor(noneRunning(pids), WAIT_MS, `the agents and the grandchild (${pids.join(', ')}) to be gone`);
  }, 90_000);

  it('Ctrl+C kills a setsid grandchild and a SIGTERM-ignoring agent, and releases the lock only after they are gone', async () => {
    const project = await agentProject(STUBBORN);
    const teambot = project.run(200);
    const pids = await stubbornAgentsRunning(project);
    teambot.subprocess.kill('SIGINT');
    await teambot.waitForStderr(/cancelling: stopping 2 agents… \(Ctrl\+C again to kill\)/, 'the stopping message');
    // Whenever the lock is seen gone, every agent must be gone already.
    await waitFor(() => !existsSync(project.lockPath), WAIT_MS, 'the run lock to be released');
    expect(pids.filter(isAlive)).toEqual([]);
    const result = await withDeadline(teambot.subprocess, WAIT_MS, 'teambot to exit after SIGINT');
    expect(result.exitCode).toBe(130);
    expect(project.agentsFile().agents).toEqual([]);
  }, 90_000);

  it('a second Ctrl+C SIGKILLs every agent tree and exits 130', async () => {
    const project = await agentProject(STUBBORN);
    // A grace no test waits out: only the second Ctrl+C can end the agents that ignore SIGTERM.
    const teambot = project.run(600_000);
    const pids = await stubbornAgentsRunning(project);
    teambot.subprocess.kill('SIGINT');
    await teambot.waitForStderr(/stopping 2 agents…/, 'the stopping message');
    teambot.subprocess.kill('SIGINT');
    const result = await withDeadline(teambot.subprocess, WAIT_MS, 'teambot to exit after the second SIGINT');
    expect(result.exitCode).toBe(130);
    await waitFor(noneRunning(pids), WAIT_MS, `the agents and the grandchild (${pids.join(', ')}) to be gone`);
    expect(existsSync(project.lockPath)).toBe(false);
  }, 90_000);

  it('SIGKILL of teambot: its watchdog kills every agent tree, then exits', async () => {
    const project = await agentProject(STUBBORN);
    const teambot = project.run(200);
    const pids = await stubbornAgentsRunning(project);
    const watchdog = project.agentsFile().watchdog_pid!;
    expect(isAlive(watchdog)).toBe(true);
    teambot.subprocess.kill('SIGKILL');
    await withDeadline(teambot.subprocess, WAIT_MS, 'teambot to exit after SIGKILL');
    await waitFor(noneRunning(pids), WAIT_MS, `the watchdog to kill the agents and the grandchild (${pids.join(', ')})`);
    await waitFor(noneRunning([watchdog]), WAIT_MS, `the watchdog (pid ${watchdog}) to exit`);
  }, 90_000);

  it('agents left by a dead teambot and its dead watchdog are killed by the next resume before it starts an agent', async () => {
    // Silent: an agent that prints dies of its closed stdout once teambot is gone, and these must stay for the resume to kill.
    const project = await agentProject({ RESEARCH: { silent_hang: true, setsid_child: true }, TEST_STRATEGY: { silent_hang: true } });
    const first = project.run(200);
    await waitFor(() => project.pidsOf('RESEARCH').length > 0 && project.pidsOf('TEST_STRATEGY').length > 0 && project.setsidChildren().length > 0,
      WAIT_MS, 'RESEARCH, its setsid grandchild and TEST_STRATEGY to log their pids');
    await waitFor(() => existsSync(join(project.featureDir, 'agents.json')) && project.agentsFile().agents.length === 2,
      WAIT_MS, 'agents.json to record both agents');
    const leftovers = [project.pidsOf('RESEARCH')[0]!, project.setsidChildren()[0]!, project.pidsOf('TEST_STRATEGY')[0]!];
    // Kill the watchdog first, so that nothing is left to clean up after teambot.
    const watchdog = project.agentsFile().watchdog_pid!;
    process.kill(watchdog, 'SIGKILL');
    await waitFor(noneRunning([watchdog]), WAIT_MS, `the watchdog (pid ${watchdog}) to die`);
    first.subprocess.kill('SIGKILL');
    await withDeadline(first.subprocess, WAIT_MS, 'teambot to exit after SIGKILL');
    expect(leftovers.map(isAlive)).toEqual([true, true, true]);
    // status tells the truth: no teambot runs it, but its agents do.
    const status = JSON.parse((await runCliInProcess(['status', feature, '--json'], { cwd: project.cwd })).stdout) as
      { run: string; stray_agents?: { stage: string; pid: number }[] };
    expect(status.run).toBe('interrupted');
    expect(status.stray_agents?.map((agent) => agent.stage).sort()).toEqual(['RESEARCH', 'TEST_STRATEGY']);
    expect((await runCliInProcess(['status', feature], { cwd: project.cwd })).stdout)
      .toMatch(/still running without teambot: .*RESEARCH \(pid \d+\).*; the next run or resume stops them first/);

    project.setScript({ RESEARCH: { hang: true }, TEST_STRATEGY: { hang: true } });
    const resumed = project.resume(200);
    await waitFor(() => project.pidsOf('RESEARCH').length > 1 || project.pidsOf('TEST_STRATEGY').length > 1, WAIT_MS,
      'the resume to start an agent');
    // The new agent is running, so the leftovers must have been gone before it started.
    expect(leftovers.filter(isAlive)).toEqual([]);
    resumed.subprocess.kill('SIGINT');
    const result = await withDeadline(resumed.subprocess, WAIT_MS, 'the resume to exit after SIGINT');
    expect(result.exitCode).toBe(130);
    const agents = [...project.pidsOf('RESEARCH'), ...project.pidsOf('TEST_STRATEGY')];
    expect(agents.filter(isAlive)).toEqual([]);
  }, 90_000);
});
