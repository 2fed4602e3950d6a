// `npm run bench`: every benchmark in turn (the CLI must be built: `npx tsup --silent`), one
// table on stdout, progress on stderr, and bench/results.json with the machine, the date and
// every metric (value, unit, runs, command).
//
//   node bench/run.mjs [--only startup,overhead,...] [--quick]
// --quick: one run each and shorter agent calls, to check the suite works (not for numbers).
// With --quick or --only the results go to bench/results.partial.json instead.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { crashLoop } from './crashLoop.mjs';
import { cliPath, machineInfo, repo, round, useDistSnapshot } from './lib.mjs';
import { overhead } from './overhead.mjs';
import { persistence } from './persistence.mjs';
import { processRunner } from './processRunner.mjs';
import { printTable, writeResults } from './report.mjs';
import { scale } from './scale.mjs';
import { startup } from './startup.mjs';
import { uiCost } from './uiCost.mjs';
import { viewReduction } from './viewReduction.mjs';

const quick = process.argv.includes('--quick');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1]?.split(',') : undefined;

// In this order: start-up first, on a quiet machine; the long overhead runs in the middle.
const BENCHMARKS = [
  { name: 'startup', run: () => startup({ runs: quick ? 3 : 10 }) },
  { name: 'process runner', run: () => processRunner({ runs: quick ? 1 : 5 }) },
  { name: 'overhead', run: () => overhead({ callMs: quick ? 200 : 1000, runs: quick ? 1 : 3 }) },
  { name: 'peers', run: async () => (await import('./peers.mjs')).peers({ runs: quick ? 1 : 5 }) },
  { name: 'scale', run: () => scale({ runs: quick ? 1 : 3 }) },
  { name: 'persistence', run: () => persistence({ runs: quick ? 1 : 3 }) },
  { name: 'ui cost', run: () => uiCost({ runs: quick ? 1 : 3, lines: quick ? 20_000 : 200_000 }) },
  { name: 'view reduction', run: () => viewReduction({ runs: quick ? 1 : 5 }) },
  { name: 'crash loop', run: () => crashLoop({ kills: quick ? 3 : 20, callMs: 600 }) },
];

if (!existsSync(cliPath)) {
  console.error(`bench: ${cliPath} is missing; build the CLI first: npx tsup --silent`);
  process.exit(2);
}
const unknown = (only ?? []).filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark ${unknown.join(', ')}; there are ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}`);
  process.exit(2);
}

const removeSnapshot = useDistSnapshot();
const startedAt = new Date();
const sections = {};
const errors = {};
/** The 1-minute load average as each benchmark started: anything else running skews the numbers. */
const loadAtStart = {};
for (const benchmark of BENCHMARKS.filter((candidate) => !only || only.includes(candidate.name))) {
  const began = performance.now();
  loadAtStart[benchmark.name] = round(loadavg()[0]);
  const busy = loadAtStart[benchmark.name] > cpus().length / 2 ? ` (load average ${loadAtStart[benchmark.name]} on ${cpus().length} CPUs: expect noise)` : '';
  process.stderr.write(`bench: ${benchmark.name}${busy}… `);
  try {
    sections[benchmark.name] = await benchmark.run();
    process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    errors[benchmark.name] = error instanceof Error ? error.message : String(error);
    sections[benchmark.name] = [{ name: 'FAILED', value: Number.NaN, unit: '', runs: 0, command: '', notes: errors[benchmark.name].split('\n')[0] }];
    process.stderr.write(`failed after ${((performance.now() - began) / 1000).toFixed(1)} s\n${error instanceof Error ? error.stack : error}\n`);
  }
}
removeSnapshot();
const durationS = (Date.now() - startedAt.getTime()) / 1000;
printTable(sections);
// Only a full run replaces results.json, the record of the last complete measurement.
const resultsPath = join(repo, 'bench', quick || only ? 'results.partial.json' : 'results.json');
writeResults(resultsPath, { machine: { ...machineInfo(), load_average_1m_at_start: loadAtStart }, startedAt: startedAt.toISOString(), durationS, sections, errors, quick });
process.stderr.write(`bench: ${round(durationS)} s in all; results in ${resultsPath}${quick ? ' (--quick: not for comparison)' : ''}\n`);
process.exitCode = Object.keys(errors).length > 0 ? 1 : 0;
