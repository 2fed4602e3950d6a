#!/usr/bin/env node
// Peak memory of teambot while one agent prints a lot: a real `teambot run --no-ui` with the
// command runner and test/fakeAgents/argv-agent in flood mode (64 KiB lines), its peak RSS read
// from /proc/<pid>/status (VmHWM) until it exits. Linux only; build first (npm run build).
//   node bench/agentOutputMemory.mjs            # 1 GiB
//   AGENT_OUTPUT_BYTES=314572800 node bench/agentOutputMemory.mjs
//   AGENT_OUTPUT_LINE_BYTES=100 AGENT_OUTPUT_BYTES=104857600 node bench/agentOutputMemory.mjs   # a million short lines
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, demoFeature, fakeAgentsDir, makeProject, removeDir } from './lib.mjs';

const bytes = Number(process.env.AGENT_OUTPUT_BYTES ?? 1024 ** 3);
const lineBytes = Number(process.env.AGENT_OUTPUT_LINE_BYTES ?? 64 * 1024);
const cwd = makeProject('output-memory');
writeFileSync(join(cwd, 'stages.yaml'), 'stages:\n  WORK: { work_agent: pm }\n  DONE: {}\nstage_order: [WORK, DONE]\n');
writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
  teambot_dir: '.teambot', default_agent: 'pm', agents: [{ id: 'pm', persona: 'project_manager' }],
  runner: { type: 'command', max_retries: 0, argv: [join(fakeAgentsDir, 'argv-agent'), '{prompt}'] },
}));

const peakKiB = (pid) => {
  try {
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
const started = Date.now();
const run = execa('node', [cliPath, 'run', 'objective.md', '--no-ui'], {
  cwd, reject: false, stdin: 'ignore', stdout: 'ignore',
  env: { FAKE_AGENT_MODE: 'flood', FAKE_AGENT_BYTES: String(bytes), FAKE_AGENT_LINE_BYTES: String(lineBytes), NO_COLOR: '1' },
});
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, peakKiB(run.pid))), 20);
const result = await run;
clearInterval(sampler);
const featureDir = join(cwd, '.teambot', demoFeature);
const size = (name) => `${(statSync(join(featureDir, name)).size / 1024 / 1024).toFixed(1)} MiB`;
console.log(`agent output ${(bytes / 1024 ** 2).toFixed(0)} MiB in ${lineBytes}-byte lines: teambot exit ${result.exitCode}, peak RSS ${(peak / 1024).toFixed(0)} MiB, `
  + `${((Date.now() - started) / 1000).toFixed(1)} s; output/WORK.log ${size('output/WORK.log')}, `
  + `events.jsonl ${size('events.jsonl')}, orchestration_state.json ${size('orchestration_state.json')}`);
if (result.exitCode !== 0) console.error(result.stderr);
removeDir(cwd);
process.exitCode = result.exitCode === 0 ? 0 : 1;
