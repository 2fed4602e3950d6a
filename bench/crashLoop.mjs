// Crash safety: kills a simulated run of the default workflow with SIGKILL at a random moment
// 120–500 ms after each start, resuming after each kill, and reports how much work each kill
// cost (stages started again beyond those the workflow needs) and whether the state file was
// ever unreadable.
//
//   node bench/crashLoop.mjs [kills=50] [callMs=600]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFeature, isMain, makeProject, metric, readEvents, removeDir, runTeambot, teambotCommand } from './lib.mjs';

const COMMON = ['--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'];

/** @returns the crash-loop metrics (one loop: `kills` kills, then a resume to the end) */
export async function crashLoop({ kills: targetKills = 50, callMs = 600 } = {}) {
  const cwd = makeProject('crash');
  try {
    writeFileSync(join(cwd, 'sim.yaml'), `default_ms: ${callMs}\n`);
    const featureDir = join(cwd, '.teambot', demoFeature);
    const statePath = join(featureDir, 'orchestration_state.json');
    let kills = 0;
    let resumes = 0;
    let unparsable = 0;
    for (;;) {
      const resuming = existsSync(statePath);
      if (resuming) resumes++;
      const args = resuming ? ['run', '--resume', ...COMMON] : ['run', 'objective.md', ...COMMON];
      const killAfterMs = kills < targetKills ? 120 + Math.random() * 380 : undefined;
      const result = await runTeambot(args, { cwd, probe: false, killAfterMs });
      if (result.signal !== 'SIGKILL') {
        if (result.exitCode !== 0) throw new Error(`${teambotCommand(args)} exited with ${result.exitCode}:\n${result.stderr.slice(-2000)}`);
        break;
      }
      kills++;
      if (existsSync(statePath)) {
        try {
          JSON.parse(readFileSync(statePath, 'utf8'));
        } catch {
          unparsable++;
        }
      }
    }
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    const events = readEvents(featureDir);
    const starts = events.filter((event) => event.type === 'stage.started');
    const completions = events.filter((event) => event.type === 'stage.completed');
    const needed = new Set(completions.map((event) => event.stage)).size;
    const command = `${teambotCommand(['run', 'objective.md', ...COMMON])}, SIGKILL after 120–500 ms, then ${teambotCommand(['run', '--resume', ...COMMON])}`;
    const common = { runs: 1, command };
    return [
      metric('kills', kills, 'kills', { ...common, notes: `sim.yaml: default_ms: ${callMs}; final status ${state.status}` }),
      metric('resumes', resumes, 'resumes', { ...common, notes: 'the last one ran to the end' }),
      metric('stages re-executed per kill', (starts.length - needed) / kills, 'stages', {
        ...common, notes: `${starts.length} stage starts for ${needed} stages; the stage running at the kill starts again`,
      }),
      metric('stages completed twice', completions.length - needed, 'stages', { ...common, notes: 'a completed stage must never run again' }),
      metric('state file unparsable after a kill', unparsable, 'times', { ...common, notes: 'orchestration_state.json read after every kill' }),
    ];
  } finally {
    removeDir(cwd);
  }
}

if (isMain(import.meta.url)) {
  const { printTable } = await import('./report.mjs');
  printTable({ 'crash loop': await crashLoop({ kills: Number(process.argv[2] ?? 50), callMs: Number(process.argv[3] ?? 600) }) });
}
