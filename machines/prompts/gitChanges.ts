import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
 * sees: `git add -A` goes into a temporary copy of the index (GIT_INDEX_FILE)
 * and `git write-tree` stores it. The user's index, working tree, stash and
 * refs stay as they were; only unreachable objects are added, which git's gc
 * removes in time. (`git stash create` would leave untracked files out, so the
 * files an agent creates would never show in the diff.)
 *
 * @example await snapshotWorkingTree('/repo', { exclude: ['.teambot'] }) // { ok: true, value: '4b825dc…' }
 */
export async function snapshotWorkingTree(cwd: string, options: GitOptions = {}): Promise<GitOutcome<string>> {
  const indexPath = await git(cwd, ['rev-parse', '--git-path', 'index'], options);
  if (!indexPath.ok) return indexPath;
  const scratch = mkdtempSync(join(tmpdir(), 'teambot-git-'));
  try {
    const index = join(scratch, 'index');
    // Starting from the user's index lets git skip hashing every file that has not changed.
    try {
      copyFileSync(resolve(cwd, indexPath.value.trim()), index);
    } catch {
      // no index yet (a fresh repository): git starts an empty one
    }
    const env = { GIT_INDEX_FILE: index };
    const added = await git(cwd, ['add', '--all', '--', '.'], options, env);
    if (!added.ok) return added;
    // Not an exclude pathspec in `add`: git refuses one that names an ignored directory.
    for (const path of options.exclude ?? []) {
      const removed = await git(cwd, ['rm', '-r', '--cached', '--quiet', '--ignore-unmatch', '--', path], options, env);
      if (!removed.ok) return removed;
    }
    const tree = await git(cwd, ['write-tree'], options, env);
    return tree.ok ? { ok: true, value: tree.value.trim() } : tree;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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

/**
 * One git command in `cwd`: argv only, no shell, a timeout, no prompts, no
 * optional locks (so `status` never takes the user's index lock), never a throw.
 */
async function git(cwd: string, args: readonly string[], options: GitOptions, env: Record<string, string> = {}): Promise<GitOutcome<string>> {
  // Loaded when git is run, not with the prompts (issue 17, start-up).
  const { execa } = await import('execa');
  const result = await execa('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    env: { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (!result.failed) return { ok: true, value: result.stdout };
  const stderr = result.stderr.trim();
  if (/not a git repository/i.test(stderr)) return { ok: false, notRepository: true, message: 'not a git repository' };
  const code = (result as { code?: string }).code;
  const why = code === 'ENOENT' ? 'git is not installed (not found on PATH)'
    : result.timedOut ? `git ${args[0]} took longer than ${(options.timeoutMs ?? GIT_TIMEOUT_MS) / 1000} s`
      : `git ${args[0]} failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`;
  return { ok: false, notRepository: false, message: why };
}
