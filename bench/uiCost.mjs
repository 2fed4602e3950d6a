// UI cost: the default workflow through the fake Copilot CLI with IMPLEMENTATION printing 200,000
// lines, shown by the live Ink view in a pseudo-terminal (`script`, 120×40) against the same run
// with --no-ui and stdout to /dev/null (the plain reporter, one line per event). The measure is
// the CPU time (user+sys) of the teambot process itself (bench/probe.cjs), agents excluded.
// The same runs without the stream give what one line costs; simulated runs of two lengths give
// what the live view costs while nothing is printed (a fixed part, and a part per second).
//
//   node bench/uiCost.mjs [runs=3] [lines=200000]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentProject } from './agentProject.mjs';
import {
  assertSucceeded, demoFeature, isMain, lastRunMs, makeProject, median, metric, readEvents, removeDir, runTeambot, teambotCommand,
} from './lib.mjs';

const COPILOT_RUN = ['run', 'objective.md', '--runner', 'copilot'];
const SIMULATED_RUN = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml'];
const IDLE_CALL_MS = [50, 200];

/** Runs `args` (plus --no-ui unless `tty`) and checks that the live view drew when it should. */
async function measuredRun(args, { cwd, env, tty }) {
  const fullArgs = tty ? args : [...args, '--no-ui'];
  const result = assertSucceeded(await runTeambot(fullArgs, { cwd, env, tty, stdout: tty ? 'pipe' : 'ignore' }), fullArgs);
  // The live view hides the cursor while it draws; the plain reporter prints no escape codes.
  if (tty && !result.stdout.includes('\x1b[?25l')) throw new Error(`the live view did not render:\n${result.stdout.slice(0, 500)}`);
  return { cpuMs: result.probe.userMs + result.probe.sysMs, rssMb: result.probe.maxRssKb / 1024, terminalBytes: Buffer.byteLength(result.stdout) };
}

/** The fake copilot workflow with IMPLEMENTATION printing `lines` lines. */
async function streamedRun(lines, tty) {
  const project = await agentProject('ui', { runner: 'copilot', fakeScript: { IMPLEMENTATION: { lines } } });
  try {
    const measured = await measuredRun(COPILOT_RUN, { cwd: project.cwd, env: project.env, tty });
    const events = readEvents(project.featureDir);
    const printed = events.filter((event) => event.type === 'stage.output' && event.stage === 'IMPLEMENTATION').length;
    // The stage's output cap (stageOutputCap.ts) may end the events before the agent's last line; the agent still prints them all.
    if (printed < Math.min(lines, 100_000)) throw new Error(`IMPLEMENTATION printed ${printed} lines, expected ${lines}`);
    const started = events.find((event) => event.type === 'stage.started' && event.stage === 'IMPLEMENTATION');
    const completed = events.find((event) => event.type === 'stage.completed' && event.stage === 'IMPLEMENTATION');
    return { ...measured, printed, runMs: lastRunMs(events), streamMs: Date.parse(completed.ts) - Date.parse(started.ts) };
  } finally {
    removeDir(project.cwd);
  }
}

/** The simulated workflow, every call `callMs`, two lines per call. */
async function simulatedRun(callMs, tty) {
  const cwd = makeProject('ui-idle');
  try {
    writeFileSync(join(cwd, 'simulation.yaml'), `default_ms: ${callMs}\n`);
    const measured = await measuredRun(SIMULATED_RUN, { cwd, tty });
    const events = readEvents(join(cwd, '.teambot', demoFeature));
    const calls = events.filter((event) => event.type === 'stage.output' && / working on /.test(event.line)).length;
    const firstStage = events.find((event) => event.type === 'stage.completed');
    return { ...measured, runMs: lastRunMs(events), calls, firstStageMs: firstStage.duration_ms };
  } finally {
    removeDir(cwd);
  }
}

