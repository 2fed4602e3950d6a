import { constants, type Stats } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';

// init checks every place it will write before it writes anything: a directory, a FIFO or a
// symlink loop where a file goes, a file where a directory goes, or a directory it may not
// write would otherwise fail (or hang) halfway, leaving some files written and others not.

/** What init found where it means to write one file (relative to the project). */
export type Destination =
  | { readonly state: 'absent' }
  /** A regular file, or a symbolic link to one (then init reads and writes the file it leads to). */
  | { readonly state: 'file' }
  | { readonly state: 'conflict'; readonly issue: InputIssue };

/**
 * Looks at a destination and each directory on the way to it, without following
 * anything that could block (a FIFO is only ever lstat'ed, never opened).
 *
 * @example await examineDestination('/p', '.github/agents/pm.agent.md') // { state: 'absent' } in an empty directory
 */
export async function examineDestination(cwd: string, destination: string): Promise<Destination> {
  const parents = dirname(destination).split(/[\\/]/).filter((part) => part !== '.' && part !== '');
  for (let depth = 1; depth <= parents.length; depth += 1) {
    const parent = parents.slice(0, depth).join('/');
    const found = await statBoth(join(cwd, parent));
    if (found.missing) return { state: 'absent' };
    if (found.error !== undefined) return conflict(parent, 'init-unusable-path', `this cannot be used as a directory: ${found.error}`, fixFor(parent, 'a directory'));
    if (!found.target.isDirectory()) {
      return conflict(parent, 'init-not-a-directory', `this is ${kindOf(found.link, found.target)}; init writes ${destination} inside it, so it must be a directory`,
        fixFor(parent, 'a directory'));
    }
  }
  const found = await statBoth(join(cwd, destination));
  if (found.missing) return { state: 'absent' };
  if (found.error !== undefined) return conflict(destination, 'init-unusable-path', `this cannot be used as a file: ${found.error}`, fixFor(destination, 'a file'));
  if (found.target.isFile()) return { state: 'file' };
  return conflict(destination, 'init-not-a-file', `this is ${kindOf(found.link, found.target)}; init writes a file here`, fixFor(destination, 'a file'));
}

/**
 * Issues for writes init may not make: a file it overwrites that is read-only,
 * or a directory it creates a file (or directory) in that is not writable.
 * One issue per path, however many files it concerns.
 */
export async function writabilityIssues(cwd: string, writes: readonly { destination: string; exists: boolean }[]): Promise<InputIssue[]> {
  const issues = new Map<string, InputIssue>();
  for (const { destination, exists } of writes) {
    const path = exists ? destination : await nearestExistingDirectory(cwd, destination);
    if (issues.has(path)) continue;
    const shown = path === '.' ? cwd : path;
    const mode = exists ? constants.W_OK : constants.W_OK | constants.X_OK;
    const allowed = await access(join(cwd, path), mode).then(() => true, () => false);
    if (!allowed) {
      issues.set(path, wholeFileIssue({
        file: shown, rule: 'init-not-writable',
        message: exists ? `init would overwrite ${destination}, but may not write it` : `init would create ${destination} in this directory, but may not write it`,
        fix: `make ${shown} writable for this user (chmod u+w), or run init in a directory you own`,
      }));
    }
  }
  return [...issues.values()];
}

/** One issue per offending path: six agent files under a `.github` that is a file are one problem. */
export function uniqueIssues(found: readonly Destination[]): InputIssue[] {
  const issues = new Map<string, InputIssue>();
  for (const destination of found) {
    if (destination.state === 'conflict') issues.set(destination.issue.file, destination.issue);
  }
  return [...issues.values()];
}

/** The closest directory of `destination` that exists (its parents were examined: each is absent or a directory). */
async function nearestExistingDirectory(cwd: string, destination: string): Promise<string> {
  let directory = dirname(destination);
  while (directory !== '.' && directory !== '' && directory !== sep) {
    if (!(await statBoth(join(cwd, directory))).missing) return directory;
    directory = dirname(directory);
  }
  return '.';
}

type Both =
  | { missing: true; error?: undefined }
  | { missing: false; error: string }
  | { missing: false; error?: undefined; link: Stats; target: Stats };

/** lstat and stat of one path: what is there, and what it leads to when it is a symbolic link. */
async function statBoth(path: string): Promise<Both> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { missing: true } : { missing: false, error: code ?? String(error) };
  }
  if (!link.isSymbolicLink()) return { missing: false, link, target: link };
  try {
    return { missing: false, link, target: await stat(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a symbolic link in a loop (ELOOP)' : code === 'ENOENT' ? 'a symbolic link to nothing (ENOENT)' : code ?? String(error);
    return { missing: false, error: why };
  }
}

function kindOf(link: Stats, target: Stats): string {
  const kind = target.isDirectory() ? 'a directory'
    : target.isFile() ? 'a file'
      : target.isFIFO() ? 'a named pipe (FIFO)'
        : target.isSocket() ? 'a socket'
          : target.isCharacterDevice() || target.isBlockDevice() ? 'a device'
            : 'not a regular file';
  return link.isSymbolicLink() ? `a symbolic link to ${kind.replace(/^a /, '')}` : kind;
}

function fixFor(path: string, wanted: string): string {
  return `move or remove ${path} (init needs ${wanted} there), or run init in another directory`;
}

function conflict(file: string, rule: string, message: string, fix: string): Destination {
  return { state: 'conflict', issue: wholeFileIssue({ file, rule, message, fix }) };
}
