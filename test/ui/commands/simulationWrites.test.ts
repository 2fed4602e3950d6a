import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, createProject, readEvents } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

/** A simulation in which IMPLEMENTATION's agent edits the project, as a real agent would. */
const EDITING = `default_ms: 2
stages:
  IMPLEMENTATION:
    writes:
      src/feature.ts: "export const darkMode = true;\\n"
      notes/obsolete.md: null
`;

describe('a simulated agent that writes files', { timeout: 60_000 }, () => {
  it('writes and deletes the files its simulation gives, in the project, and says so in its output', async () => {
    const cwd = createProject(EDITING);
    mkdirSync(join(cwd, 'notes'));
    writeFileSync(join(cwd, 'notes', 'obsolete.md'), 'old\n');
    const run = await runCliInProcess(commands.run, { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'src', 'feature.ts'), 'utf8')).toBe('export const darkMode = true;\n');
    expect(existsSync(join(cwd, 'notes', 'obsolete.md'))).toBe(false);
    expect(readEvents(cwd).flatMap((event) => (event.type === 'stage.output' && event.stage === 'IMPLEMENTATION' ? [event.line] : [])))
      .toContain('simulated builder-1: wrote src/feature.ts, deleted notes/obsolete.md');
  });

  it.each([
    ['../outside.txt', 'leads out of the working directory'],
    ['/tmp/outside.txt', 'is an absolute path'],
    ['.git/config', 'is inside .git or .teambot'],
  ])('refuses %s with its line, rule and fix before anything runs (exit 2, nothing written)', async (path, why) => {
    const cwd = createProject(`default_ms: 2\nstages:\n  IMPLEMENTATION:\n    writes:\n      ${JSON.stringify(path)}: x\n`);
    const run = await runCliInProcess(commands.run, { cwd });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`sim.yaml:5:7: stage IMPLEMENTATION: "${path}" ${why}`);
    expect(run.stderr).toMatch(/\[simulation-write-outside\]\n {2}fix: name a file by its path relative to the project/);
    expect(existsSync(join(cwd, '.teambot'))).toBe(false);
  });

  it('fails the stage, writing nothing, when a symbolic link in the project leads the path outside', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'teambot-outside-'));
    const cwd = createProject(EDITING);
    symlinkSync(outside, join(cwd, 'src'));
    const run = await runCliInProcess(commands.run, { cwd });
    expect(run.exitCode).toBe(1);
    expect(readdirSync(outside)).toEqual([]);
    expect(readEvents(cwd)).toContainEqual(expect.objectContaining({
      type: 'stage.failed', stage: 'IMPLEMENTATION', error: 'cannot write src/feature.ts: a symbolic link leads it out of the project',
    }));
  });
});
