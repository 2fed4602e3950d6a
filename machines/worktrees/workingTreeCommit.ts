import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitLine, runGit, type GitRunOptions } from '../../loader/gitCommands.js';

export interface WorkingTreeCommitOptions {
  /** The commit's parents: none for a repository without commits. */
  readonly parents: readonly string[];
  /** Paths (relative to `dir`) never recorded, whatever git tracks or ignores: teambot's `.teambot`. */
  readonly exclude: readonly string[];
  readonly message: string;
}

export interface WorkingTreeCommit {
  readonly commit: string;
  readonly tree: string;
}

/**
 * The tree of what is on disk in `dir` (a repository or one of its worktrees): tracked files as
 * they are now, deletions, modes, untracked files; not ignored files (unless tracked) and
 * nothing under `exclude`. It goes through a temporary index (GIT_INDEX_FILE in a temporary
 * directory) seeded from a copy of `dir`'s own index, so that index is only read, never
 * written, and only objects are added to the repository.
 *
 * @example await workingTreeTree('/repo', ['.teambot']) // '9f2c…'
 */
export async function workingTreeTree(dir: string, exclude: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'teambot-index-'));
  try {
    const index = join(scratch, 'index');
    const env = { GIT_INDEX_FILE: index };
    const run = { env, ...options };
    await seedIndex(dir, index, run);
    // git refuses an exclude pathspec naming an ignored path, and never walks into one anyway.
    const walked = await notIgnored(dir, exclude, run);
    await runGit(dir, ['add', '--all', '--', '.', ...walked.map((path) => `:(exclude,literal)${path}`)], run);
    // The pathspec above leaves excluded entries as the index had them; an excluded path is never recorded.
    for (const path of exclude) {
      await runGit(dir, ['rm', '-r', '--cached', '--quiet', '--ignore-unmatch', '--', `:(literal)${path}`], run);
    }
    return await gitLine(dir, ['write-tree'], run);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Starts the temporary index as a copy of `dir`'s index: files tracked there stay tracked even
 * when .gitignore matches them, sparse-checkout entries absent from disk are not taken for
 * deletions, and git re-hashes only files whose stat data changed. Without an index (nothing
 * staged yet) it starts from HEAD, or empty when there is no commit.
 */
async function seedIndex(dir: string, index: string, run: GitRunOptions): Promise<void> {
  const own = resolve(dir, await gitLine(dir, ['rev-parse', '--git-path', 'index'], { ...run, env: {} }));
  try {
    await copyFile(own, index);
    // git trusts an entry's stat data only if the file changed before the index was written (its
    // "racy" check reads the index file's mtime): the copy keeps the original's, or a file
    // rewritten at the same size within the same second would pass for unchanged.
    const { atime, mtime } = await stat(own);
    await utimes(index, atime, mtime);
  } catch {
    if (await headCommitOf(dir)) await runGit(dir, ['read-tree', 'HEAD'], run);
  }
}

/** Those of `paths` git does not ignore in `dir` (`git check-ignore` names the ignored ones). */
async function notIgnored(dir: string, paths: readonly string[], run: GitRunOptions): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdout } = await runGit(dir, ['check-ignore', '-z', '--stdin'], { ...run, okExitCodes: [1], input: paths.map((path) => `${path}\0`).join('') });
  const ignored = new Set(stdout.split('\0'));
  return paths.filter((path) => !ignored.has(path));
}

/**
 * workingTreeTree made a commit with `parents` (`commit-tree`, never signed: no agent or prompt
 * is there to unlock a key). No ref, branch or HEAD moves.
 *
 * @example await commitWorkingTree('/repo', { parents: [head], exclude: ['.teambot'], message: 'base' }) // { commit: 'a1b2…', tree: '9f2c…' }
 */
export async function commitWorkingTree(dir: string, options: WorkingTreeCommitOptions): Promise<WorkingTreeCommit> {
  const tree = await workingTreeTree(dir, options.exclude);
  const commit = await commitTree(dir, tree, options.parents, options.message);
  return { commit, tree };
}

/** A commit of `tree` with `parents`, made with `commit-tree`. @example await commitTree('/repo', tree, [base], 'region') // 'c3d4…' */
export async function commitTree(dir: string, tree: string, parents: readonly string[], message: string): Promise<string> {
  const parentArgs = parents.flatMap((parent) => ['-p', parent]);
  return gitLine(dir, ['commit-tree', '--no-gpg-sign', tree, ...parentArgs, '-m', message]);
}

/** The commit `dir`'s HEAD names, or undefined when it has none yet (a fresh `git init`). */
export async function headCommitOf(dir: string): Promise<string | undefined> {
  const head = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okExitCodes: [1] });
  return head.exitCode === 0 ? head.stdout.trim() : undefined;
}

/** The tree a commit records. @example await treeOf('/repo', 'a1b2…') // '9f2c…' */
export async function treeOf(dir: string, commit: string): Promise<string> {
  return gitLine(dir, ['rev-parse', '--verify', `${commit}^{tree}`]);
}
