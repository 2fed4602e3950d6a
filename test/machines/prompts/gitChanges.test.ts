import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { headCommit, snapshotWorkingTree, workingTreeChanges } from '../../../machines/prompts/gitChanges.js';
import { temporaryDirectory } from '../../support/runCli.js';

/** A git repository with one commit (README.md, .gitignore ignoring .teambot/ and build/). */
async function repository(): Promise<string> {
  const cwd = temporaryDirectory();
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
  await git('init', '-q');
  writeFileSync(join(cwd, 'README.md'), '# Project\n');
  writeFileSync(join(cwd, '.gitignore'), '.teambot/\nbuild/\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'first');
  return cwd;
}

function write(cwd: string, path: string, text: string): void {
  mkdirSync(dirname(join(cwd, path)), { recursive: true });
  writeFileSync(join(cwd, path), text);
}

describe('git changes since a base', () => {
  it('shows files created, changed and left untracked since the base, not the ones that were there before, nor teambot\'s', async () => {
    const cwd = await repository();
    write(cwd, 'notes.txt', 'untracked before the stage\n');
    const index = readFileSync(join(cwd, '.git', 'index'));
    const base = await snapshotWorkingTree(cwd, { exclude: ['.teambot'] });
    expect(base.ok).toBe(true);
    write(cwd, 'src/feature.ts', 'export const on = true;\n');
    write(cwd, 'README.md', '# Project\nMore.\n');
    write(cwd, 'build/out.js', 'ignored\n');
    write(cwd, '.teambot/x/events.jsonl', '{}\n');
    const changes = await workingTreeChanges(cwd, base.ok ? base.value : '', { exclude: ['.teambot'] });
    expect(changes.ok).toBe(true);
    if (!changes.ok) return;
    expect(changes.value.diffStat).toMatch(/^ README\.md {6}\| 1 \+$/m);
    expect(changes.value.diffStat).toMatch(/^ src\/feature\.ts \| 1 \+$/m);
    expect(changes.value.diffStat).toMatch(/2 files changed, 2 insertions\(\+\)$/);
    expect(changes.value.diffStat).not.toMatch(/notes\.txt|build|\.teambot/);
    expect(changes.value.status.split('\n').sort()).toEqual([' M README.md', '?? notes.txt', '?? src/feature.ts']);
    // The user's index is as it was: nothing was staged.
    expect(readFileSync(join(cwd, '.git', 'index'))).toEqual(index);
  });

  it('says an empty diff when nothing changed, and diffs from HEAD too', async () => {
    const cwd = await repository();
    const head = await headCommit(cwd);
    expect(head.ok).toBe(true);
    const same = await workingTreeChanges(cwd, head.ok ? head.value : '');
    expect(same).toEqual({ ok: true, value: { diffStat: '', status: '' } });
  });

  it('reports a directory outside any repository as not a git repository, and never throws', async () => {
    const cwd = temporaryDirectory();
    const env = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = dirname(cwd);
    try {
      expect(await snapshotWorkingTree(cwd)).toEqual({ ok: false, notRepository: true, message: 'not a git repository' });
      expect(await workingTreeChanges(cwd, 'HEAD')).toMatchObject({ ok: false, notRepository: true });
      expect(await headCommit(cwd)).toMatchObject({ ok: false, notRepository: true });
    } finally {
      if (env === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = env;
    }
  });

  it('reports a repository without commits as having no HEAD, yet snapshots it', async () => {
    const cwd = temporaryDirectory();
    await execa('git', ['init', '-q'], { cwd });
    write(cwd, 'a.txt', 'a\n');
    expect(await headCommit(cwd)).toMatchObject({ ok: false, notRepository: false });
    const base = await snapshotWorkingTree(cwd);
    expect(base.ok).toBe(true);
    write(cwd, 'b.txt', 'b\n');
    const changes = await workingTreeChanges(cwd, base.ok ? base.value : '');
    expect(changes.ok && changes.value.diffStat).toMatch(/^ b\.txt \| 1 \+$/m);
  });
});
