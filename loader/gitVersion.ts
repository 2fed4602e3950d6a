import { GitError, gitLine } from './gitCommands.js';

/** The oldest git whose `merge-tree --write-tree` merges without touching any working tree. */
export const MINIMUM_GIT: readonly [number, number] = [2, 38];

/**
 * The version in `git version`'s answer, or undefined when it has none.
 *
 * @example parseGitVersion('git version 2.39.5') // [2, 39, 5]
 * @example parseGitVersion('git version 2.45.1.windows.1') // [2, 45, 1]
 */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Whether `version` is at least MINIMUM_GIT. @example supportsWorktreeMerge([2, 37, 9]) // false */
export function supportsWorktreeMerge(version: readonly [number, number, number]): boolean {
  const [major, minor] = version;
  return major > MINIMUM_GIT[0] || (major === MINIMUM_GIT[0] && minor >= MINIMUM_GIT[1]);
}

/**
 * Throws a GitError that names the fix when this machine's git is older than MINIMUM_GIT
 * (or its version cannot be read); answers the version otherwise.
 *
 * @example await requireWorktreeMergeGit('/repo') // [2, 39, 5]
 */
export async function requireWorktreeMergeGit(cwd: string): Promise<[number, number, number]> {
  const text = await gitLine(cwd, ['version']);
  const version = parseGitVersion(text);
  if (version && supportsWorktreeMerge(version)) return version;
  const needed = `${MINIMUM_GIT[0]}.${MINIMUM_GIT[1]}`;
  throw new GitError(['version'], 0, '',
    `isolation: worktree needs git ${needed} or newer (this machine has ${version ? version.join('.') : `"${text}"`}); upgrade git, or remove isolation: worktree from the group`);
}
