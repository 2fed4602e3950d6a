import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotWorkingTree } from '../../../machines/worktrees/baseSnapshot.js';
import { GitError } from '../../../loader/gitCommands.js';
import {
  addWorktree, commitRegion, listWorktrees, removeRefs, removeWorktree, removeWorktreesUnder,
} from '../../../machines/worktrees/regionWorktrees.js';
import { filesOf, git, userRepository, userState, write } from './gitRepository.js';

const EXCLUDE = ['.teambot'];

describe('region worktrees', () => {
  it('checks out the base in a detached worktree without moving the user\'s HEAD or running their hooks', async () => {
    const root = await userRepository();
    write(root, '.git/hooks/post-checkout', `#!/bin/sh\ntouch "${join(root, 'hook-ran')}"\n`, true);
    const base = await snapshotWorkingTree(root, { ref: 'refs/teambot/f/base', exclude: EXCLUDE });
    const state = await userState(root);
    const path = join(root, '.teambot', 'f', 'worktrees', 'BUILD');
    await addWorktree(root, path, base);
    expect(existsSync(join(root, 'hook-ran'))).toBe(false);
    expect(await git(path, 'rev-parse', 'HEAD')).toBe(base);
    expect(await git(path, 'symbolic-ref', '-q', 'HEAD').catch(() => 'detached')).toBe('detached');
    expect(readFileSync(join(path, 'README.md'), 'utf8')).toBe('# Project\nuncommitted line\n');
    expect(readFileSync(join(path, 'notes.txt'), 'utf8')).toBe('untracked notes\n');
    expect(existsSync(join(path, 'obsolete.txt'))).toBe(false);
    expect(await userState(root)).toEqual(state);
  });

  it('commits a region on its base alone, whatever its agent committed, and points its ref at it', async () => {
    const root = await userRepository();
    const base = await snapshotWorkingTree(root, { ref: 'refs/teambot/f/base', exclude: EXCLUDE });
    const path = join(root, '.teambot', 'f', 'worktrees', 'BUILD');
    await addWorktree(root, path, base);
    write(path, 'one.txt', '1\n');
    await git(path, 'add', 'one.txt');
    await git(path, 'commit', '-q', '-m', 'agent 1');
    write(path, 'two.txt', '2\n');
    write(path, '.teambot/nested/run.json', '{}\n');
    const region = await commitRegion(path, { base, ref: 'refs/teambot/f/regions/BUILD', message: 'BUILD', exclude: EXCLUDE });
    expect(await git(root, 'rev-parse', `${region}^@`)).toBe(base);
    expect(await git(root, 'diff', '--name-status', base, region)).toBe('A\tone.txt\nA\ttwo.txt');
    expect(await git(root, 'rev-parse', 'refs/teambot/f/regions/BUILD')).toBe(region);
  });

  it('cleans up every worktree and private ref, whatever the agents left in them or a directory deleted by hand, and can run again', async () => {
    const root = await userRepository();
    const before = filesOf(root);
    const state = await userState(root);
    const base = await snapshotWorkingTree(root, { ref: 'refs/teambot/f/base', exclude: EXCLUDE });
    const under = join(root, '.teambot', 'f', 'worktrees');
    for (const stage of ['A', 'B', 'C']) await addWorktree(root, join(under, stage), base);
    write(join(under, 'A'), 'README.md', 'modified and left\n');
    write(join(under, 'B'), 'untracked.txt', 'left behind\n');
    await git(root, 'worktree', 'lock', join(under, 'B'));
    await commitRegion(join(under, 'A'), { base, ref: 'refs/teambot/f/regions/A', message: 'A' });
    await git(root, 'update-ref', 'refs/teambot/other/base', base);
    rmSync(join(under, 'C'), { recursive: true, force: true });

    // Named through a symbolic link to the repository, as /tmp is on some systems: still found.
    const link = join(mkdtempSync(join(tmpdir(), 'teambot-link-')), 'repo');
    symlinkSync(root, link);
    await removeWorktree(root, join(link, '.teambot', 'f', 'worktrees', 'C'));
    expect(await git(root, 'worktree', 'list', '--porcelain')).not.toMatch(/worktrees\/C/);
    expect(await removeWorktreesUnder(root, under)).toBe(2);
    expect(await removeRefs(root, 'refs/teambot/f/')).toBe(2);

    expect((await listWorktrees(root)).map((entry) => entry.path)).toEqual([await git(root, 'rev-parse', '--show-toplevel')]);
    expect(await git(root, 'worktree', 'list', '--porcelain')).not.toMatch(/worktrees/);
    expect(existsSync(join(under, 'A')) || existsSync(join(under, 'B')) || existsSync(join(under, 'C'))).toBe(false);
    expect(await git(root, 'for-each-ref', '--format=%(refname)', 'refs/teambot/')).toBe('refs/teambot/other/base');
    expect(filesOf(root)).toEqual(before);
    expect(await userState(root)).toEqual(state);

    await removeWorktree(root, join(under, 'A'));
    expect(await removeWorktreesUnder(root, under)).toBe(0);
    expect(await removeRefs(root, 'refs/teambot/f/')).toBe(0);
  });

  it('refuses to delete refs outside refs/teambot/', async () => {
    const root = await userRepository();
    await expect(removeRefs(root, 'refs/heads/')).rejects.toBeInstanceOf(GitError);
    expect(await git(root, 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
  });
});
