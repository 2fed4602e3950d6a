import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoProject } from '../../support/project.js';
import { repoRoot, runCliInProcess, withoutWarnings } from '../../support/runCli.js';

/**
 * Node's timers hold at most 2^31−1 ms (24.8 days): a longer limit used to fire at once, so
 * `--max-hours 1000` timed a run out in a millisecond. Long limits now mean what they say, and
 * absurd ones are refused before anything runs.
 */
describe('time limits', () => {
  it('a run with --max-hours 1000 (past a Node timer\'s 596 hours) completes instead of timing out at once', async () => {
    const { cwd, run, state } = demoProject('default_ms: 1\n');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const result = await runCliInProcess([...run, '--max-hours', '1000'], { cwd });
      expect(withoutWarnings(result.stderr, 'acceptance-command-missing')).toBe('');
      expect(result.exitCode).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(state()).toMatchObject({ status: 'complete', max_seconds: 3_600_000 });
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('refuses --max-hours past ten years, with exit 2 and nothing written', async () => {
    const { cwd, run } = demoProject('default_ms: 1\n');
    const result = await runCliInProcess([...run, '--max-hours', '1e9'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--max-hours 1e9: must be a decimal number of hours, at least 0\.0003 \(one second\) and at most 87600 \(ten years\) \[invalid-max-hours\]/);
  });

  it('refuses a timeout_minutes or idle_timeout_minutes past ten years where it is written', async () => {
    const { cwd } = demoProject('default_ms: 1\n');
    const stages = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8').replace(/(\n {2}RESEARCH:\n)/, '$1    timeout_minutes: 1e12\n');
    writeFileSync(join(cwd, 'stages.yaml'), stages);
    const team = JSON.parse(readFileSync(join(repoRoot, 'config', 'teambot.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({ ...team, runner: { type: 'simulated', idle_timeout_minutes: 1e12 } }, null, 2));
    const result = await runCliInProcess(['validate'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/stages\.yaml:\d+:\d+: .*timeout_minutes.*\[out-of-range\]/);
    expect(result.stderr).toMatch(/teambot\.json:\d+:\d+: .*idle_timeout_minutes.*\[out-of-range\]/);
  });
});
