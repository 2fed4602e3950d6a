import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GitError, runGit } from '../../loader/gitCommands.js';
import { commitTree, treeOf, workingTreeTree } from './workingTreeCommit.js';

export interface RegionCommitOptions {
  /** The commit the worktree was made from: the region's changes are what differs from it. */
  readonly base: string;
  /** The private ref that keeps the region's commit, e.g. `refs/teambot/<feature>/regions/<STAGE>`. */
  readonly ref: string;
  readonly message: string;
  /** Paths never recorded (`.teambot`, should an agent run teambot inside its worktree). */
  readonly exclude?: readonly string[];
}

/**
 * Makes a detached worktree at `path` (its parent directories created) checked out at
 * `baseSha`. No branch is made and the user's HEAD does not move; hooks do not run.
 *
 * @example await addWorktree('/repo', '/repo/.teambot/f/worktrees/BUILD', base)
 */
export async function addWorktree(repoRoot: string, path: string, baseSha: string): Promise<void> {
  await runGit(repoRoot, ['worktree', 'add', '--detach', '--quiet', path, baseSha]);
}

/**
 * Commits everything on disk in a region's worktree (whatever its agent committed, staged or
 * left untracked) as one commit whose only parent is `base`, points `ref` at it and answers
 * it; a region that changed nothing answers `base` itself (and `ref` names it). The parent
 * is `base` whatever the worktree's HEAD became, so the region's changes are exactly its tree
 * against `base`, and a merge of it with a snapshot made on `base` has `base` as merge base.
 *
 * @example await commitRegion('/repo/.teambot/f/worktrees/BUILD', { base, ref: 'refs/teambot/f/regions/BUILD', message: 'BUILD' }) // 'c3d4…'
 */
export async function commitRegion(worktreePath: string, options: RegionCommitOptions): Promise<string> {
  const tree = await workingTreeTree(worktreePath, options.exclude ?? []);
  const unchanged = tree === await treeOf(worktreePath, options.base);
  const commit = unchanged ? options.base : await commitTree(worktreePath, tree, [options.base], options.message);
  await runGit(worktreePath, ['update-ref', options.ref, commit]);
  return commit;
}

/** One worktree `git worktree list` knows, the user's own first. */
export interface WorktreeEntry {
  readonly path: string;
  readonly head: string | undefined;
}

/** The worktrees of the repository at `repoRoot`, the main one first. */
export async function listWorktrees(repoRoot: string): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(repoRoot, ['worktree', 'list', '--porcelain', '-z']);
  const entries: WorktreeEntry[] = [];
  let current: { path?: string; head?: string } = {};
  for (const field of stdout.split('\0')) {
    if (field === '') {
      if (current.path !== undefined) entries.push({ path: current.path, head: current.head });
      current = {};
    } else if (field.startsWith('worktree ')) current.path = field.slice('worktree '.length);
    else if (field.startsWith('HEAD ')) current.head = field.slice('HEAD '.length);
  }
  return entries;
}

/**
 * Removes the worktree at `path`, its files and git's record of it, whatever its agent left in
 * it (modified, untracked or locked), its directory deleted by hand included; a path that is
 * no longer a worktree is not an error, so clean-up after a crash can run twice. Never
 * `git worktree prune`: that would also forget the user's own worktrees on an unmounted disk.
 *
 * @example await removeWorktree('/repo', '/repo/.teambot/f/worktrees/BUILD')
 */
export async function removeWorktree(repoRoot: string, path: string): Promise<void> {
  const target = await canonical(path);
  const known = (await listWorktrees(repoRoot)).slice(1);
  const registered = await Promise.all(known.map(async (entry) => (await canonical(entry.path)) === target));
  if (registered.includes(true)) {
    await runGit(repoRoot, ['worktree', 'remove', '--force', '--force', path]);
  }
}

/**
 * Removes every worktree of the repository whose path is under `directory` (e.g. the run's
 * `worktrees` folder), as removeWorktree does, for clean-up that does not know which regions
 * were started.
 *
 * @example await removeWorktreesUnder('/repo', '/repo/.teambot/f/worktrees') // 2
 */
export async function removeWorktreesUnder(repoRoot: string, directory: string): Promise<number> {
  const under = `${await canonical(directory)}/`;
  const known = (await listWorktrees(repoRoot)).slice(1);
  let removed = 0;
  for (const entry of known) {
    if (!(await canonical(entry.path)).startsWith(under)) continue;
    await runGit(repoRoot, ['worktree', 'remove', '--force', '--force', entry.path]);
    removed += 1;
  }
  return removed;
}

/**
 * Deletes every ref under `prefix` (e.g. `refs/teambot/<feature>/`) in one transaction and
 * answers how many there were. Refusing a prefix outside `refs/teambot/` keeps a mistake from
 * deleting the user's branches.
 *
 * @example await removeRefs('/repo', 'refs/teambot/f/') // 3
 */
export async function removeRefs(repoRoot: string, prefix: string): Promise<number> {
  if (!prefix.startsWith('refs/teambot/')) {
    throw new GitError(['update-ref'], undefined, '', `teambot only deletes its own refs (refs/teambot/…), not ${prefix}`);
  }
  const { stdout } = await runGit(repoRoot, ['for-each-ref', '--format=%(refname)', prefix]);
  const refs = stdout.split('\n').filter((ref) => ref !== '');
  if (refs.length === 0) return 0;
  await runGit(repoRoot, ['update-ref', '--stdin'], { input: refs.map((ref) => `delete ${ref}\n`).join('') });
  return refs.length;
}

/**
 * `path` with symbolic links resolved as far as it exists (git reports real paths, and /tmp may
 * be a link), so a worktree directory deleted by hand still matches git's record of it.
 */
/**
 * The feature whose run directory (`runsDirectory/<feature>/…`) holds `path`, compared once
 * links are resolved as removeWorktreesUnder compares them; undefined outside it.
 */
export async function worktreeFeature(path: string, runsDirectory: string): Promise<string | undefined> {
  const runs = `${await canonical(runsDirectory)}/`;
  const resolved = await canonical(path);
  return resolved.startsWith(runs) ? resolved.slice(runs.length).split('/')[0] : undefined;
}

async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await canonical(parent), basename(absolute));
  }
}
