import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../loader/loadConfiguration.js';
import { preflight } from '../../loader/preflight.js';
import { repoRoot, temporaryDirectory } from '../support/runCli.js';

/** The example workflow whose `build` group says isolation: worktree. */
const exampleText = readFileSync(join(repoRoot, 'config', 'examples', 'parallel-code.yaml'), 'utf8');
const isolationKey = /^ {4}isolation: worktree$/m;
const isolationLine = exampleText.split('\n').findIndex((line) => isolationKey.test(line)) + 1;

const gitEnvironment = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@localhost',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs real git in `cwd`; `allowFailure` for the commands that stop on a conflict (a merge, a rebase). */
function git(cwd: string, args: readonly string[], allowFailure = false): void {
  try {
    execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: gitEnvironment, stdio: 'pipe' });
  } catch (error) {
    if (!allowFailure) throw error;
  }
}

/** A repository with one commit, its runs directory ignored as `teambot init` leaves it. */
function repository(gitignore: string | null = '.teambot/\n'): string {
  const cwd = temporaryDirectory();
  git(cwd, ['init', '-q']);
  writeFileSync(join(cwd, 'notes.txt'), 'one\n');
  if (gitignore !== null) writeFileSync(join(cwd, '.gitignore'), gitignore);
  git(cwd, ['add', '-A']);
  git(cwd, ['commit', '-q', '-m', 'start']);
  return cwd;
}

/** Two branches that changed the same line of notes.txt differently: `other` is left to merge, rebase onto or pick. */
function divergedRepository(): string {
  const cwd = repository();
  git(cwd, ['checkout', '-q', '-b', 'other']);
  writeFileSync(join(cwd, 'notes.txt'), 'theirs\n');
  git(cwd, ['commit', '-q', '-am', 'theirs']);
  git(cwd, ['checkout', '-q', 'main']);
  writeFileSync(join(cwd, 'notes.txt'), 'ours\n');
  git(cwd, ['commit', '-q', '-am', 'ours']);
  return cwd;
}

/** The example workflow, loaded as the stages.yaml of `project`. */
async function exampleConfiguration(project: string, text = exampleText): Promise<Configuration> {
  writeFileSync(join(project, 'stages.yaml'), text);
  return loadConfiguration({ cwd: project, env: {} });
}

async function preflightOf(project: string, configuration?: Configuration) {
  return preflight({
    configuration: configuration ?? await exampleConfiguration(project), runner: 'simulated', projectRoot: project, cwd: project, env: {},
  });
}

