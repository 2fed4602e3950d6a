import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../support/runCli.js';
import { commands, createProject, featureDirectory, stateFile, workingStages, type LoggedEvent } from '../support/project.js';

/**
 * SIGKILL at random moments, then resume, again and again: the state file must
 * parse after every kill, a stage recorded as completed must never run again,
 * and every run must end complete with every stage's output. When a run
 * completes before all the kills are spent, the loop goes on with a new one.
 *
 * TEAMBOT_RELIABILITY_KILLS (default 10) sets the number of kills;
 * TEAMBOT_RELIABILITY_SEED replays the kill moments of an earlier run (printed with the figures).
 */
const kills = Number(process.env.TEAMBOT_RELIABILITY_KILLS ?? 10);
const seed = Number(process.env.TEAMBOT_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(kills) || kills < 1) throw new Error(`TEAMBOT_RELIABILITY_KILLS must be a whole number ≥ 1, not ${process.env.TEAMBOT_RELIABILITY_KILLS}`);
if (!Number.isInteger(seed)) throw new Error(`TEAMBOT_RELIABILITY_SEED must be a whole number, not ${process.env.TEAMBOT_RELIABILITY_SEED}`);

/** Each agent call takes this long, so a process lives through a few stages before it is killed. */
const AGENT_MS = 100;
/** A kill comes this long after the process starts: sometimes during start-up, mostly mid-workflow. */
const KILL_AFTER_MS = { min: 50, max: 1200 };

interface State { schema_version: number; status: string; stage_outputs: Record<string, string>; stages: Record<string, { status: string }> }

function completedStages(cwd: string): Set<string> {
  if (!existsSync(join(cwd, stateFile))) return new Set();
  const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as State;
  return new Set(Object.entries(state.stages).filter(([, stage]) => stage.status === 'completed').map(([id]) => id));
}

function eventLines(cwd: string): LoggedEvent[] {
  const path = join(cwd, featureDirectory, 'events.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as LoggedEvent);
}

describe('crash loop', () => {
  it(`survives ${kills} SIGKILLs at random moments: the state always parses, no stage completes twice, every run completes`, async () => {
    let random = seed;
    const nextRandom = () => ((random = (random * 1103515245 + 12345) % 2147483648) / 2147483648);
    const figures = { kills: 0, resumes: 0, starts: 0, stageStarts: 0, reexecuted: 0, runsCompleted: 0 };
    const where = () => `seed ${seed}, kill ${figures.kills + 1}`;

    /** Checks a run that finished: complete, every stage's output, no stage completed twice. */
    const checkCompleted = (cwd: string) => {
      const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as State;
      expect(state.status, where()).toBe('complete');
      expect(Object.keys(state.stage_outputs).sort(), where()).toEqual([...workingStages].sort());
      const events = eventLines(cwd);
      for (const stage of workingStages) {
        // A kill between the state write and the event that announces it may lose the event, never add one.
        expect(events.filter((event) => event.type === 'stage.completed' && event.stage === stage).length, `${stage}, ${where()}`).toBeLessThanOrEqual(1);
      }
      figures.runsCompleted++;
    };

    const startedBefore = new Set<string>(); // stages started in an earlier session of this run
    /** No stage the state recorded as completed starts again; counts starts and re-executions. */
    const checkSession = (cwd: string, eventsBefore: number, completedBefore: Set<string>) => {
      for (const event of eventLines(cwd).slice(eventsBefore)) {
        if (event.type !== 'stage.started' || event.stage === undefined) continue;
        expect(completedBefore.has(event.stage), `${event.stage} was completed before this session yet started again (${where()})`).toBe(false);
        figures.stageStarts++;
        if (startedBefore.has(event.stage)) figures.reexecuted++;
        startedBefore.add(event.stage);
      }
    };

    let cwd = createProject(`default_ms: ${AGENT_MS}\n`);
    while (figures.kills < kills) {
      const resuming = existsSync(join(cwd, stateFile));
      const completedBefore = completedStages(cwd);
      const eventsBefore = eventLines(cwd).length;
      const session = execa('node', [cliPath, ...(resuming ? commands.resume : commands.run)], {
        cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore',
      });
      figures.starts++;
      if (resuming) figures.resumes++;
      const timer = setTimeout(() => session.kill('SIGKILL'), KILL_AFTER_MS.min + nextRandom() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
      const result = await session;
      clearTimeout(timer);

      checkSession(cwd, eventsBefore, completedBefore);

      if (!result.isTerminated) {
        // The run ended before the kill: it must have completed. Go on with a new run.
        expect(result.exitCode, `${result.stderr} (${where()})`).toBe(0);
        checkCompleted(cwd);
        cwd = createProject(`default_ms: ${AGENT_MS}\n`);
        startedBefore.clear();
        continue;
      }
      figures.kills++;
      if (!existsSync(join(cwd, stateFile))) continue; // killed before the first checkpoint

      // The state file parses, for JSON and for teambot, and still holds every stage completed before.
      const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as State;
      expect(state.schema_version, where()).toBe(2);
      const completedAfter = completedStages(cwd);
      for (const stage of completedBefore) expect(completedAfter.has(stage), `${stage} lost its completion (${where()})`).toBe(true);
      const status = await runCli([...commands.status, '--json'], { cwd });
      expect(status.stderr, where()).toBe('');
      expect(status.exitCode, where()).toBe(0);
    }

    // The last run, interrupted: resume it to the end, unkilled.
    const resuming = existsSync(join(cwd, stateFile));
    const completedBefore = completedStages(cwd);
    const eventsBefore = eventLines(cwd).length;
    const last = await runCli(resuming ? commands.resume : commands.run, { cwd });
    expect(last.exitCode, last.stderr).toBe(0);
    if (resuming) figures.resumes++;
    checkSession(cwd, eventsBefore, completedBefore);
    checkCompleted(cwd);

    const perKill = (count: number) => (count / figures.kills).toFixed(2);
    console.log([
      `crash loop (seed ${seed}, agent calls ${AGENT_MS} ms, kill ${KILL_AFTER_MS.min}–${KILL_AFTER_MS.max} ms after start):`,
      `  kills ${figures.kills}, resumes ${figures.resumes}, runs completed ${figures.runsCompleted}, processes started ${figures.starts + 1}`,
      `  stage starts ${figures.stageStarts} (${perKill(figures.stageStarts)} per kill), re-executed after a kill ${figures.reexecuted} (${perKill(figures.reexecuted)} per kill)`,
      '  the state file parsed after every kill; no completed stage ran again',
    ].join('\n'));
  }, 60_000 + kills * 3_000);
});
