import { rm } from 'node:fs/promises';
import { runGit } from '../../loader/gitCommands.js';
import { listWorktrees, removeRefs, removeWorktree, removeWorktreesUnder, worktreeFeature } from './regionWorktrees.js';

/** How many worktrees and private refs a clean-up removed. */
export interface Removed {
  readonly worktrees: number;
  readonly refs: number;
}

/**
 * Removes what isolated groups keep while they run: the worktrees under
 * `worktreesDir` (git's record of them too), the directory itself, and the
 * private refs under `refPrefix`. Safe to run twice. The group's own clean-up
 * (one group's refs) and `teambot clean` (a feature's) both come here.
 *
 * @example await removeLeftovers('/repo', { worktreesDir: '/repo/.teambot/f/worktrees', refPrefix: 'refs/teambot/f/' })
 */
export async function removeLeftovers(repoRoot: string, where: { worktreesDir: string; refPrefix: string }): Promise<Removed> {
  const worktrees = await removeWorktreesUnder(repoRoot, where.worktreesDir);
  const refs = await removeRefs(repoRoot, where.refPrefix);
  await rm(where.worktreesDir, { recursive: true, force: true });
  return { worktrees, refs };
}

/**
 * What runs whose directories were deleted by hand left in git: worktrees
 * registered under `runsDirectory` and refs under `refs/teambot/<feature>/`
 * for features other than `keep` (the runs that are there, dealt with one by
 * one, their unmerged worktrees kept).
 */
export async function removeOrphans(repoRoot: string, runsDirectory: string, keep: readonly string[]): Promise<Removed> {
  let worktrees = 0;
  for (const { path } of (await listWorktrees(repoRoot)).slice(1)) {
    const feature = await worktreeFeature(path, runsDirectory);
    if (feature === undefined || keep.includes(feature)) continue;
    await removeWorktree(repoRoot, path);
    worktrees += 1;
  }
  const { stdout } = await runGit(repoRoot, ['for-each-ref', '--format=%(refname)', 'refs/teambot/']);
  const refFeatures = new Set(stdout.split('\n').map((ref) => ref.split('/')[2]).filter((name): name is string => Boolean(name)));
  let refs = 0;
  for (const feature of refFeatures) if (!keep.includes(feature)) refs += await removeRefs(repoRoot, `refs/teambot/${feature}/`);
  return { worktrees, refs };
}
