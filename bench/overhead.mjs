// Overhead: the default workflow with simulated agents whose every call takes `callMs`, against
// its critical path ((sequential agent calls + one slot per parallel group) × callMs), and the
// same run with --sequential, to show what the parallel group saves.
//
//   node bench/overhead.mjs [callMs=1000] [runs=3]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSucceeded, demoFeature, isMain, lastRunMs, makeProject, median, metric, readEvents, removeDir, runTeambot, teambotCommand,
} from './lib.mjs';
import { groupSpanMs, workflowCalls } from './workflowCalls.mjs';

const RUN_ARGS = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui'];

/** One simulated run in a fresh project: wall time, run time, and each group's span. */
async function simulatedRun(callMs, extraArgs, shape) {
  const cwd = makeProject('overhead');
  try {
    writeFileSync(join(cwd, 'simulation.yaml'), `default_ms: ${callMs}\n`);
    const args = [...RUN_ARGS, ...extraArgs];
    const { wallMs } = assertSucceeded(await runTeambot(args, { cwd }), args);
    const events = readEvents(join(cwd, '.teambot', demoFeature));
    const calls = events.filter((event) => event.type === 'stage.output' && / working on /.test(event.line)).length;
    if (calls !== shape.agentCalls) throw new Error(`expected ${shape.agentCalls} agent calls, the run made ${calls}`);
    const groupMs = [...shape.groups].reduce((sum, [group, members]) => sum + groupSpanMs(events, group, members), 0);
    return { wallMs, runMs: lastRunMs(events), groupMs };
  } finally {
    removeDir(cwd);
  }
}

/**
 * @returns the overhead metrics, each a median over `runs` runs (parallel and --sequential alternate)
 */
export async function overhead({ callMs = 1000, runs = 3 } = {}) {
  const shapeDir = makeProject('overhead-shape');
  const shape = await workflowCalls(shapeDir).finally(() => removeDir(shapeDir));
  const criticalPathMs = shape.criticalSlots * callMs;
  const parallel = [];
  const sequential = [];
  for (let index = 0; index < runs; index++) {
    parallel.push(await simulatedRun(callMs, [], shape));
    sequential.push(await simulatedRun(callMs, ['--sequential'], shape));
  }
  const runMs = median(parallel.map((result) => result.runMs));
  const wallMs = median(parallel.map((result) => result.wallMs));
  const sequentialMs = median(sequential.map((result) => result.runMs));
  const groupMs = median(parallel.map((result) => result.groupMs));
  const sequentialGroupMs = median(sequential.map((result) => result.groupMs));
  const over = (value) => `${value >= criticalPathMs ? '+' : ''}${((value / criticalPathMs - 1) * 100).toFixed(2)} % over the critical path`;
  const command = teambotCommand(RUN_ARGS);
  const sim = `simulation.yaml: default_ms: ${callMs}`;
  const common = { runs, command };
  return [
    metric('critical path', criticalPathMs / 1000, 's', {
      runs: 0, command: teambotCommand(['validate', '--json']),
      notes: `${shape.criticalSlots} slots × ${callMs} ms (${shape.agentCalls} agent calls, ${shape.groups.size} parallel group)`,
    }),
    metric('run (run.started → run.completed)', runMs / 1000, 's', { ...common, notes: `${over(runMs)}; ${sim}` }),
    metric('process wall time', wallMs / 1000, 's', { ...common, notes: `${over(wallMs)}; includes start-up and exit` }),
    metric('overhead per agent call', (runMs - criticalPathMs) / shape.agentCalls, 'ms', {
      ...common, notes: `(run − critical path) / ${shape.agentCalls} agent calls`,
    }),
    metric('overhead per agent call, wall', (wallMs - criticalPathMs) / shape.agentCalls, 'ms', {
      ...common, notes: '(process wall time − critical path) / agent calls',
    }),
    metric('--sequential run', sequentialMs / 1000, 's', { ...common, command: teambotCommand([...RUN_ARGS, '--sequential']), notes: sim }),
    metric('speed-up of parallel groups, whole run', sequentialMs / runMs, '×', {
      ...common, notes: `--sequential run / run; ideal ${(shape.agentCalls / shape.criticalSlots).toFixed(3)}× (${shape.agentCalls} calls one after another / ${shape.criticalSlots} slots)`,
    }),
    metric('parallel group span', groupMs / 1000, 's', { ...common, notes: `group.started → group.completed, ${[...shape.groups.keys()].join(', ')}` }),
    metric('--sequential group span', sequentialGroupMs / 1000, 's', { ...common, notes: 'first member started → last member completed' }),
    metric('group saving', (sequentialGroupMs - groupMs) / 1000, 's', {
      ...common, notes: `group speed-up ${(sequentialGroupMs / groupMs).toFixed(2)}× (ideal ${[...shape.groups.values()][0]?.length ?? 1}×)`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ overhead: await overhead({ callMs: Number(process.argv[2] ?? 1000), runs: Number(process.argv[3] ?? 3) }) });
}
