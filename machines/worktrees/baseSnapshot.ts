import { runGit } from '../../loader/gitCommands.js';
import { commitWorkingTree, headCommitOf } from './workingTreeCommit.js';

export interface SnapshotOptions {
  /** The private ref that keeps the base alive, e.g. `refs/teambot/<feature>/base`. */
  readonly ref: string;
  /** Paths never recorded: teambot's runs directory (`.teambot`) at least. */
  readonly exclude: readonly string[];
}

/**
 * Records the user's working tree as it is now (uncommitted, staged and untracked changes,
 * deletions and modes; not ignored files, nothing under `exclude`) as a commit whose parent is
 * HEAD (none in a repository without commits), and points `ref` at it. The user's index,
 * HEAD, branches and stash are untouched: only objects and `ref` are written.
 *
 * @example await snapshotWorkingTree('/repo', { ref: 'refs/teambot/f/base', exclude: ['.teambot'] }) // 'a1b2…'
 */
export async function snapshotWorkingTree(repoRoot: string, options: SnapshotOptions): Promise<string> {
  const head = await headCommitOf(repoRoot);
  const { commit } = await commitWorkingTree(repoRoot, {
    parents: head ? [head] : [],
    exclude: options.exclude,
    message: 'teambot: the working tree when the parallel group started',
  });
  await runGit(repoRoot, ['update-ref', options.ref, commit]);
  return commit;
}
