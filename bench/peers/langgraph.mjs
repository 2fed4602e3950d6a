// The LangGraph.js peer of a simulated teambot run: one process that reads the same stages.yaml,
// builds a StateGraph of it (one node per agent call), compiles it with a checkpointer and runs it
// to the end, every node sleeping `--call-ms` like the simulated runner's agent call.
//
//   node bench/peers/langgraph.mjs [--stages config/stages.yaml] [--call-ms 300]
//                                  [--checkpointer memory|sqlite] [--db file.sqlite]
//
// Prints one JSON line on stdout: { calls, runMs, checkpointer, checkpoints }, where runMs is the
// graph's own run (invoke → its result), the figure comparable to teambot's run.started →
// run.completed.
//
// The graph, from stages.yaml as teambot reads it (stage_order, parallel_groups):
// - a work stage (and the acceptance-test stage) is one node: one agent call;
// - a review stage (is_review_stage) is two nodes, `<STAGE>_work` → `<STAGE>_review`, with a
//   conditional edge back to the work node until the verdict is an approval (here at once, as
//   teambot's simulation approves every review at the first iteration); the acceptance-test
//   node likewise loops until its tests pass (here the first round);
// - a parallel group fans out from its `after` stage to every member and fans in to its
//   `before` stage (an edge from all the members: the `before` stage waits for every one);
// - a stage without a work agent (COMPLETE) is the end.
// Each node returns its output into the graph state (a map of stage → output, like teambot's
// stage_outputs), so every checkpoint carries the outputs so far.
//
// The checkpointer: MemorySaver (@langchain/langgraph) by default. It keeps checkpoints in the
// process's memory and never touches the disk, unlike teambot, which writes and fsyncs its state
// file at every step. The durable peer, `--checkpointer sqlite`, is SqliteSaver from
// @langchain/langgraph-checkpoint-sqlite, which this repository does not install: it needs
// better-sqlite3, a native addon whose prebuilt binaries cannot be downloaded here, so every
// `npm ci` would compile SQLite from source (about a minute, and a C++ toolchain on every
// machine). Install it beside this file to measure that variant.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotation, END, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { parse } from 'yaml';

const DEFAULT_STAGES = fileURLToPath(new URL('../../config/stages.yaml', import.meta.url));

/**
 * The graph's plan from a parsed stages.yaml: the backbone in stage_order, with each parallel
 * group's members replaced by one step that holds them all.
 *
 * @returns { steps: Array<{ kind: 'stage', id, review, acceptance } | { kind: 'group', id, members }>, calls }
 */
