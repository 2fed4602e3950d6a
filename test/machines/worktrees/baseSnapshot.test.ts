import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotWorkingTree } from '../../../machines/worktrees/baseSnapshot.js';
import { GitError, runGit } from '../../../loader/gitCommands.js';
import { temporaryDirectory } from '../../support/runCli.js';
import { git, treeFiles, userRepository, userState, write } from './gitRepository.js';

const REF = 'refs/teambot/feature/base';

describe('the base snapshot of the user\'s working tree', () => {
  it('records uncommitted, staged, untracked and deleted files, not ignored ones nor .teambot/, on HEAD', async () => {
    const root = await userRepository();
    const base = await snapshotWorkingTree(root, { ref: REF, exclude: ['.teambot'] });
    expect(await treeFiles(root, base)).toEqual([
      '100644 .gitignore', '100644 README.md', '100644 logo.bin', '100644 notes.txt', '100644 old.txt',
      '100644 src/lines.txt', '100644 src/staged.txt', '100644 tool.sh',
    ]);
    expect(await git(root, 'show', `${base}:README.md`)).toBe('# Project\nuncommitted line');
    expect(await git(root, 'rev-parse', REF)).toBe(base);
    expect(await git(root, 'rev-parse', `${base}^`)).toBe(await git(root, 'rev-parse', 'HEAD'));
  });

  it('leaves the user\'s index, HEAD, branches, tags and stash exactly as they were', async () => {
    const root = await userRepository();
    await git(root, 'tag', 'v1');
    const before = await userState(root);
    await snapshotWorkingTree(root, { ref: REF, exclude: ['.teambot'] });
    expect(await userState(root)).toEqual(before);
    expect(before.staged).toBe('A\tsrc/staged.txt');
  });

  it('records an executable bit, and never includes an excluded path even when HEAD tracks it', async () => {
    const root = await userRepository();
    await git(root, 'update-index', '--chmod=+x', 'tool.sh');
    write(root, 'tool.sh', '#!/bin/sh\necho tool\n', true);
    write(root, 'runs/tracked.txt', 'x\n');
    await git(root, 'add', '-f', 'runs/tracked.txt');
    await git(root, 'commit', '-q', '-m', 'track runs');
    const base = await snapshotWorkingTree(root, { ref: REF, exclude: ['.teambot', 'runs'] });
    const files = await treeFiles(root, base);
    expect(files).toContain('100755 tool.sh');
    expect(files.some((line) => line.includes('runs/'))).toBe(false);
  });

  it('works in a repository without commits and without any git identity configured', async () => {
    const root = temporaryDirectory();
    await git(root, 'init', '-q');
    write(root, 'first.txt', 'first\n');
    const saved = { ...process.env };
    process.env.GIT_CONFIG_GLOBAL = join(root, 'no-global-config');
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    delete process.env.EMAIL;
    try {
      const base = await snapshotWorkingTree(root, { ref: REF, exclude: ['.teambot'] });
      expect(await treeFiles(root, base)).toEqual(['100644 first.txt']);
      expect(await git(root, 'rev-list', '--parents', '-n', '1', base)).toBe(base);
    } finally {
      process.env = saved;
    }
    expect((await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD'], { okExitCodes: [1] })).exitCode).toBe(1);
  });

  it('reports a git failure as a GitError with git\'s own words', async () => {
    const root = temporaryDirectory();
    const error = await runGit(root, ['rev-parse', 'HEAD'], { env: { GIT_CEILING_DIRECTORIES: root } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(/^git rev-parse failed: fatal: not a git repository/);
    expect((error as GitError).stderr).toMatch(/not a git repository/);
  });
});
