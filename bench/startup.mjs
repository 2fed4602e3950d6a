// Start-up: how long the CLI takes to start and exit, cold process each time (the OS file cache
// is warm after the first run), side by side with `node -e 0`, the floor: `teambot --version`
// (answered by the bin, bin/teambot.cjs, before any ES module loads), `teambot validate` of the built-in workflow (yaml, zod, the
// loader), `teambot graph --format json` (the compiled statechart too), and the default 14-stage
// workflow run with simulated agents whose calls take 0 ms (almost all of it start-up).
// Each figure is a median and, in its notes, a multiple of `node -e 0`'s median.
//
//   node bench/startup.mjs [runs=10]
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, cliPath, isMain, makeProject, median, metric, removeDir, timeSync } from './lib.mjs';

/** @returns the median wall time of each command over `runs` rounds, after one unmeasured warm-up round */
export async function startup({ runs = 10 } = {}) {
  const cwd = makeProject('startup');
  writeFileSync(join(cwd, 'simulation.yaml'), 'default_ms: 0\n');
  // validate and the run use the simulated runner, so that they pass on a machine without the
  // Copilot CLI (with copilot, validate also looks it up on PATH: `which`, a few ms).
  const runArgs = ['run', 'objective.md', '--runner', 'simulated', '--simulate', 'simulation.yaml', '--no-ui'];
  try {
    const commands = [
      { name: 'node -e 0 (floor)', file: process.execPath, args: ['-e', '0'], command: 'node -e 0' },
      // What `teambot` runs, the package's bin (bin/teambot.cjs), which answers --version itself.
      { name: 'teambot --version', file: process.execPath, args: [binPath, '--version'], command: 'teambot --version', goal: 1.15 },
      {
        name: 'teambot validate', file: process.execPath, args: [cliPath, 'validate', '--runner', 'simulated'],
        command: 'teambot validate --runner simulated', goal: 2.0, notes: 'the built-in 14-stage workflow and team, objective.md',
      },
      {
        name: 'teambot graph --format json', file: process.execPath, args: [cliPath, 'graph', '--format', 'json'],
        command: 'teambot graph --format json', notes: 'the built-in workflow compiled to its statechart',
      },
      {
        name: 'default run, 0 ms agents', file: process.execPath, args: [cliPath, ...runArgs],
        command: `teambot ${runArgs.join(' ')}`, goal: 3.0, notes: 'simulation.yaml: default_ms: 0; 17 simulated agent calls, a fresh .teambot/ each time',
        // Each run starts from no state: the previous run's directory is removed, untimed.
        before: () => rmSync(join(cwd, '.teambot'), { recursive: true, force: true }),
      },
    ];
    const time = (entry) => {
      entry.before?.();
      return timeSync(entry.file, entry.args, { cwd });
    };
    // Round-robin: one run of each command in turn, so a machine that gets busier or quieter
    // meanwhile shifts every command alike and the ratios hold; one unmeasured warm-up round first.
    for (const entry of commands) time(entry);
    const times = commands.map(() => []);
    for (let round = 0; round < runs; round++) commands.forEach((entry, index) => times[index].push(time(entry)));
    const medians = times.map(median);
    const floor = medians[0];
    const ratios = commands.flatMap((entry, index) => (entry.goal === undefined ? [] : [
      metric(`${entry.name} / node -e 0`, medians[index] / floor, '×', { runs, command: entry.command, goal: { max: entry.goal, text: `≤ ${entry.goal.toFixed(2)}× node -e 0` } }),
    ]));
    return [...commands.map((entry, index) => metric(entry.name, medians[index], 'ms', {
      runs, command: entry.command,
      notes: [
        index > 0 ? `${(medians[index] / floor).toFixed(2)}× node -e 0 (+${(medians[index] - floor).toFixed(1)} ms)` : 'the Node.js process alone',
        entry.notes,
      ].filter(Boolean).join('; '),
    })), ...ratios];
  } finally {
    removeDir(cwd);
  }
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ startup: await startup({ runs: Number(process.argv[2] ?? 10) }) });
}
