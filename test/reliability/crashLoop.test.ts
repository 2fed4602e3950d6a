import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath, runCliInProcess } from '../support/runCli.js';
import {
  commands, createProject, featureDirectory, fileSize, readEvents, seededRandom, stateFile, waitForEventLine, workingStages, type LoggedEvent,
} from '../support/project.js';
import { readRunState } from '../support/runState.js';

/**
 * SIGKILL at random points of the run's progress, then resume, again and again: the state file
 * must parse after every kill, a stage recorded as completed must never run again, and every
 * run must end complete with every stage's output. Each kill is triggered by the run itself,
 * never by the clock since the process started: after the Nth `stage.started` line the session
 * appends to events.jsonl (N drawn from 1–STEPS, at most the stages it still has to start), plus a random 0–2
 * agent calls more, so it may land inside a call or on a stage boundary. In a session that is
 * to be killed the last stage's agent call never ends (HOLD_MS), so every kill lands after the
 * first checkpoint and before run.completed however slow the machine; the test counts and
 * asserts that. A run with only its last stage left is resumed to the end, unkilled, and the
 * loop goes on with a new run.
 *
 * TEAMBOT_RELIABILITY_KILLS (default 10) sets the number of kills; TEAMBOT_RELIABILITY_SEED
 * (default fixed) picks the kill points; every failure message names both the seed and the kill.
 */
const kills = Number(process.env.TEAMBOT_RELIABILITY_KILLS ?? 10);
const seed = Number(process.env.TEAMBOT_RELIABILITY_SEED ?? 20261123);
if (!Number.isInteger(kills) || kills < 1) throw new Error(`TEAMBOT_RELIABILITY_KILLS must be a whole number ≥ 1, not ${process.env.TEAMBOT_RELIABILITY_KILLS}`);
if (!Number.isInteger(seed)) throw new Error(`TEAMBOT_RELIABILITY_SEED must be a whole number, not ${process.env.TEAMBOT_RELIABILITY_SEED}`);

/** Each agent call takes this long, so a kill can land inside a call as well as between stages. */
const AGENT_MS = 100;
/** The last stage's agent call in a session that is to be killed: it cannot finish before the kill. */
const HOLD_MS = 600_000;
/** A kill comes after one of the session's first STEPS stage starts: a few kills per run, spread over every stage. */
const STEPS = 5;
/** The longest any one wait may take (a line of events.jsonl, a process exit) before the test fails saying what it awaited. */
const DEADLINE_MS = 60_000;
const lastStage = workingStages.at(-1)!;
const simulation = {
  killed: `default_ms: ${AGENT_MS}\nstages:\n  ${lastStage}: { ms: ${HOLD_MS} }\n`,
  toTheEnd: `default_ms: ${AGENT_MS}\n`,
};

interface State { schema_version: number; status: string; stage_outputs: Record<string, string>; stages: Record<string, { status: string }> }

function completedStages(cwd: string): Set<string> {
  if (!existsSync(join(cwd, stateFile))) return new Set();
  const state = readRunState<State>(join(cwd, featureDirectory));
  return new Set(Object.entries(state.stages).filter(([, stage]) => stage.status === 'completed').map(([id]) => id));
}

/** The CLI as a process of its own, killed and reported by `what` when it runs past DEADLINE_MS. */
function teambot(args: readonly string[], cwd: string) {
  return execa('node', [cliPath, ...args], {
    cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore', timeout: DEADLINE_MS, killSignal: 'SIGKILL',
  });
}

async function finished(child: ReturnType<typeof teambot>, what: string) {
  const result = await child;
  if (result.timedOut) throw new Error(`${what}: still running after ${DEADLINE_MS} ms (killed); stderr: ${result.stderr.slice(-1000)}`);
  return result;
}

