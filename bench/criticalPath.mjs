// Measures how close a simulated run of the default workflow gets to its
// critical path: every agent call takes the same time, so the critical path is
// (sequential agent calls + one slot per parallel group) × call time.
//
//   node bench/criticalPath.mjs [callMs=1000] [runs=3]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const repo = fileURLToPath(new URL('..', import.meta.url));
const callMs = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);

// The default workflow as `teambot validate --json` describes it. With every review approved at
// once and acceptance passing on the first round, a review stage is 2 calls, any other stage 1,
// the terminal stage 0, and a parallel group one slot (its stages all take callMs).
const { stdout } = await execa('node', [join(repo, 'dist/cli.js'), 'validate', '--json'], { cwd: tmpdir() });
const outline = JSON.parse(stdout).stages;
const slots = outline.filter((stage) => stage.group === null)
  .reduce((sum, stage) => sum + (stage.kind === 'review' ? 2 : stage.kind === 'terminal' ? 0 : 1), 0)
  + new Set(outline.filter((stage) => stage.group !== null).map((stage) => stage.group)).size;
const criticalPathMs = slots * callMs;

async function measure(extraArgs) {
  const cwd = mkdtempSync(join(tmpdir(), 'teambot-bench-'));
  writeFileSync(join(cwd, 'simulation.yaml'), `default_ms: ${callMs}\n`);
  const started = performance.now();
  await execa('node', [join(repo, 'dist/cli.js'), 'run', join(repo, 'config/objectives/demo.md'),
    '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui', ...extraArgs], { cwd });
  const wallMs = performance.now() - started;
  const events = readFileSync(join(cwd, '.teambot/dark-mode-toggle/events.jsonl'), 'utf8').trim().split('\n').map(JSON.parse);
  const runMs = events.at(-1).duration_ms;
  return { wallMs, runMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const parallel = [];
const sequential = [];
for (let index = 0; index < runs; index++) {
  parallel.push(await measure([]));
  sequential.push(await measure(['--sequential']));
}
const run = median(parallel.map((result) => result.runMs));
const wall = median(parallel.map((result) => result.wallMs));
const sequentialRun = median(sequential.map((result) => result.runMs));
const row = (label, value) => console.log(`${label.padEnd(34)} ${value}`);
row('call time', `${callMs} ms`);
row('critical path', `${(criticalPathMs / 1000).toFixed(3)} s`);
row('run (run.started → run.completed)', `${(run / 1000).toFixed(3)} s  (+${((run / criticalPathMs - 1) * 100).toFixed(2)} %)`);
row('process wall time (incl. start-up)', `${(wall / 1000).toFixed(3)} s  (+${((wall / criticalPathMs - 1) * 100).toFixed(2)} %)`);
row('--sequential run', `${(sequentialRun / 1000).toFixed(3)} s  (group saved ${((sequentialRun - run) / 1000).toFixed(3)} s)`);
