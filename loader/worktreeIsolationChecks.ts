import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GitError, gitLine, runGit } from './gitCommands.js';
import { MINIMUM_GIT, parseGitVersion, supportsWorktreeMerge } from './gitVersion.js';
import type { InputIssue } from './inputIssue.js';
import { shownPath } from './shownPath.js';

/** What `isolation: worktree` needs checked: the project, and where its runs go. */
export interface IsolationCheckRequest {
  /** The project: its working tree is what a group's worktrees are made from and merged into. */
  readonly projectRoot: string;
  /** teambot.json's `teambot_dir` (relative to the project) or TEAMBOT_DIR's absolute path. */
  readonly teambotDir: string;
  /** Where the user is: paths are named relative to it. */
  readonly cwd: string;
}

/** A problem with the repository, not yet placed in stages.yaml: preflight puts it at the group's `isolation` line. */
export interface IsolationProblem extends Pick<InputIssue, 'rule' | 'message' | 'fix'> {
  /** An error refuses the run (simulated ones too: the isolation is real git); a warning does not. */
  readonly severity: 'error' | 'warning';
}

const NEEDED = `${MINIMUM_GIT[0]}.${MINIMUM_GIT[1]}`;
const REMOVE = 'remove isolation: worktree from the group (its stages then share the project)';

/**
 * What stops a parallel group from running in git worktrees on this machine, in the order a
 * person fixes them: git installed and new enough, the project inside a repository, no merge,
 * rebase, cherry-pick, revert or bisect half done; and, worth a warning, a runs directory git
 * would see. Reads the repository only: nothing is written.
 *
 * @example await worktreeIsolationProblems({ projectRoot: '/tmp/not-a-repo', teambotDir: '.teambot', cwd: '/tmp/not-a-repo' })
 * // [{ severity: 'error', rule: 'isolation-not-a-repository', … }]
 */
export async function worktreeIsolationProblems(request: IsolationCheckRequest): Promise<IsolationProblem[]> {
  const git = await gitProblem(request.projectRoot);
  if (git) return [git];
  const gitDir = await gitDirectoryOf(request.projectRoot);
  if (typeof gitDir !== 'string') return [gitDir];
  return [...operationsInProgress(gitDir, request.cwd), ...await runsDirectoryProblems(request)];
}

/** git on PATH and at least MINIMUM_GIT (`merge-tree --write-tree`), else why not. */
async function gitProblem(projectRoot: string): Promise<IsolationProblem | undefined> {
  let text: string;
  try {
    text = await gitLine(projectRoot, ['version']);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    return {
      severity: 'error', rule: 'isolation-git-missing',
      message: `isolation: worktree runs git, and ${error.message.replace(/^git version failed: /, '')}`,
      fix: `install git ${NEEDED} or newer, or ${REMOVE}`,
    };
  }
  const version = parseGitVersion(text);
  if (version && supportsWorktreeMerge(version)) return undefined;
  return {
    severity: 'error', rule: 'isolation-git-too-old',
    message: `isolation: worktree needs git ${NEEDED} or newer to merge the stages' changes (this machine has ${version ? `git ${version.join('.')}` : `"${text}"`})`,
    fix: `upgrade git, or ${REMOVE}`,
  };
}

/** The git directory of the project's worktree (absolute), or why the project has none. */
async function gitDirectoryOf(projectRoot: string): Promise<string | IsolationProblem> {
  try {
    return await gitLine(projectRoot, ['rev-parse', '--absolute-git-dir']);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // "not a git repository", or one git refuses to read (dubious ownership): its own words say which.
    const said = error.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? error.message;
    const notOne = /not a git repository/i.test(said);
    return {
      severity: 'error', rule: 'isolation-not-a-repository',
      message: notOne
        ? `isolation: worktree makes each stage's worktree from the project's git repository, and ${projectRoot} is not inside one`
        : `isolation: worktree needs the project's git repository, and git cannot read it: ${said}`,
      fix: notOne
        ? `make the project a repository: \`git init && git add -A && git commit -m "start"\`, or ${REMOVE}`
        : `do what git says, then run again, or ${REMOVE}`,
    };
  }
}

