// Kills a simulated run with SIGKILL at random moments, resuming after each kill, and
// reports how much work each kill cost: stages started again beyond the 13 the workflow needs.
//
//   node bench/crashLoop.mjs [kills=50] [callMs=600]
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const repo = fileURLToPath(new URL('..', import.meta.url));
const targetKills = Number(process.argv[2] ?? 50);
const callMs = Number(process.argv[3] ?? 600);
const cwd = mkdtempSync(join(tmpdir(), 'teambot-crash-'));
writeFileSync(join(cwd, 'sim.yaml'), `default_ms: ${callMs}\n`);
const featureDir = join(cwd, '.teambot', 'dark-mode-toggle');
const statePath = join(featureDir, 'orchestration_state.json');
const cli = join(repo, 'dist', 'cli.js');
const common = ['--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'];

let kills = 0;
let resumes = 0;
let unparsable = 0;
for (;;) {
  const resuming = existsSync(statePath);
  if (resuming) resumes++;
  const args = resuming ? ['run', '--resume', ...common] : ['run', join(repo, 'config/objectives/demo.md'), ...common];
  const run = execa('node', [cli, ...args], { cwd, reject: false, stdin: 'ignore' });
  const timer = kills < targetKills ? setTimeout(() => run.kill('SIGKILL'), 120 + Math.random() * 380) : undefined;
  const result = await run;
  clearTimeout(timer);
  if (!result.isTerminated) break;
  kills++;
  if (existsSync(statePath)) {
    try { JSON.parse(readFileSync(statePath, 'utf8')); } catch { unparsable++; }
  }
}
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const events = readFileSync(join(featureDir, 'events.jsonl'), 'utf8').trim().split('\n').map(JSON.parse);
const starts = events.filter((event) => event.type === 'stage.started');
const completions = events.filter((event) => event.type === 'stage.completed');
const needed = new Set(completions.map((event) => event.stage)).size;
console.log(`kills                         ${kills}`);
console.log(`resumes                       ${resumes}`);
console.log(`final status                  ${state.status}`);
console.log(`state file unparsable         ${unparsable} times`);
console.log(`stages completed twice        ${completions.length - needed}`);
console.log(`stage starts                  ${starts.length} for ${needed} stages`);
console.log(`stages re-executed per kill   ${((starts.length - needed) / kills).toFixed(2)}`);
