// Scale: a generated workflow of 1,000 stages with 50 parallel groups up to 16 wide (and, to see
// whether cost grows linearly, the same recipe at 100, 250 and 500 stages): `teambot validate`
// (load + validate), `teambot graph --format json` (load + compile + walk the statechart), and a
// full run with 0 ms simulated agents: wall time, run time, peak RSS, and what checkpointing cost.
//
//   node bench/scale.mjs [runs=3]
import { join } from 'node:path';
import {
  assertSucceeded, atomicWriteMs, demoFeature, isMain, lastRunMs, makeProject, median, metric, readEvents, removeDir, runTeambot, teambotCommand, timeSync,
} from './lib.mjs';
import { writeScaleProject } from './scaleWorkflow.mjs';

const SIZES = [
  { stageCount: 100, groupCount: 5, maxWidth: 16 },
  { stageCount: 250, groupCount: 12, maxWidth: 16 },
  { stageCount: 500, groupCount: 25, maxWidth: 16 },
  { stageCount: 1000, groupCount: 50, maxWidth: 16 },
];
const VALIDATE = ['validate'];
const GRAPH = ['graph', '--format', 'json'];
const RUN = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui'];

/** Every measurement of one workflow size, `runs` times each. */
async function measureSize(shape, runs) {
  const cwd = makeProject(`scale-${shape.stageCount}`);
  try {
    const workflow = writeScaleProject(cwd, shape);
    const validate = [];
    const graph = [];
    const run = [];
    let graphBytes = 0;
    for (let index = 0; index < runs; index++) {
      validate.push(assertSucceeded(await runTeambot(VALIDATE, { cwd, probe: false }), VALIDATE).wallMs);
      const graphResult = assertSucceeded(await runTeambot(GRAPH, { cwd, stdout: 'pipe', probe: false }), GRAPH);
      graph.push(graphResult.wallMs);
      graphBytes = Buffer.byteLength(graphResult.stdout);
      removeDir(join(cwd, '.teambot'));
      const result = assertSucceeded(await runTeambot(RUN, { cwd, probeState: true }), RUN);
      const events = readEvents(join(cwd, '.teambot', demoFeature));
      run.push({ wallMs: result.wallMs, runMs: lastRunMs(events), ...result.probe });
    }
    const pick = (key) => median(run.map((entry) => entry[key]));
    return {
      workflow, graphBytes,
      validateMs: median(validate),
      graphMs: median(graph),
      wallMs: pick('wallMs'),
      runMs: pick('runMs'),
      rssMb: pick('maxRssKb') / 1024,
      cpuMs: median(run.map((entry) => entry.userMs + entry.sysMs)),
      writes: run[0].stateWrites.count,
      backgroundSyncs: run[0].stateWrites.backgroundFsyncs ?? 0,
      writtenMb: median(run.map((entry) => entry.stateWrites.bytes)) / 2 ** 20,
      lastStateKb: median(run.map((entry) => entry.stateWrites.maxBytes)) / 1024,
      writeMs: median(run.map((entry) => entry.stateWrites.ms)),
      stringifyMs: median(run.map((entry) => entry.checkpointStringify.ms)),
    };
  } finally {
    removeDir(cwd);
  }
}