describe('crash loop', () => {
  it(`survives ${kills} SIGKILLs at random points of the run's progress: every kill mid-workflow, the state always parses, no stage completes twice, every run completes`, async () => {
    const random = seededRandom(seed);
    const figures = { kills: 0, midWorkflow: 0, resumes: 0, starts: 0, stageStarts: 0, reexecuted: 0, runsCompleted: 0 };
    const where = () => `seed ${seed} (TEAMBOT_RELIABILITY_SEED), kill ${figures.kills + 1} of ${kills}`;
    /** The stage each kill interrupted (running at the kill), for the figures. */
    const killedIn = new Map<string, number>();

    /** Checks a run that finished: complete, every stage's output, no stage completed twice. */
    const checkCompleted = (cwd: string) => {
      const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as State;
      expect(state.status, where()).toBe('complete');
      expect(Object.keys(state.stage_outputs).sort(), where()).toEqual([...workingStages].sort());
      const events = readEvents(cwd);
      for (const stage of workingStages) {
        // A kill between the state write and the event that announces it may lose the event, never add one.
        expect(events.filter((event) => event.type === 'stage.completed' && event.stage === stage).length, `${stage}, ${where()}`).toBeLessThanOrEqual(1);
      }
      figures.runsCompleted++;
    };

    const startedBefore = new Set<string>(); // stages started in an earlier session of this run
    /** No stage the state recorded as completed starts again; counts starts and re-executions; returns the session's events. */
    const checkSession = (cwd: string, eventsBefore: number, completedBefore: Set<string>) => {
      const session = readEvents(cwd).slice(eventsBefore);
      for (const event of session) {
        if (event.type !== 'stage.started' || event.stage === undefined) continue;
        expect(completedBefore.has(event.stage), `${event.stage} was completed before this session yet started again (${where()})`).toBe(false);
        figures.stageStarts++;
        if (startedBefore.has(event.stage)) figures.reexecuted++;
        startedBefore.add(event.stage);
      }
      return session;
    };

    let cwd = createProject(simulation.killed);
    let sessionOfRun = 0;
    while (figures.kills < kills) {
      const resuming = existsSync(join(cwd, stateFile));
      const completedBefore = completedStages(cwd);
      const eventsPath = join(cwd, featureDirectory, 'events.jsonl');
      const eventsBefore = readEvents(cwd).length;
      const toStart = workingStages.filter((stage) => !completedBefore.has(stage));
      // The last stage alone left: resume to the end. Otherwise the kill comes after the Nth stage start.
      const kill = toStart.length > 1;
      writeFileSync(join(cwd, 'sim.yaml'), kill ? simulation.killed : simulation.toTheEnd);
      sessionOfRun++;
      const session = teambot(resuming ? commands.resume : commands.run, cwd);
      figures.starts++;
      if (resuming) figures.resumes++;
      let exited: string | undefined;
      void session.then((result) => {
        exited = `the session exited first (exit code ${result.exitCode}, signal ${result.signal}); stderr: ${result.stderr.slice(-1000)}`;
      });

      let checkpointBeforeKill = false;
      if (kill) {
        const nth = 1 + Math.floor(random() * Math.min(toStart.length, STEPS));
        const afterMs = random() * 2 * AGENT_MS;
        await waitForEventLine(eventsPath, {
          fromByte: fileSize(eventsPath), nth, matches: (event) => event.type === 'stage.started',
          what: `stage.started #${nth} of session ${sessionOfRun} of run ${figures.runsCompleted + 1} (${toStart.length} stages to start; ${where()})`,
          timeoutMs: DEADLINE_MS, gaveUp: () => exited,
        }).catch((error: unknown) => {
          session.kill('SIGKILL'); // its last stage would hold it for HOLD_MS
          throw error;
        });
        await new Promise((resolve) => setTimeout(resolve, afterMs));
        checkpointBeforeKill = existsSync(join(cwd, stateFile));
        session.kill('SIGKILL');
      }
      const result = await finished(session, `session ${sessionOfRun} of run ${figures.runsCompleted + 1} (${where()})`);
      const events = checkSession(cwd, eventsBefore, completedBefore);

      if (!kill) {
        expect(result.exitCode, `${result.stderr} (${where()})`).toBe(0);
        checkCompleted(cwd);
        cwd = createProject(simulation.killed);
        startedBefore.clear();
        sessionOfRun = 0;
        continue;
      }
      expect(result.signal, `the session was to be killed (${where()}): ${result.stderr}`).toBe('SIGKILL');

      // The state file parses, for JSON and for teambot, and still holds every stage completed before.
      const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as State;
      expect(state.schema_version, where()).toBe(2);
      const completedAfter = completedStages(cwd);
      for (const stage of completedBefore) expect(completedAfter.has(stage), `${stage} lost its completion (${where()})`).toBe(true);
      // Mid-workflow: the first checkpoint existed when the kill was sent, and the run had not completed.
      const completedRun = events.some((event) => event.type === 'run.completed');
      expect({ checkpointBeforeKill, status: state.status, completedRun }, `where the kill landed (${where()})`)
        .toEqual({ checkpointBeforeKill: true, status: 'in_progress', completedRun: false });
      figures.midWorkflow++;
      for (const [stage, record] of Object.entries(state.stages)) {
        if (record.status === 'running' || record.status === 'in_progress') killedIn.set(stage, (killedIn.get(stage) ?? 0) + 1);
      }
      const status = await runCliInProcess([...commands.status, '--json'], { cwd });
      expect(status.stderr, where()).toBe('');
      expect(status.exitCode, where()).toBe(0);
      figures.kills++;
    }

    // The last run, interrupted: resume it to the end, unkilled.
    const completedBefore = completedStages(cwd);
    const eventsBefore = readEvents(cwd).length;
    writeFileSync(join(cwd, 'sim.yaml'), simulation.toTheEnd);
    const last = await finished(teambot(commands.resume, cwd), `the final resume (seed ${seed})`);
    expect(last.exitCode, last.stderr).toBe(0);
    figures.resumes++;
    checkSession(cwd, eventsBefore, completedBefore);
    checkCompleted(cwd);

    expect(figures.midWorkflow, `kills that landed after the first checkpoint and before run.completed (seed ${seed})`).toBe(kills);
    const perKill = (count: number) => (count / figures.kills).toFixed(2);
    console.log([
      `crash loop (seed ${seed}, agent calls ${AGENT_MS} ms; each kill after stage.started #1–${STEPS} of the session, then 0–${2 * AGENT_MS} ms):`,
      `  kills ${figures.kills}, ${figures.midWorkflow} of them mid-workflow (after the first checkpoint, before run.completed)`,
      `  resumes ${figures.resumes}, runs completed ${figures.runsCompleted}, processes started ${figures.starts + 1}`,
      `  stage starts ${figures.stageStarts}, re-executed after a kill ${figures.reexecuted} (${perKill(figures.reexecuted)} per kill)`,
      `  running at the kill: ${[...killedIn].map(([stage, count]) => `${stage} ${count}`).join(', ') || '(between stages only)'}`,
      '  the state file parsed after every kill; no completed stage ran again',
    ].join('\n'));
  }, 60_000 + kills * 15_000); // about 3 s a kill on an idle 2-core machine, 8 s beside two CPU hogs and other test files
});
