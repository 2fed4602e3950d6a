import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../support/processes.js';
import { demoFeature as feature } from '../support/project.js';
import { cliPath, fakeAgentsDir, repoRoot, temporaryDirectory } from '../support/runCli.js';

// What a review found: 200 MB of agent output took teambot to 1.3–2.2 GB of RSS and failed
// the stage; 530 MB ended in "Invalid string length". teambot now streams output to the
// stage's output file and keeps bounded tails. The assertion is on memory, never on time:
// however slow the machine, the run only has to finish within a generous deadline.

const OUTPUT_BYTES = 300 * 1024 * 1024;
const RSS_LIMIT_KIB = 200 * 1024;
const LINE_BYTES = 64 * 1024;

/** The peak resident set (VmHWM, KiB) of a live process, or undefined once it is gone. */
function peakRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

describe.runIf(process.platform === 'linux')('an agent printing 300 MB', () => {
  it('keeps teambot under 200 MiB of RSS, and the stage succeeds with the end of its output', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'stages.yaml'), 'stages:\n  WORK: { work_agent: pm }\n  DONE: {}\nstage_order: [WORK, DONE]\n');
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
      teambot_dir: '.teambot', default_agent: 'pm', agents: [{ id: 'pm', persona: 'project_manager' }],
      runner: { type: 'command', max_retries: 0, argv: [join(fakeAgentsDir, 'argv-agent'), '{prompt}'] },
    }));
    writeFileSync(join(cwd, 'objective.md'), readFileSync(join(repoRoot, 'config', 'objectives', 'demo.md')));
    // stdout ignored: the test itself must not hold the 300 MB the reporter prints.
    const run = execa('node', [cliPath, 'run', 'objective.md', '--no-ui'], {
      cwd, reject: false, stdin: 'ignore', stdout: 'ignore',
      env: { FAKE_AGENT_MODE: 'flood', FAKE_AGENT_BYTES: String(OUTPUT_BYTES), NO_COLOR: '1' },
    });
    let peak = 0;
    // VmHWM only grows, so the last reading before the process goes is its peak (but for its last moments).
    const sampler = setInterval(() => {
      peak = Math.max(peak, peakRssKiB(run.pid!) ?? 0);
    }, 50);
    let result: Awaited<typeof run>;
    try {
      result = await withDeadline(run, 120_000, 'the run to finish');
    } finally {
      clearInterval(sampler);
      run.kill('SIGKILL');
    }
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(peak).toBeGreaterThan(0);
    expect(peak, `peak RSS ${Math.round(peak / 1024)} MiB`).toBeLessThan(RSS_LIMIT_KIB);

    const featureDir = join(cwd, '.teambot', feature);
    const lines = Math.ceil(OUTPUT_BYTES / LINE_BYTES);
    expect(statSync(join(featureDir, 'output', 'WORK.log')).size).toBe(lines * LINE_BYTES + 'done\n'.length);
    const state = JSON.parse(readFileSync(join(featureDir, 'orchestration_state.json'), 'utf8')) as { stage_outputs: Record<string, string> };
    const output = state.stage_outputs.WORK!;
    expect(output.length).toBeLessThanOrEqual(256 * 1024 + 500);
    expect(output).toMatch(/^\[teambot\] the start of this output is left out .*; all of it is in \.teambot\/dark-mode-toggle\/output\/WORK\.log\n/);
    expect(output.endsWith('\ndone')).toBe(true);
    expect(statSync(join(featureDir, 'events.jsonl')).size).toBeLessThan(6 * 1024 * 1024);
  }, 150_000);
});