/** @returns the 1,000-stage metrics, with the smaller sizes in the notes, a linearity ratio and issue 17's goals */
export async function scale({ runs = 3 } = {}) {
  const results = [];
  for (const shape of SIZES) results.push(await measureSize(shape, runs));
  // The floor, in the same run: the goals are ratios to it.
  const nodeMs = median(Array.from({ length: 10 }, () => timeSync(process.execPath, ['-e', '0'])));
  const diskMs = atomicWriteMs(results.at(-1).lastStateKb * 1024);
  const small = results[0];
  const large = results.at(-1);
  const shapeText = `${large.workflow.stageCount} stages, ${large.workflow.widths.length} groups of 2–${Math.max(...large.workflow.widths)} (${large.workflow.groupStages} stages in groups)`;
  const at = (key, format) => results.map((result) => `${result.workflow.stageCount}: ${format(result[key])}`).join(', ');
  const ms = (value) => `${value.toFixed(0)} ms`;
  const perStage = (result) => result.runMs / result.workflow.agentCalls;
  const growth = perStage(large) / perStage(small);
  const common = { runs };
  const size = large.workflow.stageCount.toLocaleString('en');
  return [
    metric(`bytes written to the state, ${size} stages`, large.writtenMb, 'MiB', {
      ...common, command: teambotCommand(RUN), goal: { max: 10, text: '≤ 10 MiB' },
      notes: `orchestration_state.json, its temporary files and its journal; by size ${at('writtenMb', (value) => `${value.toFixed(1)} MiB`)}`,
    }),
    metric(`${size}-stage 0 ms run / node -e 0`, large.wallMs / nodeMs, '×', {
      ...common, command: teambotCommand(RUN), goal: { max: 25, text: '≤ 25× node -e 0' },
      notes: `${(large.wallMs / 1000).toFixed(2)} s against node -e 0's ${nodeMs.toFixed(0)} ms`,
    }),
    metric(`run time per agent call, ${size} / ${small.workflow.stageCount} stages`, growth, '×', {
      ...common, command: teambotCommand(RUN), goal: { max: 1.2, text: '≤ 1.2× (flat from 100 to 1,000 stages)' },
      notes: `run.started → run.completed / agent calls: ${results.map((result) => `${result.workflow.stageCount}: ${perStage(result).toFixed(2)} ms`).join(', ')}`,
    }),
    metric(`validate, ${size} stages`, large.validateMs, 'ms', { ...common, command: teambotCommand(VALIDATE), notes: `${shapeText}; by size ${at('validateMs', ms)}` }),
    metric(`graph --format json, ${size} stages`, large.graphMs, 'ms', {
      ...common, command: teambotCommand(GRAPH), notes: `${(large.graphBytes / 2 ** 20).toFixed(2)} MiB of JSON; by size ${at('graphMs', ms)}`,
    }),
    metric(`run wall time, ${size} stages, 0 ms agents`, large.wallMs / 1000, 's', { ...common, command: teambotCommand(RUN), notes: `simulation.yaml: default_ms: 0; by size ${at('wallMs', ms)}` }),
    metric(`run time per stage, ${size} stages`, perStage(large), 'ms', {
      ...common, command: teambotCommand(RUN),
      notes: `run.started → run.completed / ${large.workflow.agentCalls} agent calls; by size ${results.map((result) => `${result.workflow.stageCount}: ${perStage(result).toFixed(2)} ms`).join(', ')}; `
        + `×${growth.toFixed(2)} per stage from 100 to ${size} stages (1.00 = linear)`,
    }),
    metric(`peak RSS of the run, ${size} stages`, large.rssMb, 'MiB', { ...common, command: teambotCommand(RUN), notes: `process.resourceUsage().maxRSS; by size ${at('rssMb', (value) => `${value.toFixed(0)} MiB`)}` }),
    metric(`CPU time of the run, ${size} stages`, large.cpuMs / 1000, 's', {
      ...common, command: teambotCommand(RUN),
      notes: `user+sys of teambot; by size ${at('cpuMs', ms)}; per stage ${results.map((result) => `${(result.cpuMs / result.workflow.agentCalls).toFixed(2)}`).join(', ')} ms`,
    }),
    metric(`state fsyncs, ${size} stages`, large.writes + large.backgroundSyncs, 'fsyncs', {
      ...common, command: teambotCommand(RUN),
      notes: `${large.writes} in the event loop (rewrites of the state file) and ${large.backgroundSyncs} of the journal in the background (group commit); `
        + `largest state file ${large.lastStateKb.toFixed(0)} KiB`,
    }),
    metric(`time in state writes, ${size} stages`, large.writeMs, 'ms', {
      ...common, command: teambotCommand(RUN),
      notes: `journal appends and rewrites (write, fsync, rename) in the event loop: ${(large.writeMs / large.runMs * 100).toFixed(0)} % of the run; by size ${at('writeMs', ms)}; `
        + `one such write of the last state's size on this disk, alone: ${diskMs.toFixed(2)} ms (median of 20)`,
    }),
    metric(`checkpoint JSON.stringify, ${size} stages`, large.stringifyMs, 'ms', {
      ...common, command: teambotCommand(RUN),
      notes: `change key + state text ${(large.stringifyMs / large.runMs * 100).toFixed(0)} % of the run; by size ${at('stringifyMs', ms)}`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ scale: await scale({ runs: Number(process.argv[2] ?? 3) }) });
}
