// Persistence: the default workflow through the command runner with bench/bigOutput.mjs printing
// 1 MiB per agent call (16 lines of 64 KiB) against the same run printing 1 KiB (16 lines of 64 B):
// the same number of output lines, so the difference is what large stage outputs cost, which is
// mostly checkpointing (orchestration_state.json holds every output). bench/probe.cjs times the
// state writes and the checkpoint JSON.stringify calls inside the process. Then resume: of the
// completed state (the "already complete" path) and of a run killed half-way.
//
//   node bench/persistence.mjs [runs=3]
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { agentProject } from './agentProject.mjs';
import { waitForEventLine } from '../test/support/runProgress.mjs';
import { assertSucceeded, isMain, lastRunMs, median, metric, readEvents, removeDir, runTeambot, teambotCommand } from './lib.mjs';

const RUN = ['run', 'objective.md', '--runner', 'command', '--no-ui'];
const RESUME = ['run', '--resume', '--runner', 'command', '--no-ui'];
const LINES = 16;
const BIG = 1024 * 1024;
const TINY = 1024;

const outputEnv = (bytes) => ({ BIG_OUTPUT_BYTES: String(bytes), BIG_OUTPUT_LINE_BYTES: String(bytes / LINES) });

/** One complete run in a fresh project, then `resume` of its completed state. */
async function runAndResume(bytes) {
  const project = await agentProject('persistence', { runner: 'command' });
  try {
    const env = { ...project.env, ...outputEnv(bytes) };
    const result = assertSucceeded(await runTeambot(RUN, { cwd: project.cwd, env, probeState: true }), RUN);
    const events = readEvents(project.featureDir);
    // bigOutput.mjs ends every call with "<STAGE> done" or a verdict.
    const calls = events.filter((event) => event.type === 'stage.output' && (/ done$/.test(event.line) || /^VERIFIED_APPROVED: /.test(event.line))).length;
    const stateBytes = statSync(join(project.featureDir, 'orchestration_state.json')).size;
    const resumed = assertSucceeded(await runTeambot(RESUME, { cwd: project.cwd, env, stdout: 'pipe' }), RESUME);
    if (!/already complete/.test(resumed.stdout)) throw new Error(`resume of a complete run did not say so:\n${resumed.stdout}`);
    return { runMs: lastRunMs(events), wallMs: result.wallMs, calls, stateBytes, resumeMs: resumed.wallMs, probe: result.probe };
  } finally {
    removeDir(project.cwd);
  }
}

/** A big-output run killed once `completedStages` stages have completed (its progress, not the clock), then resumed to completion. */
async function killAndResume(completedStages) {
  const project = await agentProject('persistence-kill', { runner: 'command' });
  try {
    const env = { ...project.env, ...outputEnv(BIG) };
    const killWhen = (closed) => {
      let ended;
      closed.then(() => (ended = 'the run ended first'));
      return waitForEventLine(join(project.featureDir, 'events.jsonl'), {
        nth: completedStages, matches: (event) => event.type === 'stage.completed', what: `stage.completed #${completedStages}`, timeoutMs: 600_000, gaveUp: () => ended,
      });
    };
    const killed = await runTeambot(RUN, { cwd: project.cwd, env, killWhen });
    if (killed.signal !== 'SIGKILL') throw new Error(`the run ended (${killed.exitCode}) before ${completedStages} stages completed`);
    const before = readEvents(project.featureDir);
    const completedBefore = new Set(before.filter((event) => event.type === 'stage.completed').map((event) => event.stage));
    const stateBytes = statSync(join(project.featureDir, 'orchestration_state.json')).size;
    const spawnedAt = Date.now();
    const resumed = assertSucceeded(await runTeambot(RESUME, { cwd: project.cwd, env }), RESUME);
    const session = readEvents(project.featureDir).slice(before.length);
    const firstStart = session.find((event) => event.type === 'stage.started');
    const rerun = session.filter((event) => event.type === 'stage.started' && completedBefore.has(event.stage)).length;
    lastRunMs(session);
    return {
      toFirstStageMs: Date.parse(firstStart.ts) - spawnedAt, wallMs: resumed.wallMs,
      completedBefore: completedBefore.size, stateBytes, rerun,
    };
  } finally {
    removeDir(project.cwd);
  }
}

