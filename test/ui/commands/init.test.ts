import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

const expectedFiles = [
  'teambot.json', 'stages.yaml', 'stages.schema.json', 'objectives/example.md',
  ...['ba', 'builder-1', 'builder-2', 'pm', 'reviewer', 'writer'].map((id) => `.github/agents/${id}.agent.md`),
];

describe('teambot init', () => {
  it('writes a working configuration that validates with every agent checked', async () => {
    const directory = temporaryDirectory();
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    for (const file of expectedFiles) expect(existsSync(join(directory, file)), file).toBe(true);
    expect(readFileSync(join(directory, 'stages.yaml'), 'utf8')).toBe(readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8'));

    const validation = await runCliInProcess(['validate', '--objective', 'objectives/example.md'], { cwd: directory });
    expect(validation.stderr).toBe('');
    expect(validation.exitCode).toBe(0);
    expect(validation.stdout).toMatch(/teambot\.json: 6 agents, every stage's agents defined and allowed/);
  });

  it('refuses to overwrite anything without --force, and writes nothing at all', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'stages.yaml'), 'my own workflow\n');
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/already exists, nothing was written:\n {2}stages\.yaml/);
    expect(result.stderr).toMatch(/teambot init --force/);
    expect(readFileSync(join(directory, 'stages.yaml'), 'utf8')).toBe('my own workflow\n');
    expect(readdirSync(directory)).toEqual(['stages.yaml']);
  });

  it('overwrites with --force and says which files it replaced', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'teambot.json'), '{}');
    const result = await runCliInProcess(['init', '--force'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/overwrote teambot\.json/);
    expect(JSON.parse(readFileSync(join(directory, 'teambot.json'), 'utf8'))).toHaveProperty('agents');
  });
});
