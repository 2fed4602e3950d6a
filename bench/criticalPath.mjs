// Kept for the README's command: the overhead benchmark (bench/overhead.mjs) on its own, the
// default workflow with simulated agents against its critical path, and with --sequential.
//
//   node bench/criticalPath.mjs [callMs=1000] [runs=3]
import { overhead } from './overhead.mjs';
import { printTable } from './report.mjs';

printTable({ overhead: await overhead({ callMs: Number(process.argv[2] ?? 1000), runs: Number(process.argv[3] ?? 3) }) });
