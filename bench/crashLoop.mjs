// Crash safety: kills a simulated run of the default workflow with SIGKILL at points of its
// progress, resuming after each kill, and reports where the kills landed, how much work each
// kill cost (stages started again beyond those the workflow needs) and whether the state file
// was ever unreadable.
//
// Each kill is triggered by the run, not by the clock since the process started: after the Nth
// `stage.started` line the session appends to events.jsonl (N = 1–5, drawn by a seeded PRNG, at
// most the stages it still has to start), then a random 0–2 agent calls more, so it lands inside
// an agent call or on a stage boundary. In a session that is to be killed the last stage's agent
// call never ends, so every kill lands after the first checkpoint and before run.completed on
// any machine (counted, and the benchmark fails otherwise). A run with only its last stage left
// is resumed to the end unkilled; then a new run starts, until `kills` kills have landed; the
// last run is resumed to the end.
//
//   node bench/crashLoop.mjs [kills=50] [callMs=600] [seed=20261123]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileSize, seededRandom, waitForEventLine } from '../test/support/runProgress.mjs';
import { cliPath, demoFeature, isMain, makeProject, metric, readEvents, removeDir, teambotCommand, useDistSnapshot } from './lib.mjs';

const COMMON = ['--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'];
/** The stages of the default workflow that do work, in order (COMPLETE, the terminal one, does none). */
const WORKING_STAGES = ['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY', 'PLAN', 'PLAN_REVIEW',
  'IMPLEMENTATION', 'IMPLEMENTATION_REVIEW', 'TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW'];