/** A git on PATH that answers `git version` with `version` and hands everything else to the real one. */
function gitAnswering(version: string): string {
  const bin = temporaryDirectory();
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nfor last in "$@"; do :; done\nif [ "$last" = version ]; then echo "git version ${version}"; exit 0; fi\nexec ${realGit} "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  return bin;
}

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('preflight of a parallel group with isolation: worktree', { timeout: 30_000 }, () => {
  it('passes a clean repository whose runs directory is ignored', async () => {
    const project = repository();
    writeFileSync(join(project, 'notes.txt'), 'uncommitted changes are fine: they are snapshotted\n');
    expect(await preflightOf(project)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a project that is not a git repository, at the group\'s isolation line, even on a simulated run', async () => {
    const project = temporaryDirectory();
    const { errors } = await preflightOf(project);
    expect(errors).toEqual([expect.objectContaining({
      file: 'stages.yaml', line: isolationLine, column: 5, subject: 'group build', rule: 'isolation-not-a-repository',
      message: `isolation: worktree makes each stage's worktree from the project's git repository, and ${project} is not inside one`,
      fix: 'make the project a repository: `git init && git add -A && git commit -m "start"`, or remove isolation: worktree from the group (its stages then share the project)',
    })]);
  });

  it('says nothing about git for a workflow whose groups share the project', async () => {
    const project = temporaryDirectory();
    const shared = await exampleConfiguration(project, exampleText.replace(isolationKey, '    isolation: shared'));
    expect(await preflightOf(project, shared)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a git older than 2.38, naming the version found', async () => {
    const project = repository();
    process.env.PATH = `${gitAnswering('2.37.1')}${delimiter}${originalPath}`;
    const { errors } = await preflightOf(project);
    expect(errors).toEqual([expect.objectContaining({
      line: isolationLine, rule: 'isolation-git-too-old',
      message: 'isolation: worktree needs git 2.38 or newer to merge the stages\' changes (this machine has git 2.37.1)',
      fix: 'upgrade git, or remove isolation: worktree from the group (its stages then share the project)',
    })]);
  });

  it('refuses when git is not installed at all', async () => {
    const project = repository();
    process.env.PATH = temporaryDirectory();
    const { errors } = await preflightOf(project);
    expect(errors).toEqual([expect.objectContaining({
      line: isolationLine, rule: 'isolation-git-missing',
      message: 'isolation: worktree runs git, and git is not installed (not found on PATH)',
    })]);
  });

  it.each([
    ['a merge', ['merge', 'other'], 'MERGE_HEAD', 'commit it (`git commit`) or abort it (`git merge --abort`), then run again'],
    ['a rebase', ['rebase', 'other'], 'rebase-merge', 'finish it (`git rebase --continue`) or abort it (`git rebase --abort`), then run again'],
    ['a cherry-pick', ['cherry-pick', 'other'], 'CHERRY_PICK_HEAD', 'finish it (`git cherry-pick --continue`) or abort it (`git cherry-pick --abort`), then run again'],
    ['a revert', ['revert', '--no-edit', 'HEAD'], 'REVERT_HEAD', 'finish it (`git revert --continue`) or abort it (`git revert --abort`), then run again'],
    ['a bisect', ['bisect', 'start'], 'BISECT_LOG', 'end it: `git bisect reset`, then run again'],
  ])('refuses while %s is in progress, with the command that ends it', async (what, args, marker, fix) => {
    const project = divergedRepository();
    if (what === 'a revert') {
      // Reverting "ours" conflicts with a later change of the same line.
      writeFileSync(join(project, 'notes.txt'), 'later\n');
      git(project, ['commit', '-q', '-am', 'later']);
      git(project, ['revert', '--no-edit', 'HEAD~1'], true);
    } else {
      git(project, args, true);
    }
    const { errors } = await preflightOf(project);
    expect(errors).toEqual([expect.objectContaining({
      file: 'stages.yaml', line: isolationLine, rule: 'isolation-operation-in-progress',
      message: `${what} is in progress in the project's repository (.git/${marker} exists): the group's worktrees would start from its half-done state and its changes be merged into it`,
      fix,
    })]);
  });

  it('warns, without refusing, when the runs directory is not ignored', async () => {
    const project = repository(null);
    const { errors, warnings } = await preflightOf(project);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({
      file: 'stages.yaml', line: isolationLine, rule: 'isolation-runs-directory-tracked',
      message: '.teambot/ is not ignored by git, and teambot writes the group\'s worktrees (.teambot/<feature>/worktrees/) and its runs there: git status would list them, and `git add -A` take them in',
      fix: 'add .teambot/ to .gitignore (`teambot init` does)',
    })]);
  });

  it('warns when git tracks files in the runs directory, even an ignored one', async () => {
    const project = repository();
    mkdirSync(join(project, '.teambot', 'old'), { recursive: true });
    writeFileSync(join(project, '.teambot', 'old', 'events.jsonl'), '{}\n');
    git(project, ['add', '-f', '.teambot/old/events.jsonl']);
    git(project, ['commit', '-q', '-m', 'a run, by mistake']);
    const { errors, warnings } = await preflightOf(project);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({
      line: isolationLine, rule: 'isolation-runs-directory-tracked',
      message: 'git tracks 1 file in .teambot/ (e.g. .teambot/old/events.jsonl), where teambot writes the group\'s worktrees and its runs',
      fix: 'stop tracking it and ignore it: `git rm -r --cached .teambot/ && echo .teambot/ >> .gitignore`',
    })]);
  });
});
