// View reduction: how long the live view's reducer (ui/run-view/runView.ts, reduceRunView) takes for
// 100,000 `stage.output` events spread over the two running stages of the default workflow's
// parallel group, as a chatty pair of agents would produce them. It moved here from
// test/ui/run-view/runView.test.ts, which asserted < 500 ms on whatever machine ran the tests; the test
// now checks only the result. The source is bundled with esbuild (tsup's own) to a temporary
// module, so this needs no build of the CLI.
//
//   node bench/viewReduction.mjs [runs=5] [lines=100000]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { isMain, median, metric, removeDir, repo } from './lib.mjs';

/** The old test's bound, for the notes: what the reducer once had to stay under. */
const FORMER_TEST_LIMIT_MS = 500;

/** ui/run-view/runView.ts and the stages loader, bundled into one module in a temporary directory. */
async function loadReducer() {
  const dir = mkdtempSync(join(tmpdir(), 'teambot-bench-view-'));
  try {
    const entry = [
      `export { initialRunView, reduceRunView } from ${JSON.stringify(join(repo, 'ui', 'run-view', 'runView.ts'))};`,
      `export { validateStages } from ${JSON.stringify(join(repo, 'loader', 'validateStages.ts'))};`,
      `export { parseYamlSource } from ${JSON.stringify(join(repo, 'loader', 'yamlSource.ts'))};`,
    ].join('\n');
    const bundled = await build({
      stdin: { contents: entry, resolveDir: repo, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
      // CommonJS dependencies (yaml) require node's modules: give the bundle a require of its own.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const file = join(dir, 'runView.mjs');
    writeFileSync(file, bundled.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    removeDir(dir);
  }
}

/** The built-in workflow's view with its parallel group running (RESEARCH ‖ TEST_STRATEGY). */
function groupRunning(reducer) {
  const { config, issues } = reducer.validateStages(
    reducer.parseYamlSource('stages.yaml', readFileSync(join(repo, 'config', 'stages.yaml'), 'utf8')), { source: 'built-in' });
  if (!config) throw new Error(`config/stages.yaml: ${issues.map((issue) => issue.message).join('; ')}`);
  const t0 = Date.parse('2026-03-01T10:00:00.000Z');
  const event = (seconds, type, fields = {}) => ({ ts: new Date(t0 + seconds * 1000).toISOString(), type, ...fields });
  const start = reducer.initialRunView({
    stages: config, title: 'Benchmark', feature: 'benchmark', runner: 'simulated',
    startedAt: t0, elapsedBefore: 0, maxSeconds: 3600, completed: [],
  });
  const view = [
    event(0, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
    event(0, 'stage.started', { stage: 'RESEARCH', agent: 'builder-1', role: 'work', iteration: 1 }),
    event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1 }),
  ].reduce(reducer.reduceRunView, start);
  return { view, event };
}

export async function viewReduction({ runs = 5, lines = 100_000 } = {}) {
  const reducer = await loadReducer();
  const { view: running, event } = groupRunning(reducer);
  const events = Array.from({ length: lines }, (_, index) =>
    event(1, 'stage.output', { stage: index % 2 ? 'RESEARCH' : 'TEST_STRATEGY', line: `line ${index}` }));
  const once = () => {
    const started = process.hrtime.bigint();
    let view = running;
    for (const line of events) view = reducer.reduceRunView(view, line);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const lastOdd = lines % 2 === 0 ? lines - 1 : lines - 2; // RESEARCH gets the odd lines
    if (view.output.RESEARCH?.at(-1) !== `line ${lastOdd}`) {
      throw new Error(`the reduced view lost RESEARCH's last line: ${view.output.RESEARCH?.at(-1)}`);
    }
    return ms;
  };
  once(); // warm-up: the first pass also compiles the reducer
  const ms = median(Array.from({ length: runs }, once));
  return [
    metric(`reduce ${lines.toLocaleString('en')} output lines`, ms, 'ms', {
      runs, command: 'node bench/viewReduction.mjs',
      notes: `reduceRunView over two running stages, ${(ms * 1000 / lines).toFixed(2)} µs a line; `
        + `test/ui/run-view/runView.test.ts once required < ${FORMER_TEST_LIMIT_MS} ms for 100,000`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ 'view reduction': await viewReduction({ runs: Number(process.argv[2] ?? 5), lines: Number(process.argv[3] ?? 100_000) }) });
}
