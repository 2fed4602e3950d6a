import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageOf } from '../../machines/session/runEvents.js';
import { withDeadline } from '../support/processes.js';
import { demoProject as project, type LoggedEvent } from '../support/project.js';
import { runCliInProcess, spawnCli } from '../support/runCli.js';

/**
 * What needs teambot as a process of its own: signals (Ctrl+C, SIGTERM,
 * SIGKILL) and the run lock another process holds. Each kill or signal follows
 * the run's printed progress; the resumes that follow run in-process.
 */

const PROCESSES = { timeout: 60_000 };
const WAIT_MS = 30_000;

/** Events logged since the last run.started. */
const lastRun = (events: LoggedEvent[]) => events.slice(events.map((event) => event.type).lastIndexOf('run.started'));

describe('cancel', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('cancels on %s: agents stopped, status cancelled, exit 130', async (signal) => {
    // RESEARCH lasts ten minutes: only the signal, sent once RESEARCH is seen running, ends it.
    const { cwd, run: args, events: eventsOf } = project('default_ms: 1\nstages:\n  RESEARCH: { ms: 600000 }\n');
    const run = spawnCli(args, { cwd });
    await withDeadline(run.waitForOutput(/stage\.started\s+RESEARCH/), 30_000, 'the run to start RESEARCH');
    run.subprocess.kill(signal);
    const result = await withDeadline(run.subprocess, 15_000, `the run to exit after ${signal}`);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toMatch(/cancelling/);
    const events = eventsOf();
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', status: 'cancelled' });
    expect(events.some((event) => event.type === 'stage.completed' && event.stage === 'RESEARCH')).toBe(false);
    // The stopped stage has one name everywhere: the summary just printed and `teambot status` agree.
    expect(String(result.stdout)).toMatch(/RESEARCH +[^\n]*interrupted \(cancelled\)/);
    const status = await runCliInProcess(['status'], { cwd });
    expect(status.stdout).toMatch(/■ RESEARCH +interrupted/);
  }, 60_000);

});

// SIGKILL at many points of a run's progress, resumed each time: test/reliability/crashLoop.test.ts.
describe('resume after a crash', PROCESSES, () => {
  it('SIGKILL while TEST_STRATEGY runs and RESEARCH is done: resume re-runs only TEST_STRATEGY', async () => {
    const p = project('default_ms: 5\nstages:\n  RESEARCH: { ms: 50 }\n  TEST_STRATEGY: { ms: 60000 }\n');
    const first = spawnCli(p.run, { cwd: p.cwd });
    await withDeadline(first.waitForOutput(/stage\.completed\s+RESEARCH/), WAIT_MS, 'the first run to print stage.completed RESEARCH');
    const research = join(p.featureDir, 'artifacts', 'research.md');
    const artifactBefore = { text: readFileSync(research, 'utf8'), mtime: statSync(research).mtimeMs };
    first.subprocess.kill('SIGKILL');
    await withDeadline(first.subprocess, WAIT_MS, 'the first run to exit after SIGKILL');

    const saved = p.state();
    expect(saved.status).toBe('in_progress');
    expect(saved.current_stage).toBe('PARALLEL_GROUP:post_spec_review');
    expect(saved.parallel_group_status).toEqual({ post_spec_review: { stages: {
      RESEARCH: { status: 'completed', error: null }, TEST_STRATEGY: { status: 'in_progress', error: null } } } });
    const researchOutput = saved.stage_outputs.RESEARCH;
    expect(researchOutput).toMatch(/RESEARCH/);

    p.simulate('default_ms: 5\n');
    const resumed = await runCliInProcess(p.resume, { cwd: p.cwd });
    // Nothing but preflight's warnings (a simulation without acceptance_test_command) and their fixes.
    expect(resumed.stderr.split('\n').filter((line) => line !== '' && !/^(warning: |  fix: )/.test(line))).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toMatch(/skipping SETUP … RESEARCH: completed\n {2}re-running TEST_STRATEGY: was running/);
    const after = lastRun(p.events());
    expect(after.filter((event) => event.type === 'stage.started').map((event) => event.stage)[0]).toBe('TEST_STRATEGY');
    expect(after.some((event) => stageOf(event) === 'RESEARCH' && event.type === 'stage.started')).toBe(false);
    expect(readFileSync(research, 'utf8')).toBe(artifactBefore.text);
    expect(statSync(research).mtimeMs).toBe(artifactBefore.mtime);
    expect(p.state()).toMatchObject({ status: 'complete', stage_outputs: { RESEARCH: researchOutput } });
  });
});

describe('run lock', PROCESSES, () => {
  it('refuses a second run on a feature in use, and takes over a lock left by a dead process', async () => {
    const p = project('default_ms: 2\nstages:\n  SETUP: { ms: 60000 }\n');
    const first = spawnCli(p.run, { cwd: p.cwd });
    await withDeadline(first.waitForOutput(/stage\.started\s+SETUP/), WAIT_MS, 'the first run to print stage.started SETUP');
    const second = await runCliInProcess([...p.run, '--fresh'], { cwd: p.cwd });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/another teambot run is using this feature directory \(process \d+/);
    first.subprocess.kill('SIGKILL');
    await withDeadline(first.subprocess, WAIT_MS, 'the first run to exit after SIGKILL');
    expect(existsSync(join(p.featureDir, 'run.lock'))).toBe(true);
    p.simulate('default_ms: 2\n');
    const taken = await runCliInProcess(p.resume, { cwd: p.cwd });
    expect(taken.exitCode).toBe(0);
    expect(existsSync(join(p.featureDir, 'run.lock'))).toBe(false);
  });
});