const LAST_STAGE = WORKING_STAGES.at(-1);
/** A kill comes after one of the session's first STEPS stage starts. */
const STEPS = 5;
/** The last stage's agent call in a session that is to be killed (an hour: it cannot end first). */
const HOLD_MS = 3_600_000;
/** The longest any one wait may take (a stage start, a process exit) before the benchmark fails saying what it awaited. */
const DEADLINE_MS = 120_000;
export const DEFAULT_SEED = 20261123;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `node dist/cli.js <args>`; `exit` settles with { exitCode, signal, stderr }, killed and failing after DEADLINE_MS. */
function startTeambot(args, cwd, what) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  let exited;
  const exit = new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}: still running after ${DEADLINE_MS} ms (killed)`));
    }, DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline);
      exited = `it exited first (exit code ${exitCode}, signal ${signal}): ${stderr.slice(-1000)}`;
      resolve({ exitCode, signal, stderr });
    });
  });
  return { child, exit, exited: () => exited };
}

/**
 * The run's state as of its last checkpoint, read as resume reads it (the state file and its
 * journal), through `teambot status --json`; throws when it cannot be read.
 */
function readState(statePath) {
  const featureDir = dirname(statePath);
  const status = spawnSync(process.execPath, [cliPath, 'status', featureDir, '--json'], { cwd: dirname(dirname(featureDir)), encoding: 'utf8' });
  if (status.status !== 0) throw new Error(`teambot status exited with ${status.status}: ${status.stderr}`);
  const state = JSON.parse(status.stdout);
  return { status: state.status, stages: Object.fromEntries(state.stages.map((stage) => [stage.id, stage])) };
}

/** @returns the crash-loop metrics: `kills` kills over as many runs as they take, each run resumed to the end */
export async function crashLoop({ kills: targetKills = 50, callMs = 600, seed = DEFAULT_SEED } = {}) {
  const random = seededRandom(seed);
  const simulation = {
    killed: `default_ms: ${callMs}\nstages:\n  ${LAST_STAGE}: { ms: ${HOLD_MS} }\n`,
    toTheEnd: `default_ms: ${callMs}\n`,
  };
  const figures = { kills: 0, midWorkflow: 0, resumes: 0, runs: 0, stageStarts: 0, reexecuted: 0, completedTwice: 0, unparsable: 0 };
  const killedIn = new Map();
  const where = () => `seed ${seed}, kill ${figures.kills + 1} of ${targetKills}`;
  const projects = [];
  try {
    let cwd;
    let session = 0;
    for (;;) {
      if (cwd === undefined) {
        cwd = makeProject('crash');
        projects.push(cwd);
        session = 0;
      }
      const featureDir = join(cwd, '.teambot', demoFeature);
      const statePath = join(featureDir, 'orchestration_state.json');
      const eventsPath = join(featureDir, 'events.jsonl');
      const resuming = existsSync(statePath);
      const completedBefore = resuming
        ? new Set(Object.entries(readState(statePath).stages).filter(([, stage]) => stage.status === 'completed').map(([id]) => id))
        : new Set();
      const toStart = WORKING_STAGES.filter((stage) => !completedBefore.has(stage));
      const kill = figures.kills < targetKills && toStart.length > 1;
      writeFileSync(join(cwd, 'sim.yaml'), kill ? simulation.killed : simulation.toTheEnd);
      const args = resuming ? ['run', '--resume', ...COMMON] : ['run', 'objective.md', ...COMMON];
      if (resuming) figures.resumes++;
      session++;
      const what = `session ${session} of run ${figures.runs + 1} (${where()})`;
      const fromByte = fileSize(eventsPath);
      const running = startTeambot(args, cwd, what);
      let checkpointBeforeKill = false;
      if (kill) {
        const nth = 1 + Math.floor(random() * Math.min(toStart.length, STEPS));
        const afterMs = random() * 2 * callMs;
        await waitForEventLine(eventsPath, { fromByte, nth, matches: (event) => event.type === 'stage.started', what: `${what}: awaiting stage.started #${nth}`, timeoutMs: DEADLINE_MS, gaveUp: running.exited }).catch((error) => {
          running.child.kill('SIGKILL'); // its last stage would hold it for HOLD_MS
          throw error;
        });
        await sleep(afterMs);
        checkpointBeforeKill = existsSync(statePath);
        running.child.kill('SIGKILL');
      }
      const result = await running.exit;
      if (!kill) {
        if (result.exitCode !== 0) throw new Error(`${teambotCommand(args)} (${what}) exited with ${result.exitCode ?? result.signal}:\n${result.stderr.slice(-2000)}`);
        // A run that ended has written its whole state into the file itself (and removed the journal).
        const state = JSON.parse(readFileSync(statePath, 'utf8'));
        if (state.status !== 'complete') throw new Error(`${what}: the run ended with status ${state.status}`);
        const missing = WORKING_STAGES.filter((stage) => state.stage_outputs[stage] === undefined);
        if (missing.length > 0) throw new Error(`${what}: no output for ${missing.join(', ')}`);
        const events = readEvents(featureDir);
        const starts = events.filter((event) => event.type === 'stage.started').length;
        const completions = events.filter((event) => event.type === 'stage.completed').length;
        figures.runs++;
        figures.stageStarts += starts;
        figures.reexecuted += starts - WORKING_STAGES.length;
        figures.completedTwice += completions - new Set(events.filter((event) => event.type === 'stage.completed').map((event) => event.stage)).size;
        if (figures.kills >= targetKills) break;
        cwd = undefined;
        continue;
      }
      if (result.signal !== 'SIGKILL') throw new Error(`${what}: was to be killed but ended with exit code ${result.exitCode}:\n${result.stderr.slice(-2000)}`);
      figures.kills++;
      let state;
      try {
        state = readState(statePath);
      } catch (error) {
        figures.unparsable++;
        throw new Error(`${what}: the state does not read after the kill: ${error.message}`);
      }
      // Mid-workflow: the first checkpoint existed when the kill was sent, and the run had not completed.
      const sessionEvents = readFileSync(eventsPath, 'utf8').slice(fromByte);
      if (checkpointBeforeKill && state.status === 'in_progress' && !sessionEvents.includes('"type":"run.completed"')) figures.midWorkflow++;
      for (const [stage, record] of Object.entries(state.stages)) {
        if (record.status === 'in_progress') killedIn.set(stage, (killedIn.get(stage) ?? 0) + 1);
      }
    }
    if (figures.midWorkflow !== figures.kills) {
      throw new Error(`only ${figures.midWorkflow} of ${figures.kills} kills landed after the first checkpoint and before run.completed (seed ${seed})`);
    }
    const command = `${teambotCommand(['run', 'objective.md', ...COMMON])}, SIGKILL after stage.started #1–${STEPS} of each session + 0–${2 * callMs} ms, `
      + `then ${teambotCommand(['run', '--resume', ...COMMON])}; node bench/crashLoop.mjs ${targetKills} ${callMs} ${seed}`;
    const common = { runs: 1, command };
    const perKill = (count) => count / figures.kills;
    return [
      metric('kills', figures.kills, 'kills', { ...common, notes: `seed ${seed}; sim.yaml default_ms: ${callMs}; ${figures.runs} run${figures.runs === 1 ? '' : 's'}, each resumed to complete` }),
      metric('kills mid-workflow', figures.midWorkflow, 'kills', {
        ...common, notes: 'after the first checkpoint, before run.completed; running at the kill: '
          + [...killedIn].map(([stage, count]) => `${stage} ${count}`).join(', '),
      }),
      metric('resumes', figures.resumes, 'resumes', { ...common, notes: 'one per kill, the last one of each run ran to the end' }),
      metric('stages re-executed per kill', perKill(figures.reexecuted), 'stages', {
        ...common, notes: `${figures.stageStarts} stage starts for ${figures.runs} × ${WORKING_STAGES.length} stages; the stages running at the kill start again`,
      }),
      metric('stages completed twice', figures.completedTwice, 'stages', { ...common, notes: 'a completed stage must never run again' }),
      metric('state file unparsable after a kill', figures.unparsable, 'times', { ...common, notes: 'the state (orchestration_state.json and its journal) read by `teambot status --json` after every kill' }),
    ];
  } finally {
    for (const dir of projects) removeDir(dir);
  }
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  const [kills = 50, callMs = 600, seed = DEFAULT_SEED] = process.argv.slice(2).map(Number);
  // A copy of dist/, as bench/run.mjs takes: a rebuild meanwhile (the tests rebuild it) must not break the loop.
  const removeSnapshot = useDistSnapshot();
  try {
    printTable({ 'crash loop': await crashLoop({ kills, callMs, seed }) });
  } finally {
    removeSnapshot();
  }
}