/** A half-done operation, found by the file git keeps while it lasts, and how to end it. */
const OPERATIONS: readonly { readonly marker: string; readonly what: string; readonly end: (gitDir: string) => string }[] = [
  { marker: 'MERGE_HEAD', what: 'a merge', end: () => 'commit it (`git commit`) or abort it (`git merge --abort`)' },
  {
    marker: 'rebase-apply', what: 'a rebase or `git am`',
    end: (gitDir) => (existsSync(join(gitDir, 'rebase-apply', 'applying'))
      ? 'finish it (`git am --continue`) or abort it (`git am --abort`)'
      : 'finish it (`git rebase --continue`) or abort it (`git rebase --abort`)'),
  },
  { marker: 'rebase-merge', what: 'a rebase', end: () => 'finish it (`git rebase --continue`) or abort it (`git rebase --abort`)' },
  { marker: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', end: () => 'finish it (`git cherry-pick --continue`) or abort it (`git cherry-pick --abort`)' },
  { marker: 'REVERT_HEAD', what: 'a revert', end: () => 'finish it (`git revert --continue`) or abort it (`git revert --abort`)' },
  { marker: 'BISECT_LOG', what: 'a bisect', end: () => 'end it: `git bisect reset`' },
];

/**
 * Every merge, rebase, cherry-pick, revert or bisect in progress in the project's worktree:
 * teambot would snapshot a half-done state as the base and merge the stages' changes into it.
 */
function operationsInProgress(gitDir: string, cwd: string): IsolationProblem[] {
  return OPERATIONS.filter(({ marker }) => existsSync(join(gitDir, marker))).map(({ marker, what, end }) => ({
    severity: 'error', rule: 'isolation-operation-in-progress',
    message: `${what} is in progress in the project's repository (${shownPath(cwd, join(gitDir, marker))} exists): the group's worktrees would start from its half-done state and its changes be merged into it`,
    fix: `${end(gitDir)}, then run again`,
  }));
}

/**
 * The runs directory holds the group's worktrees (`<teambot_dir>/<feature>/worktrees/<STAGE>`):
 * tracked or not ignored, git status lists them and `git add -A` would take in runs and embedded
 * worktrees. Worth a warning; teambot itself never records it in a snapshot.
 */
async function runsDirectoryProblems(request: IsolationCheckRequest): Promise<IsolationProblem[]> {
  const inProject = relative(request.projectRoot, resolve(request.projectRoot, request.teambotDir));
  // TEAMBOT_DIR elsewhere: not the repository's business.
  if (inProject === '' || inProject.startsWith('..') || isAbsolute(inProject)) return [];
  const directory = `${inProject.split(sep).join('/')}/`;
  try {
    const tracked = (await runGit(request.projectRoot, ['ls-files', '-z', '--', directory])).stdout.split('\0').filter(Boolean);
    if (tracked.length > 0) {
      return [{
        severity: 'warning', rule: 'isolation-runs-directory-tracked',
        message: `git tracks ${tracked.length === 1 ? '1 file' : `${tracked.length} files`} in ${directory} (e.g. ${tracked[0]}), where teambot writes the group's worktrees and its runs`,
        fix: `stop tracking it and ignore it: \`git rm -r --cached ${directory} && echo ${directory} >> .gitignore\``,
      }];
    }
    // Any path below it will do: a file a run writes there, ignored or not as the directory is.
    const probe = `${directory}feature/events.jsonl`;
    const ignored = (await runGit(request.projectRoot, ['check-ignore', '-q', '--', probe], { okExitCodes: [1] })).exitCode === 0;
    if (ignored) return [];
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    return []; // only a warning: a git that cannot answer here has already been reported above, or is not worth one
  }
  return [{
    severity: 'warning', rule: 'isolation-runs-directory-tracked',
    message: `${directory} is not ignored by git, and teambot writes the group's worktrees (${directory}<feature>/worktrees/) and its runs there: git status would list them, and \`git add -A\` take them in`,
    fix: `add ${directory} to .gitignore (\`teambot init\` does)`,
  }];
}
