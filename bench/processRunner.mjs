// Process runner: the default workflow through the fake Copilot CLI (a real process per agent
// call, test/fakeAgents/copilot first on PATH, default behaviour: two lines and done) against the
// in-process simulated runner with 0 ms calls: the time per agent call in each, the difference,
// and how much of it is the fake agent's own run time (node start-up) measured on its own.
//
//   node bench/processRunner.mjs [runs=5]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentProject } from './agentProject.mjs';
import {
  assertSucceeded, demoFeature, fakeAgentsDir, isMain, lastRunMs, makeProject, median, metric, readEvents, removeDir, runTeambot, teambotCommand, timeSync,
} from './lib.mjs';
import { workflowCalls } from './workflowCalls.mjs';

const COPILOT_RUN = ['run', 'objective.md', '--runner', 'copilot', '--no-ui'];
const SIMULATED_RUN = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui'];

async function copilotRun() {
  const project = await agentProject('process-runner', { runner: 'copilot' });
  try {
    const env = { ...project.env, FAKE_AGENT_LOG: join(project.cwd, 'agent.log') };
    const result = assertSucceeded(await runTeambot(COPILOT_RUN, { cwd: project.cwd, env }), COPILOT_RUN);
    const calls = readFileSync(env.FAKE_AGENT_LOG, 'utf8').trim().split('\n').length;
    return { runMs: lastRunMs(readEvents(project.featureDir)), calls, cpuMs: result.probe.userMs + result.probe.sysMs };
  } finally {
    removeDir(project.cwd);
  }
}

async function simulatedRun() {
  const cwd = makeProject('process-runner-simulated');
  try {
    writeFileSync(join(cwd, 'simulation.yaml'), 'default_ms: 0\n');
    const result = assertSucceeded(await runTeambot(SIMULATED_RUN, { cwd }), SIMULATED_RUN);
    return { runMs: lastRunMs(readEvents(join(cwd, '.teambot', demoFeature))), cpuMs: result.probe.userMs + result.probe.sysMs };
  } finally {
    removeDir(cwd);
  }
}

/** The fake copilot on its own, as teambot starts it for SETUP (prompt as one argument). */
function fakeAgentAloneMs(runs) {
  const cwd = makeProject('process-runner-alone');
  try {
    const args = [join(fakeAgentsDir, 'copilot'), '-p', '# Stage SETUP: Setup\nRole: work · Iteration 1\n', '--silent', '--allow-all-tools', '--no-color'];
    timeSync(process.execPath, args, { cwd });
    return median(Array.from({ length: runs }, () => timeSync(process.execPath, args, { cwd })));
  } finally {
    removeDir(cwd);
  }
}

export async function processRunner({ runs = 5 } = {}) {
  const shapeDir = makeProject('process-runner-shape');
  const shape = await workflowCalls(shapeDir).finally(() => removeDir(shapeDir));
  const copilot = [];
  const simulated = [];
  for (let index = 0; index < runs; index++) {
    copilot.push(await copilotRun());
    simulated.push(await simulatedRun());
  }
  const calls = copilot[0].calls;
  if (calls !== shape.agentCalls) throw new Error(`the fake copilot was called ${calls} times, expected ${shape.agentCalls}`);
  const runMs = (results) => median(results.map((result) => result.runMs));
  const cpu = (results) => median(results.map((result) => result.cpuMs));
  const aloneMs = fakeAgentAloneMs(10);
  const difference = (runMs(copilot) - runMs(simulated)) / calls;
  // On the critical path: one process per slot (the group's two overlap), plus the acceptance command.
  const processes = shape.criticalSlots + 1;
  const restPerProcess = (runMs(copilot) - runMs(simulated) - processes * aloneMs) / processes;
  return [
    metric('per agent call, fake copilot processes', runMs(copilot) / calls, 'ms', {
      runs, command: `${teambotCommand(COPILOT_RUN)}  (test/fakeAgents first on PATH)`,
      notes: `run time / ${calls} agent calls (+1 acceptance_test_command process); teambot's own CPU ${cpu(copilot).toFixed(0)} ms for the whole process`,
    }),
    metric('per agent call, simulated 0 ms', runMs(simulated) / calls, 'ms', {
      runs, command: teambotCommand(SIMULATED_RUN), notes: `simulation.yaml: default_ms: 0; teambot's own CPU ${cpu(simulated).toFixed(0)} ms for the whole process`,
    }),
    metric('process runner cost per call', difference, 'ms', {
      runs, command: '', notes: `difference of the two; teambot's own CPU per call +${((cpu(copilot) - cpu(simulated)) / calls).toFixed(1)} ms`,
    }),
    metric('fake copilot alone', aloneMs, 'ms', {
      runs: 10, command: 'node test/fakeAgents/copilot -p … --silent --allow-all-tools --no-color',
      notes: `its own start-up and run; with ${processes} such processes on the critical path (${shape.criticalSlots} slots + the acceptance command), `
        + `teambot adds ${restPerProcess.toFixed(1)} ms to each: spawning it, reading its output, tearing down its process group, checking artifacts`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ 'process runner': await processRunner({ runs: Number(process.argv[2] ?? 5) }) });
}
