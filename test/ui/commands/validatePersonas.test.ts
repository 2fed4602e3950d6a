import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

describe('teambot validate: personas', () => {
  it('lists the persona file each agent gets, the base-name fallback included, and warns about an agent with none', async () => {
    const cwd = temporaryDirectory();
    expect((await runCliInProcess(['init'], { cwd })).exitCode).toBe(0);
    const agents = join(cwd, '.github', 'agents');
    renameSync(join(agents, 'builder-1.agent.md'), join(agents, 'builder.agent.md'));
    rmSync(join(agents, 'writer.agent.md'));
    const result = await runCliInProcess(['validate', '--runner', 'simulated'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Personas\n {2}pm +\.github\/agents\/pm\.agent\.md$/m);
    expect(result.stdout).toMatch(/^ {2}builder-1 +\.github\/agents\/builder\.agent\.md$/m);
    expect(result.stdout).toMatch(/^ {2}builder-2 +\.github\/agents\/builder-2\.agent\.md$/m);
    expect(result.stdout).toMatch(/^ {2}writer +none \(see its warning\)$/m);
    expect(result.stderr).toMatch(/warning: \.github\/agents: agent writer: no persona file for writer: .*\[persona-missing\]/);
    expect(result.stderr.match(/persona-missing/g)).toHaveLength(1);
    const json = await runCliInProcess(['validate', '--runner', 'simulated', '--json'], { cwd });
    const parsed = JSON.parse(json.stdout) as { personas: unknown[]; warnings: { rule: string }[] };
    expect(parsed.personas).toContainEqual({ agent: 'builder-1', file: '.github/agents/builder.agent.md' });
    expect(parsed.personas).toContainEqual({ agent: 'writer', file: null });
    expect(parsed.warnings.filter((warning) => warning.rule === 'persona-missing')).toHaveLength(1);
  });
});
