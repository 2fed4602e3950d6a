import { describe, expect, it } from 'vitest';
import { demoProject } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

describe('run for scripts: --json and --quiet', () => {
  it('run --json: every event as a JSON line on stdout and nothing else, run.completed last; the summary on stderr', async () => {
    const { cwd, run, events } = demoProject('default_ms: 1\n');
    const result = await runCliInProcess([...run.filter((arg) => arg !== '--no-ui'), '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(lines).toEqual(events());
    expect(lines.at(-1)!.type).toBe('run.completed');
    expect(result.stderr).toMatch(/✓ complete/);
  });

  it('run --quiet: one line, the status and how to resume; nothing else but errors', async () => {
    const { cwd, run } = demoProject('default_ms: 400\n');
    const result = await runCliInProcess([...run, '--quiet', '--max-hours', '0.0003'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('dark-mode-toggle: timeout; resume: teambot resume dark-mode-toggle --max-hours 9');
    expect(result.stderr).toBe('teambot: the time limit of 1.1 s was reached');
  });

  it('resume --json: the plan on stderr, stdout the events alone', async () => {
    const { cwd, run, resume, simulate } = demoProject('default_ms: 400\n');
    await runCliInProcess([...run, '--max-hours', '0.0003'], { cwd });
    simulate('default_ms: 1\n');
    const result = await runCliInProcess([...resume, '--json', '--max-hours', '1'], { cwd });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(lines[0]!.type).toBe('run.started');
    expect(lines.at(-1)!.type).toBe('run.completed');
    expect(result.stderr).toMatch(/^resuming dark-mode-toggle from /m);
  });
});
