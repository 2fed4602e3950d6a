// Against the peers (issue 17, point 3): the same workflow (config/stages.yaml, teambot's
// built-in one) with every agent call taking `callMs`, as whole processes, measured side by side
// in alternating pairs (the order swaps every pair), medians:
// - teambot: `teambot run objective.md --runner simulated --simulate simulation.yaml --no-ui`;
// - LangGraph.js: a StateGraph of the same stages with a checkpointer (bench/peers/langgraph.mjs);
// - the Python TeamBot, when TEAMBOT_PY names a local clone (bench/peers/teambotPy.mjs), else a
//   NaN row that says how to point it at one.
// Then the orchestration's own cost per agent call with 0 ms calls: teambot's run.started →
// run.completed (every step journaled before it is announced, and fsynced) over its agent calls, and the
// graph's invoke → result over its nodes.
//
//   node bench/peers.mjs [runs=5] [callMs=300]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSucceeded, demoFeature, demoObjective, isMain, lastRunMs, makeProject, median, metric, msSince, readEvents, removeDir,
  repo, runTeambot, teambotCommand,
} from './lib.mjs';
import { runTeambotPy, skipMessage, teambotPyClone } from './peers/teambotPy.mjs';

const RUN_ARGS = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui'];
const STAGES = join(repo, 'config', 'stages.yaml');
const LANGGRAPH = join(repo, 'bench', 'peers', 'langgraph.mjs');
const CHECKPOINTER = 'memory';
const CHECKPOINTER_NOTE = 'MemorySaver: checkpoints in memory, nothing written to disk (the SQLite saver needs a native '
  + 'better-sqlite3 built from source here, so it is not installed)';

/** The built-in workflow's agent calls, as `teambot validate --json` outlines it (review 2, terminal 0, else 1). */
async function agentCallsOf() {
  const cwd = makeProject('peers-shape');
  try {
    const args = ['validate', '--json', '--runner', 'simulated'];
    const { stdout } = assertSucceeded(await runTeambot(args, { cwd, stdout: 'pipe', probe: false }), args);
    const outline = JSON.parse(stdout).stages;
    return outline.reduce((sum, stage) => sum + (stage.kind === 'review' ? 2 : stage.kind === 'terminal' ? 0 : 1), 0);
  } finally {
    removeDir(cwd);
  }
}

/** One simulated teambot run in a fresh project, as a whole process (no probe preloaded). */
async function teambotRun(callMs, calls) {
  const cwd = makeProject('peers');
  try {
    writeFileSync(join(cwd, 'simulation.yaml'), `default_ms: ${callMs}\n`);
    const { wallMs } = assertSucceeded(await runTeambot(RUN_ARGS, { cwd, probe: false }), RUN_ARGS);
    const events = readEvents(join(cwd, '.teambot', demoFeature));
    const made = events.filter((event) => event.type === 'stage.output' && / working on /.test(event.line)).length;
    if (made !== calls) throw new Error(`expected ${calls} agent calls, teambot made ${made}`);
    return { wallMs, runMs: lastRunMs(events) };
  } finally {
    removeDir(cwd);
  }
}

/** One run of the LangGraph.js graph as its own process: { wallMs, runMs, calls }. */
async function langGraphRun(callMs) {
  const args = [LANGGRAPH, '--stages', STAGES, '--call-ms', String(callMs), '--checkpointer', CHECKPOINTER];
  // No LangSmith tracing, whatever the environment says: the peer runs offline, as teambot does.
  const env = { ...process.env, LANGCHAIN_TRACING_V2: 'false', LANGSMITH_TRACING: 'false', LANGCHAIN_CALLBACKS_BACKGROUND: 'false' };
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve(exitCode ?? signal));
  });
  const wallMs = msSince(started);
  if (code !== 0) throw new Error(`node bench/peers/langgraph.mjs exited with ${code}:\n${stderr.slice(-2000)}`);
  const { runMs, calls } = JSON.parse(stdout);
  return { wallMs, runMs, calls };
}

function pythonRun(clone, callMs) {
  return runTeambotPy({ clone, callMs, stagesPath: STAGES, objectivePath: demoObjective, feature: demoFeature });
}

/** Runs the contenders `runs` times in alternating order; returns each one's results. */
async function sideBySide(contenders, runs) {
  const results = contenders.map(() => []);
  for (let index = 0; index < runs; index++) {
    const order = contenders.map((_, position) => position);
    if (index % 2 === 1) order.reverse();
    for (const position of order) results[position].push(await contenders[position]());
  }
  return results;
}

