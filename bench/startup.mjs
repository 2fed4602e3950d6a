// Start-up: how long the CLI takes to start and exit, cold process each time (the OS file cache
// is warm after the first run): `teambot --version` (commander only), `teambot validate` of the
// built-in workflow (yaml, zod, the loader), and `node -e 0` as the floor.
//
//   node bench/startup.mjs [runs=10]
import { cliPath, isMain, makeProject, median, metric, removeDir, timeSync } from './lib.mjs';

/** @returns the median wall time of each command over `runs` runs, after one unmeasured warm-up */
export async function startup({ runs = 10 } = {}) {
  const cwd = makeProject('startup');
  try {
    const commands = [
      { name: 'node -e 0 (floor)', file: process.execPath, args: ['-e', '0'], command: 'node -e 0' },
      { name: 'teambot --version', file: process.execPath, args: [cliPath, '--version'], command: 'teambot --version' },
      { name: 'teambot validate', file: process.execPath, args: [cliPath, 'validate'], command: 'teambot validate', notes: 'the built-in 14-stage workflow and team' },
    ];
    const medians = commands.map((entry) => {
      timeSync(entry.file, entry.args, { cwd });
      return median(Array.from({ length: runs }, () => timeSync(entry.file, entry.args, { cwd })));
    });
    const floor = medians[0];
    return commands.map((entry, index) => metric(entry.name, medians[index], 'ms', {
      runs, command: entry.command,
      notes: [index > 0 ? `+${(medians[index] - floor).toFixed(1)} ms over node` : 'the Node.js process alone', entry.notes].filter(Boolean).join('; '),
    }));
  } finally {
    removeDir(cwd);
  }
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ startup: await startup({ runs: Number(process.argv[2] ?? 10) }) });
}
