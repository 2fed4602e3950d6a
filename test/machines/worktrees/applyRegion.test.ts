import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { applyRegion } from '../../../machines/worktrees/applyRegion.js';
import { GitError } from '../../../loader/gitCommands.js';
import { snapshotWorkingTree } from '../../../machines/worktrees/baseSnapshot.js';
import { addWorktree, commitRegion } from '../../../machines/worktrees/regionWorktrees.js';
import { BINARY, filesOf, git, LINES, remove, userRepository, userState, write } from './gitRepository.js';

const EXCLUDE = ['.teambot'];

/** The user's repository, its base snapshot, and one worktree per stage made from it. */
async function group(stages: readonly string[], prepare?: (root: string) => void) {
  const root = await userRepository();
  prepare?.(root);
  const base = await snapshotWorkingTree(root, { ref: 'refs/teambot/feature/base', exclude: EXCLUDE });
  const worktrees: Record<string, string> = {};
  for (const stage of stages) {
    worktrees[stage] = join(root, '.teambot', 'feature', 'worktrees', stage);
    await addWorktree(root, worktrees[stage], base);
  }
  /** The region's commit, as teambot makes it when the stage's agent is done. */
  const commit = (stage: string) => commitRegion(worktrees[stage]!, { base, ref: `refs/teambot/feature/regions/${stage}`, message: stage, exclude: EXCLUDE });
  const apply = (stage: string, region: string) => applyRegion(root, { base, region, exclude: EXCLUDE, label: stage });
  return { root, base, worktrees, commit, apply };
}

function linesWith(changes: Record<number, string>): string {
  return `${LINES.map((line, index) => changes[index] ?? line).join('\n')}\n`;
}