/**
 * @returns the peer comparison's metrics, medians over `runs` runs each
 */
export async function peers({ runs = 5, callMs = 300 } = {}) {
  const calls = await agentCallsOf();
  const clone = teambotPyClone();
  if (!clone) process.stderr.write(`\nbench: ${skipMessage()}\n`);
  const checkCalls = (result, who) => {
    if (result.calls !== calls) throw new Error(`expected ${calls} agent calls, ${who} made ${result.calls}`);
    return result;
  };
  const contenders = [
    () => teambotRun(callMs, calls),
    async () => checkCalls(await langGraphRun(callMs), 'the LangGraph.js graph'),
    ...(clone ? [() => pythonRun(clone, callMs)] : []),
  ];
  const [ours, graph, python] = await sideBySide(contenders, runs);
  const [oursIdle, graphIdle, pythonIdle] = await sideBySide(contenders.map((_, position) => [
    () => teambotRun(0, calls),
    async () => checkCalls(await langGraphRun(0), 'the LangGraph.js graph'),
    () => pythonRun(clone, 0),
  ][position]), runs);

  const wall = (results) => median(results.map((result) => result.wallMs));
  const perCall = (results) => median(results.map((result) => result.runMs / (result.calls ?? calls)));
  const pythonCalls = python ? median(python.map((result) => result.calls)) : undefined;
  const oursWall = wall(ours);
  const graphWall = wall(graph);
  const pythonWall = python ? wall(python) : Number.NaN;
  const workflow = `built-in stages.yaml: ${calls} agent calls of ${callMs} ms, RESEARCH ‖ TEST_STRATEGY`;
  const command = teambotCommand(RUN_ARGS);
  const graphCommand = `node bench/peers/langgraph.mjs --call-ms ${callMs} --checkpointer ${CHECKPOINTER}`;
  const pythonCommand = 'TEAMBOT_PY=<clone> python driver.py (teambot run objective.md, fake Copilot client)';
  const skipped = { runs: 0, notes: skipMessage() };
  return [
    metric('teambot, whole process', oursWall / 1000, 's', { runs, command, notes: `${workflow}; simulation.yaml default_ms: ${callMs}` }),
    metric('LangGraph.js graph, whole process', graphWall / 1000, 's', {
      runs, command: graphCommand, notes: `the same stages as a StateGraph, one node per agent call; ${CHECKPOINTER_NOTE}`,
    }),
    metric('teambot / LangGraph.js, whole process', oursWall / graphWall, '×', {
      runs, command, notes: 'medians of alternating pairs', goal: { max: 0.95, text: '≤ 0.95× LangGraph.js' },
    }),
    metric('TeamBot (Python), whole process', pythonWall / 1000, 's', python
      ? { runs, command: pythonCommand, notes: `${clone}; ${pythonCalls} agent calls (teambot ${calls}); harness bench/peers/teambotPy.mjs` } : skipped),
    metric('teambot / TeamBot (Python), whole process', oursWall / pythonWall, '×', {
      ...(python ? { runs, command, notes: 'medians of alternating runs' } : skipped),
      goal: { max: 0.95, text: '≤ 0.95× TeamBot (Python)' },
    }),
    metric('teambot in-loop per agent call', perCall(oursIdle), 'ms', {
      runs, command, notes: `run.started → run.completed / ${calls} calls, default_ms: 0; every step journaled before its event, the journal fsynced (in the background, group commit) and the state file rewritten, fsynced, when the session starts`,
      goal: { max: 3, text: '≤ 3 ms per agent call, fsyncs included' },
    }),
    metric('LangGraph.js in-loop per agent call', perCall(graphIdle), 'ms', {
      runs, command: graphCommand.replace(`--call-ms ${callMs}`, '--call-ms 0'), notes: `invoke → result / ${calls} nodes, 0 ms calls; ${CHECKPOINTER}`,
    }),
    metric('TeamBot (Python) in-loop per agent call', pythonIdle ? perCall(pythonIdle) : Number.NaN, 'ms', pythonIdle
      ? { runs, command: pythonCommand, notes: 'ExecutionLoop.run / its agent calls, 0 ms calls; its state file written without fsync' }
      : skipped),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ peers: await peers({ runs: Number(process.argv[2] ?? 5), callMs: Number(process.argv[3] ?? 300) }) });
}