export async function persistence({ runs = 3 } = {}) {
  const big = [];
  const tiny = [];
  for (let index = 0; index < runs; index++) {
    big.push(await runAndResume(BIG));
    tiny.push(await runAndResume(TINY));
  }
  const of = (results, pick) => median(results.map(pick));
  const bigRunMs = of(big, (result) => result.runMs);
  const tinyRunMs = of(tiny, (result) => result.runMs);
  const writeMs = of(big, (result) => result.probe.stateWrites.ms);
  const stringifyMs = of(big, (result) => result.probe.checkpointStringify.ms);
  const writes = big[0].probe.stateWrites;
  const mib = (bytes) => bytes / 2 ** 20;
  const killed = await killAndResume(7);
  const command = `${teambotCommand(RUN)} (runner argv: node bench/bigOutput.mjs {stage} {prompt})`;
  const common = { runs, command };
  return [
    metric('run, 1 MiB per agent call', bigRunMs / 1000, 's', { ...common, notes: `${big[0].calls} agent calls, ${LINES} lines of 64 KiB each` }),
    metric('run, 1 KiB per agent call', tinyRunMs / 1000, 's', { ...common, notes: `${LINES} lines of 64 B each` }),
    metric('cost of the large outputs', (bigRunMs - tinyRunMs) / 1000, 's', { ...common, notes: 'difference of the two runs' }),
    metric('time in state writes', writeMs / 1000, 's', {
      ...common, notes: `journal appends and ${writes.count} rewrites of the state file (write, fsync, rename) in the event loop, ${mib(writes.bytes).toFixed(0)} MiB in all, `
        + `measured in-process; ${writes.backgroundFsyncs ?? 0} fsyncs of the journal in the background`,
    }),
    metric('checkpoint JSON.stringify', stringifyMs / 1000, 's', {
      ...common, notes: `${big[0].probe.checkpointStringify.count} calls, ${(big[0].probe.checkpointStringify.chars / 1e6).toFixed(0)} M chars (change key + state text)`,
    }),
    metric('final orchestration_state.json', mib(of(big, (result) => result.stateBytes)), 'MiB', {
      ...common, notes: `for ${big[0].calls} MiB of agent output; ${(of(tiny, (result) => result.stateBytes) / 1024).toFixed(0)} KiB with 1 KiB outputs`,
    }),
    metric('peak RSS, 1 MiB per agent call', of(big, (result) => result.probe.maxRssKb) / 1024, 'MiB', {
      ...common, notes: `${(of(tiny, (result) => result.probe.maxRssKb) / 1024).toFixed(0)} MiB with 1 KiB outputs`,
    }),
    metric('resume of the completed run', of(big, (result) => result.resumeMs), 'ms', {
      runs, command: teambotCommand(RESUME), notes: `"already complete" path, ${mib(big[0].stateBytes).toFixed(0)} MiB state; ${of(tiny, (result) => result.resumeMs).toFixed(0)} ms with the small state`,
    }),
    metric('resume after a kill: spawn → first stage started', killed.toFirstStageMs, 'ms', {
      runs: 1, command: teambotCommand(RESUME),
      notes: `SIGKILL half-way (${killed.completedBefore} stages completed, ${mib(killed.stateBytes).toFixed(1)} MiB state); ${killed.rerun} completed stages re-run`,
    }),
    metric('resume after a kill: to completion', killed.wallMs / 1000, 's', { runs: 1, command: teambotCommand(RESUME), notes: 'process wall time of the resumed run' }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ persistence: await persistence({ runs: Number(process.argv[2] ?? 3) }) });
}
