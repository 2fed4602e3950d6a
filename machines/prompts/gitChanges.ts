import { GitError, runGit } from '../../loader/gitCommands.js';
import { workingTreeTree } from '../worktrees/workingTreeCommit.js';

/** Each git command gets this long; a slow or stuck git never holds a stage for longer. */
export const GIT_TIMEOUT_MS = 15_000;

/** Where git was asked about the project, and what it said, or why it could not say. */
export type GitOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly notRepository: boolean; readonly message: string };

/** What changed in the working directory since a base, as git reports it. */
export interface WorkingTreeChanges {
  /** `git diff --stat <base> <now>`: '' when nothing changed. */
  readonly diffStat: string;
  /** `git status --short` now. */
  readonly status: string;
}

export interface GitOptions {
  /** Paths (relative to the working directory) left out of snapshots and diffs: teambot's own run directory. */
  readonly exclude?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * The project's working tree as a git tree object (its id), untracked files
 * included and ignored ones not, recorded without touching anything the user
 * sees (machines/worktrees/workingTreeCommit.ts: a temporary copy of the
 * index). `git stash create` would leave untracked files out, so the files an
 * agent creates would never show in the diff.
 *
 * @example await snapshotWorkingTree('/repo', { exclude: ['.teambot'] }) // { ok: true, value: '4b825dc…' }
 */
export async function snapshotWorkingTree(cwd: string, options: GitOptions = {}): Promise<GitOutcome<string>> {
  return outcomeOf(() => workingTreeTree(cwd, options.exclude ?? [], { timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS }));
}

/**
 * `git diff --stat` from `base` (a tree or commit) to the working tree now, and
 * `git status --short`, limited to the working directory and without teambot's
 * own files.
 *
 * @example await workingTreeChanges('/repo', '4b825dc…') // { ok: true, value: { diffStat: ' src/a.ts | 3 +++\n 1 file changed…', status: '?? src/a.ts' } }
 */
export async function workingTreeChanges(cwd: string, base: string, options: GitOptions = {}): Promise<GitOutcome<WorkingTreeChanges>> {
  const now = await snapshotWorkingTree(cwd, options);
  if (!now.ok) return now;
  const diff = await git(cwd, ['diff', '--stat=160', '--no-color', '--no-ext-diff', '--relative', base, now.value, '--', '.', ...excludes(options)], options);
  if (!diff.ok) return diff;
  const status = await git(cwd, ['status', '--short', '--untracked-files=all', '--', '.', ...excludes(options)], options);
  if (!status.ok) return status;
  return { ok: true, value: { diffStat: trimEnd(diff.value), status: trimEnd(status.value) } };
}

/** The commit HEAD names, or a failure (a repository without commits has none). */
export async function headCommit(cwd: string, options: GitOptions = {}): Promise<GitOutcome<string>> {
  const head = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], options);
  return head.ok ? { ok: true, value: head.value.trim() } : head;
}

function excludes(options: GitOptions): string[] {
  return (options.exclude ?? []).map((path) => `:(exclude)${path}`);
}

function trimEnd(text: string): string {
  return text.replace(/\s+$/, '');
}

/** One git command in `cwd` (loader/gitCommands.ts), its output or why there is none: never a throw. */
async function git(cwd: string, args: readonly string[], options: GitOptions): Promise<GitOutcome<string>> {
  return outcomeOf(async () => (await runGit(cwd, args, { timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS })).stdout);
}

/** A git call's value, or its failure as an outcome: review evidence is best effort, never a reason to fail a stage. */
async function outcomeOf<T>(call: () => Promise<T>): Promise<GitOutcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (/not a git repository/i.test(error.stderr)) return { ok: false, notRepository: true, message: 'not a git repository' };
    return { ok: false, notRepository: false, message: error.message };
  }
}