export function planOf(config) {
  const stages = config.stages ?? {};
  const order = config.stage_order ?? Object.keys(stages);
  const groupOf = new Map();
  for (const [id, group] of Object.entries(config.parallel_groups ?? {})) {
    for (const member of group.stages) groupOf.set(member, id);
  }
  const steps = [];
  let calls = 0;
  for (const id of order) {
    const stage = stages[id] ?? {};
    if (!stage.work_agent) continue; // the terminal stage: the graph's END
    const step = { kind: 'stage', id, review: stage.is_review_stage === true, acceptance: stage.is_acceptance_test_stage === true };
    calls += step.review ? 2 : 1;
    const group = groupOf.get(id);
    if (group === undefined) {
      steps.push(step);
    } else if (steps.at(-1)?.kind === 'group' && steps.at(-1).id === group) {
      steps.at(-1).members.push(step);
    } else {
      steps.push({ kind: 'group', id: group, members: [step] });
    }
  }
  return { steps, calls };
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Builds and compiles the graph; every node "calls an agent" by sleeping callMs. */
export function buildGraph(plan, { callMs, checkpointer }) {
  const State = Annotation.Root({
    outputs: Annotation({ reducer: (left, right) => ({ ...left, ...right }), default: () => ({}) }),
    verdicts: Annotation({ reducer: (left, right) => ({ ...left, ...right }), default: () => ({}) }),
    calls: Annotation({ reducer: (left, right) => left + right, default: () => 0 }),
  });
  const graph = new StateGraph(State);
  const agentCall = (stage, role) => async () => {
    await sleep(callMs);
    const key = role === 'review' ? `${stage.id}:review` : stage.id;
    return { outputs: { [key]: `simulated ${role} output of ${stage.id}` }, verdicts: { [stage.id]: 'approved' }, calls: 1 };
  };
  // Each stage's first and last node, and the routing out of its last node.
  const entry = (step) => (step.review ? `${step.id}_work` : step.id);
  const exit = (step) => (step.review ? `${step.id}_review` : step.id);
  const addStage = (step) => {
    if (step.review) {
      graph.addNode(`${step.id}_work`, agentCall(step, 'work'));
      graph.addNode(`${step.id}_review`, agentCall(step, 'review'));
      graph.addEdge(`${step.id}_work`, `${step.id}_review`);
    } else {
      graph.addNode(step.id, agentCall(step, 'work'));
    }
  };
  const steps = plan.steps;
  for (const step of steps) {
    if (step.kind === 'group') step.members.forEach(addStage);
    else addStage(step);
  }
  // Where the graph goes after a step: the next step's entry (all of a group's members), or END.
  const entriesOf = (step) => (step === undefined ? [END] : step.kind === 'group' ? step.members.map(entry) : [entry(step)]);
  graph.addEdge(START, entriesOf(steps[0])[0]);
  steps.forEach((step, index) => {
    const next = entriesOf(steps[index + 1]);
    if (step.kind === 'group') {
      // Fan-in: the next stage waits for every member (a group of review stages is not allowed).
      const exits = step.members.map(exit);
      for (const target of next) graph.addEdge(exits, target);
      return;
    }
    const loops = step.review || step.acceptance;
    if (!loops) {
      for (const target of next) graph.addEdge(exit(step), target);
      return;
    }
    // A review (or acceptance) loop: back to the work node until approved (or passed), then on
    // to the next step: every member of a group at once when the next step is a group (fan-out).
    const again = entry(step);
    graph.addConditionalEdges(exit(step), (state) => (state.verdicts[step.id] === 'approved' ? next : again), [...next, again]);
  });
  return graph.compile({ checkpointer });
}

async function makeCheckpointer(kind, dbPath) {
  if (kind === 'memory') return { checkpointer: new MemorySaver(), close: () => {} };
  if (kind === 'sqlite') {
    let module;
    try {
      module = await import('@langchain/langgraph-checkpoint-sqlite');
    } catch {
      throw new Error('--checkpointer sqlite needs @langchain/langgraph-checkpoint-sqlite (and its native better-sqlite3), which this repository does not install');
    }
    const file = dbPath ?? join(tmpdir(), `teambot-bench-langgraph-${process.pid}.sqlite`);
    const checkpointer = module.SqliteSaver.fromConnString(file);
    return {
      checkpointer,
      close: () => {
        checkpointer.db?.close?.();
        if (dbPath === undefined) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  throw new Error(`--checkpointer ${kind}: memory or sqlite`);
}

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  const stagesPath = option('--stages', DEFAULT_STAGES);
  const callMs = Number(option('--call-ms', '300'));
  const kind = option('--checkpointer', 'memory');
  const plan = planOf(parse(readFileSync(stagesPath, 'utf8')));
  const { checkpointer, close } = await makeCheckpointer(kind, option('--db'));
  try {
    const app = buildGraph(plan, { callMs, checkpointer });
    const config = { configurable: { thread_id: 'bench' }, recursionLimit: 1000 };
    const started = process.hrtime.bigint();
    const result = await app.invoke({}, config);
    const runMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.calls !== plan.calls) throw new Error(`expected ${plan.calls} agent calls, the graph made ${result.calls}`);
    let checkpoints = 0;
    for await (const _ of checkpointer.list(config)) checkpoints++;
    process.stdout.write(`${JSON.stringify({ calls: result.calls, runMs, checkpointer: kind, checkpoints })}\n`);
  } finally {
    close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