describe('applying regions to the user\'s working tree', () => {
  it('applies two regions that changed different files, in order, with modes, deletions and binary files', async () => {
    const { root, worktrees, commit, apply } = await group(['A', 'B']);
    const a = worktrees.A!;
    write(a, 'README.md', '# Project\nuncommitted line\nfrom A\n');
    chmodSync(join(a, 'tool.sh'), 0o755);
    remove(a, 'old.txt');
    write(a, 'images/new.bin', BINARY.slice().reverse());
    const b = worktrees.B!;
    write(b, 'src/lines.txt', linesWith({ 8: 'nine from B' }));
    write(b, 'logo.bin', BINARY.map((byte) => byte ^ 0xff));
    write(b, 'src/b.ts', 'export const b = 1;\n');
    // An agent that commits its own work: the region is still everything against the base.
    await git(b, 'add', '-A');
    await git(b, 'commit', '-q', '-m', 'B works');
    write(b, 'src/b.ts', 'export const b = 2;\n');

    const first = await apply('A', await commit('A'));
    expect(first).toEqual({ kind: 'applied', files: [
      { path: 'README.md', change: 'modified' },
      { path: 'images/new.bin', change: 'added' },
      { path: 'old.txt', change: 'deleted' },
      { path: 'tool.sh', change: 'mode' },
    ] });
    const second = await apply('B', await commit('B'));
    expect(second).toEqual({ kind: 'applied', files: [
      { path: 'logo.bin', change: 'modified' },
      { path: 'src/b.ts', change: 'added' },
      { path: 'src/lines.txt', change: 'modified' },
    ] });

    const expected = { ...filesOf(a) };
    for (const path of ['logo.bin', 'src/b.ts', 'src/lines.txt']) expected[path] = filesOf(b)[path]!;
    // build/out.js is ignored, so no region has it; the user's copy stays.
    expect(filesOf(root)).toEqual({ ...expected, 'build/out.js': filesOf(root)['build/out.js'] });
    expect(filesOf(root)['tool.sh']).toMatch(/^755 /);
  });

  it('reports a second region changing the same lines as a conflict naming the file and its hunk, and changes nothing', async () => {
    const { root, worktrees, commit, apply } = await group(['A', 'B']);
    write(worktrees.A!, 'src/lines.txt', linesWith({ 2: 'three by A' }));
    write(worktrees.A!, 'a.txt', 'A\n');
    write(worktrees.B!, 'src/lines.txt', linesWith({ 2: 'three by B' }));
    write(worktrees.B!, 'b.txt', 'B\n');
    expect((await apply('A', await commit('A'))).kind).toBe('applied');
    const afterA = filesOf(root);
    const state = await userState(root);

    const result = await apply('B', await commit('B'));
    expect(result).toEqual({ kind: 'conflict', files: [{
      path: 'src/lines.txt',
      kinds: ['contents'],
      hunks: [
        '@@ line 3 @@', '<<<<<<< your working tree', 'three by A', '||||||| base (when the group started)', 'three',
        '=======', 'three by B', '>>>>>>> B',
      ].join('\n'),
    }] });
    expect(filesOf(root)).toEqual(afterA);
    expect(await userState(root)).toEqual(state);
  });

  it('reports a region deleting a file the user changed since as a modify/delete conflict', async () => {
    const { root, worktrees, commit, apply } = await group(['A']);
    remove(worktrees.A!, 'old.txt');
    write(root, 'old.txt', 'changed by the user meanwhile\n');
    const before = filesOf(root);
    const result = await apply('A', await commit('A'));
    expect(result.kind).toBe('conflict');
    if (result.kind !== 'conflict') return;
    expect(result.files).toHaveLength(1);
    expect(result.files[0]!.path).toBe('old.txt');
    expect(result.files[0]!.kinds).toEqual(['modify/delete']);
    expect(result.files[0]!.hunks).toBe('CONFLICT (modify/delete): old.txt deleted in A and modified in your working tree.  Version your working tree of old.txt left in tree.');
    expect(filesOf(root)).toEqual(before);
  });

  it('changes nothing when the same region is applied a second time', async () => {
    const { root, worktrees, commit, apply } = await group(['A']);
    write(worktrees.A!, 'src/lines.txt', linesWith({ 0: 'one by A' }));
    chmodSync(join(worktrees.A!, 'tool.sh'), 0o755);
    remove(worktrees.A!, 'old.txt');
    write(worktrees.A!, 'new.bin', BINARY);
    const region = await commit('A');
    expect((await apply('A', region)).kind).toBe('applied');
    const once = filesOf(root);
    expect(await apply('A', region)).toEqual({ kind: 'applied', files: [] });
    expect(filesOf(root)).toEqual(once);
  });

  it('keeps the user\'s own changes, from before the snapshot and since, around the regions\' changes', async () => {
    const { root, worktrees, commit, apply } = await group(['A']);
    const staged = await git(root, 'diff', '--cached', '--name-status');
    write(worktrees.A!, 'src/lines.txt', linesWith({ 9: 'ten by A' }));
    write(root, 'src/lines.txt', linesWith({ 0: 'one by the user meanwhile' }));
    expect((await apply('A', await commit('A'))).kind).toBe('applied');
    const files = filesOf(root);
    expect(files['notes.txt']).toBeDefined();
    expect(files['src/staged.txt']).toBeDefined();
    expect(files['obsolete.txt']).toBeUndefined();
    expect(files['build/out.js']).toBeDefined();
    expect(await git(root, 'show', ':src/staged.txt')).toBe('staged');
    expect(await git(root, 'diff', '--cached', '--name-status')).toBe(staged);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('# Project\nuncommitted line\n');
    expect(readFileSync(join(root, 'src/lines.txt'), 'utf8')).toBe(linesWith({ 0: 'one by the user meanwhile', 9: 'ten by A' }));
  });

  it('gives the base back for a region that changed nothing, and applying it changes nothing', async () => {
    const { root, base, commit, apply } = await group(['A']);
    const before = filesOf(root);
    const region = await commit('A');
    expect(region).toBe(base);
    expect(await apply('A', region)).toEqual({ kind: 'applied', files: [] });
    expect(filesOf(root)).toEqual(before);
  });

  it('reports both sides changing a binary file as a conflict in git\'s words, and changes nothing', async () => {
    const { root, worktrees, commit, apply } = await group(['A', 'B']);
    write(worktrees.A!, 'logo.bin', BINARY.map((byte) => byte ^ 1));
    write(worktrees.B!, 'logo.bin', BINARY.map((byte) => byte ^ 2));
    expect((await apply('A', await commit('A'))).kind).toBe('applied');
    const afterA = filesOf(root);
    const result = await apply('B', await commit('B'));
    expect(result).toEqual({ kind: 'conflict', files: [{
      path: 'logo.bin',
      kinds: ['binary', 'contents'],
      hunks: 'warning: Cannot merge binary files: logo.bin (your working tree vs. B)\nCONFLICT (content): Merge conflict in logo.bin',
    }] });
    expect(filesOf(root)).toEqual(afterA);
  });

  it('never records nor writes .teambot/ when the user\'s .gitignore does not ignore it (the worktrees live there)', async () => {
    const { root, base, worktrees, commit, apply } = await group(['A'], (path) => write(path, '.gitignore', 'build/\n'));
    write(worktrees.A!, 'a.txt', 'A\n');
    expect(await git(root, 'ls-tree', '-r', '--name-only', base)).not.toMatch(/\.teambot/);
    expect(await apply('A', await commit('A'))).toEqual({ kind: 'applied', files: [{ path: 'a.txt', change: 'added' }] });
  });

  it('refuses a git older than 2.38 with the fix, before touching anything', async () => {
    const { root, worktrees, commit, base } = await group(['A']);
    write(worktrees.A!, 'a.txt', 'A\n');
    const region = await commit('A');
    const fakeBin = mkdtempSync(join(tmpdir(), 'teambot-old-git-'));
    write(fakeBin, 'git', '#!/bin/sh\necho "git version 2.30.2"\n', true);
    const before = filesOf(root);
    const path = process.env.PATH;
    process.env.PATH = `${fakeBin}:${path ?? ''}`;
    try {
      const error = await applyRegion(root, { base, region, exclude: EXCLUDE, label: 'A' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GitError);
      expect((error as GitError).message).toBe('isolation: worktree needs git 2.38 or newer (this machine has 2.30.2); upgrade git, or remove isolation: worktree from the group');
    } finally {
      process.env.PATH = path;
    }
    expect(filesOf(root)).toEqual(before);
  });
});