export async function uiCost({ runs = 3, lines = 200_000 } = {}) {
  const results = { live: [], plain: [], liveQuiet: [], plainQuiet: [], liveShort: [], liveLong: [], plainLong: [] };
  for (let index = 0; index < runs; index++) {
    results.live.push(await streamedRun(lines, true));
    results.plain.push(await streamedRun(lines, false));
    // The fake copilot's default two lines: what the stream adds is what its lines cost.
    results.liveQuiet.push(await streamedRun(2, true));
    results.plainQuiet.push(await streamedRun(2, false));
    results.liveShort.push(await simulatedRun(IDLE_CALL_MS[0], true));
    results.liveLong.push(await simulatedRun(IDLE_CALL_MS[1], true));
    results.plainLong.push(await simulatedRun(IDLE_CALL_MS[1], false));
  }
  const of = (name, key) => median(results[name].map((result) => result[key]));
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

  const script = `{ "IMPLEMENTATION": { "lines": ${lines} } }`;
  const liveCommand = `script -qfec "${teambotCommand(COPILOT_RUN)}" /dev/null  (fake copilot first on PATH, FAKE_AGENT_SCRIPT ${script})`;
  const plainCommand = `${teambotCommand([...COPILOT_RUN, '--no-ui'])} > /dev/null  (same agents)`;
  const perLineUs = (loud, quiet) => ((of(loud, 'cpuMs') - of(quiet, 'cpuMs')) / lines) * 1000;
  const describe = (loud, quiet) => `${perLineUs(loud, quiet).toFixed(1)} µs per line above the same run without the stream `
    + `(${s(of(quiet, 'cpuMs'))}); IMPLEMENTATION streamed for ${s(of(loud, 'streamMs'))}; peak RSS ${of(loud, 'rssMb').toFixed(0)} MiB`;

  // Live CPU = fixed + perSecond × run time (two run lengths); the plain reporter's CPU hardly depends on the length.
  const perSecond = (of('liveLong', 'cpuMs') - of('liveShort', 'cpuMs')) / (of('liveLong', 'runMs') - of('liveShort', 'runMs'));
  const fixedMs = of('liveShort', 'cpuMs') - perSecond * of('liveShort', 'runMs') - of('plainLong', 'cpuMs');
  const idleCommand = `script -qfec "${teambotCommand(SIMULATED_RUN)}" /dev/null  (simulation.yaml: default_ms: ${IDLE_CALL_MS.join(' and ')})`;
  const { calls } = results.liveLong[0];
  return [
    metric('CPU, live Ink view in a pseudo-terminal', of('live', 'cpuMs') / 1000, 's', {
      runs, command: liveCommand, notes: `${describe('live', 'liveQuiet')}; ${(of('live', 'terminalBytes') / 1024).toFixed(0)} KiB drawn`,
    }),
    metric('CPU, --no-ui to /dev/null', of('plain', 'cpuMs') / 1000, 's', { runs, command: plainCommand, notes: describe('plain', 'plainQuiet') }),
    metric('CPU ratio live / --no-ui', of('live', 'cpuMs') / of('plain', 'cpuMs'), '×', {
      runs, command: liveCommand, goal: { max: 1.10, text: '≤ 1.10× the CPU of --no-ui' },
      notes: `user+sys of the teambot process (agents excluded) for ${lines.toLocaleString('en')} output lines (${of('live', 'printed').toLocaleString('en')} as events, the rest past the output cap); per line ${(perLineUs('live', 'liveQuiet') / perLineUs('plain', 'plainQuiet')).toFixed(2)}×`,
    }),
    metric('run time, live / --no-ui', of('live', 'runMs') / of('plain', 'runMs'), '×', {
      runs, command: liveCommand, notes: `${s(of('live', 'runMs'))} vs ${s(of('plain', 'runMs'))} (run.started → run.completed)`,
    }),
    metric('live view CPU while stages run', perSecond, 'CPU s/s', {
      runs, command: idleCommand, goal: { max: 0.05, text: '≤ 0.05 CPU-s/s' }, notes: `slope of CPU over run time between ${IDLE_CALL_MS.join(' and ')} ms calls (no output but two lines per call)`,
    }),
    metric('live view fixed CPU', fixedMs, 'ms', {
      runs, command: idleCommand, notes: `the rest of the live run's CPU above --no-ui (${s(of('plainLong', 'cpuMs'))}): loading Ink and React, Yoga, the first and last frames`,
    }),
    metric('live view delay of the run', of('liveLong', 'runMs') - of('plainLong', 'runMs'), 'ms', {
      runs, command: idleCommand,
      notes: `${s(of('liveLong', 'runMs'))} live vs ${s(of('plainLong', 'runMs'))} --no-ui at ${IDLE_CALL_MS[1]} ms × ${calls} calls; `
        + `the first stage alone +${(of('liveLong', 'firstStageMs') - of('plainLong', 'firstStageMs')).toFixed(0)} ms (it runs while the live view loads)`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ 'ui cost': await uiCost({ runs: Number(process.argv[2] ?? 3), lines: Number(process.argv[3] ?? 200_000) }) });
}
