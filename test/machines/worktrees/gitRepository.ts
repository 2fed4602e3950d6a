import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { temporaryDirectory } from '../../support/runCli.js';

/** git as the tests' "user" runs it: its own identity, no hooks of the machine's. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', ['-c', 'user.name=User', '-c', 'user.email=user@example.com', '-c', 'commit.gpgSign=false', ...args], { cwd, env: { GIT_OPTIONAL_LOCKS: '0' } });
  return result.stdout;
}

export function write(root: string, path: string, content: string | Uint8Array, executable = false): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  chmodSync(join(root, path), executable ? 0o755 : 0o644);
}

export function remove(root: string, path: string): void {
  rmSync(join(root, path));
}

/** Bytes no text diff can carry: a NUL and every high byte. */
export const BINARY = Uint8Array.from({ length: 300 }, (_, index) => index % 256);

/** The lines of src/lines.txt in the first commit. */
export const LINES = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/**
 * A repository as a user leaves it mid-work: a first commit (README.md, src/lines.txt,
 * tool.sh, logo.bin, old.txt, obsolete.txt, .gitignore ignoring .teambot/ and build/), then
 * README.md changed and not staged, src/staged.txt staged, obsolete.txt deleted, notes.txt
 * untracked, build/out.js ignored, a file in .teambot/, and a stash.
 */
export async function userRepository(): Promise<string> {
  const root = temporaryDirectory();
  await git(root, 'init', '-q', '-b', 'main');
  write(root, '.gitignore', '.teambot/\nbuild/\n');
  write(root, 'README.md', '# Project\n');
  write(root, 'src/lines.txt', `${LINES.join('\n')}\n`);
  write(root, 'tool.sh', '#!/bin/sh\necho tool\n');
  write(root, 'logo.bin', BINARY);
  write(root, 'old.txt', 'old\n');
  write(root, 'obsolete.txt', 'obsolete\n');
  await git(root, 'add', '-A');
  await git(root, 'commit', '-q', '-m', 'first');
  write(root, 'README.md', '# Project\nstashed line\n');
  await git(root, 'stash', '-q');
  write(root, 'README.md', '# Project\nuncommitted line\n');
  write(root, 'src/staged.txt', 'staged\n');
  await git(root, 'add', 'src/staged.txt');
  remove(root, 'obsolete.txt');
  write(root, 'notes.txt', 'untracked notes\n');
  write(root, 'build/out.js', 'ignored\n');
  write(root, '.teambot/feature/events.jsonl', '{}\n');
  return root;
}

/** Every file under `root` but .git and .teambot, as `<mode> <sha256>` by path: equal maps, equal trees. */
export function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative(root, path);
      if (name === '.git' || name === '.teambot') continue;
      if (entry.isDirectory()) walk(path);
      else files[name] = `${(statSync(path).mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(root);
  return files;
}

/** What the user's repository state is outside the working tree: index bytes, HEAD, refs, stash. */
export async function userState(root: string): Promise<Record<string, string>> {
  const gitDir = join(root, '.git');
  const read = (path: string) => (existsSync(join(gitDir, path)) ? createHash('sha256').update(readFileSync(join(gitDir, path))).digest('hex') : 'absent');
  return {
    index: read('index'),
    HEAD: readFileSync(join(gitDir, 'HEAD'), 'utf8'),
    refs: await git(root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags', 'refs/stash'),
    stash: await git(root, 'stash', 'list'),
    packedRefs: read('packed-refs'),
    staged: await git(root, 'diff', '--cached', '--name-status'),
  };
}

/** The paths and contents of a commit's tree. */
export async function treeFiles(root: string, commit: string): Promise<string[]> {
  return (await git(root, 'ls-tree', '-r', '--format=%(objectmode) %(path)', commit)).split('\n').filter(Boolean);
}
