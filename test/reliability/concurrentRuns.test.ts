import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { withDeadline } from '../support/processes.js';
import { runCli, spawnCli } from '../support/runCli.js';
import {
  commands, createProject, feature, featureDirectory, readEvents, snapshot, stackTraceLine, stateFile, workingStages,
} from '../support/project.js';

interface StatusJson {
  feature: string;
  status: string;
  run: string;
  process?: { pid: number };
  current_stage: string;
  stages: { id: string; status: string }[];
  resume_command: string | null;
}

/** Everything but events.jsonl, which the running process may append agent output to at any moment. */
function withoutEventLog(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([path]) => !path.endsWith('events.jsonl')));
}

describe('two runs on one feature at once', () => {
  it('refuses the second with [run-in-progress], lets `status` read the live run, and the first resumes intact', async () => {
    // RESEARCH lasts ten minutes: the first run holds the feature until the test cancels it, after
    // every check, however long they take; TEST_STRATEGY, beside it in the parallel group, finishes at once.
    const cwd = createProject('default_ms: 5\nstages:\n  RESEARCH: { ms: 600000 }\n');
    const first = spawnCli(commands.run, { cwd });
    onTestFinished(() => {
      first.subprocess.kill('SIGKILL'); // only if a check failed: by then it has exited
    });
    await withDeadline(first.waitForOutput(/stage\.completed\s+TEST_STRATEGY/), 30_000, 'the first run to complete TEST_STRATEGY');
    const firstPid = first.subprocess.pid!;
    const lockPath = join(cwd, featureDirectory, 'run.lock');
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: firstPid });
    const before = withoutEventLog(snapshot(cwd));

    // All at once, while RESEARCH still runs: the same run again, with --fresh, a resume, and status (text and JSON).
    const [again, fresh, resume, status, statusJson] = await Promise.all([
      runCli(commands.run, { cwd }),
      runCli([...commands.run, '--fresh'], { cwd }),
      runCli(commands.resume, { cwd }),
      runCli(commands.status, { cwd }),
      runCli([...commands.status, '--json'], { cwd }),
    ]);
    expect(first.subprocess.exitCode, 'the first run was still running during every check').toBeNull();

    for (const [name, refused] of [['run', again], ['run --fresh', fresh], ['resume', resume]] as const) {
      const context = `${name}\nstdout: ${refused.stdout}\nstderr: ${refused.stderr}`;
      expect(refused.exitCode, context).toBe(2);
      expect(refused.stderr, context).toMatch(new RegExp(
        `run\\.lock: another teambot run is using this feature directory \\(process ${firstPid} on .+\\) \\[run-in-progress\\]\\n\\s+fix: \\S`));
      expect(refused.stderr, context).not.toMatch(stackTraceLine);
      expect(refused.stdout, context).toBe('');
    }

    expect(status.stderr).toBe('');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${feature}: running \\(pid ${firstPid} on \\S+, since \\S+\\)\\n`));
    expect(status.stdout).toMatch(/✓ TEST_STRATEGY\s+completed/);
    expect(status.stdout).toMatch(/▸ RESEARCH\s+running/);
    expect(status.stdout).toContain(`to stop it: Ctrl+C where it runs, or kill -INT ${firstPid}`);
    expect(status.stdout, 'a running run is not offered for resuming').not.toMatch(/resume:/);
    expect(statusJson.exitCode).toBe(0);
    const json = JSON.parse(statusJson.stdout) as StatusJson;
    expect(json).toMatchObject({ feature, status: 'in_progress', run: 'running', process: { pid: firstPid }, current_stage: 'PARALLEL_GROUP:post_spec_review', resume_command: null });
    expect(json.stages.find((stage) => stage.id === 'SPEC_REVIEW')?.status).toBe('completed');
    expect(json.stages.find((stage) => stage.id === 'TEST_STRATEGY')?.status).toBe('completed');
    expect(json.stages.find((stage) => stage.id === 'RESEARCH')?.status).toBe('running');
    expect(json.stages.find((stage) => stage.id === 'PLAN')?.status).toBe('pending');

    // Neither the refusals nor status wrote anything: same files, same bytes, same mtimes, the lock still the first run's.
    expect(withoutEventLog(snapshot(cwd))).toEqual(before);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: firstPid });

    // Done checking: cancel the first run (RESEARCH would run for ten minutes), then resume it.
    first.subprocess.kill('SIGINT');
    const cancelled = await withDeadline(first.subprocess, 15_000, 'the first run to exit after SIGINT');
    expect(cancelled.stderr).toMatch(/cancelling/);
    expect(cancelled.stderr).not.toMatch(stackTraceLine);
    expect(cancelled.exitCode).toBe(130);
    expect(existsSync(lockPath), 'the cancelled run released its lock').toBe(false);
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 5\n');
    const resumed = await withDeadline(runCli(commands.resume, { cwd }), 30_000, 'the resumed run to complete');
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);

    const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as { status: string; stage_outputs: Record<string, string> };
    expect(state.status).toBe('complete');
    expect(Object.keys(state.stage_outputs).sort()).toEqual([...workingStages].sort());
    const events = readEvents(cwd);
    expect(events.filter((event) => event.type === 'run.started')).toEqual([
      expect.not.objectContaining({ resumed: true }), expect.objectContaining({ resumed: true }),
    ]);
    // The restored snapshot is inside the group: the resumed session says the group runs again, for RESEARCH alone.
    expect(events.filter((event) => event.type === 'group.started')).toEqual([
      expect.not.objectContaining({ resumed: true }),
      expect.objectContaining({ group: 'post_spec_review', resumed: true, remaining: ['RESEARCH'] }),
    ]);
    expect(events.filter((event) => event.type === 'run.completed')).toEqual([
      expect.objectContaining({ status: 'cancelled' }), expect.objectContaining({ status: 'complete' }),
    ]);
    for (const stage of workingStages) {
      // RESEARCH, cancelled while running, starts again on resume; every other stage ran once.
      expect(events.filter((event) => event.type === 'stage.started' && event.stage === stage), stage).toHaveLength(stage === 'RESEARCH' ? 2 : 1);
      expect(events.filter((event) => event.type === 'stage.completed' && event.stage === stage), stage).toHaveLength(1);
    }
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(join(cwd, featureDirectory)).filter((name) => /^orchestration_state\..+\.json$/.test(name)), 'nothing archived').toEqual([]);
  }, 90_000);
});
