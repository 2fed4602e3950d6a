import { randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync,
  realpathSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';

/**
 * Every file teambot writes under its runs directory goes through here, so a
 * repository cloned with a symbolic link planted in `.teambot/` can never make
 * teambot write outside it, and other users of the machine cannot read what
 * agents were told or wrote (prompts, outputs).
 */

/** Directories teambot creates: only their owner may list or enter them. */
export const PRIVATE_DIRECTORY_MODE = 0o700;
/** Files teambot writes: only their owner may read them. */
export const PRIVATE_FILE_MODE = 0o600;

// O_NONBLOCK: opening a FIFO planted where a file belongs fails instead of hanging.
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * `symlink-refused`: a symbolic link where teambot writes; following it could write anywhere.
 *
 * @example symlinkRefused('/repo/.teambot/x/events.jsonl')
 */
export function symlinkRefused(path: string): InputError {
  return new InputError([wholeFileIssue({
    file: path, rule: 'symlink-refused',
    message: 'this is a symbolic link where teambot writes a file or directory; teambot does not follow links in its run directory',
    fix: `remove the link (rm ${path}), then run the command again`,
  })]);
}

/** `path-outside-run`: a directory teambot would write into resolves outside the directory it belongs to. */
export function outsideRunDirectory(path: string, root: string): InputError {
  return new InputError([wholeFileIssue({
    file: path, rule: 'path-outside-run',
    message: `this resolves outside ${root} (through a symbolic link), where teambot does not write`,
    fix: `remove the link that leads out of ${root}, then run the command again`,
  })]);
}

/** Whether `path` is `root` or below it (both already resolved). */
export function isInside(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

/**
 * Creates `directory` and every missing directory between `root` and it, each
 * 0700; `root` itself is created (0700) when missing. Refuses a symbolic link
 * in the chain below `root` (lstat, never followed).
 *
 * @example makePrivateDirectory('/repo/.teambot/x/artifacts', '/repo/.teambot')
 * @throws InputError `symlink-refused` / `path-outside-run`; the file system's error otherwise (ENOTDIR, EACCES…)
 */
export function makePrivateDirectory(directory: string, root: string): void {
  const target = resolve(directory);
  const base = resolve(root);
  if (!isInside(target, base)) throw outsideRunDirectory(target, base);
  const created = mkdirSync(base, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (created !== undefined) chmodSync(base, PRIVATE_DIRECTORY_MODE);
  let current = base;
  for (const part of relative(base, target).split(/[\\/]/).filter(Boolean)) {
    current = join(current, part);
    try {
      mkdirSync(current, { mode: PRIVATE_DIRECTORY_MODE });
      chmodSync(current, PRIVATE_DIRECTORY_MODE); // the umask may have taken bits we asked for; never widens
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stats = lstatSync(current);
      if (stats.isSymbolicLink()) throw symlinkRefused(current);
      if (!stats.isDirectory()) throw error; // a file in the way: the caller names it (runPathError)
    }
  }
}

/**
 * Checks that the directory holding `path` is inside `root` once links are
 * resolved, and that `path` itself is not a link.
 *
 * @throws InputError `path-outside-run` or `symlink-refused`
 */
export function assertWritablePlace(path: string, root: string): void {
  const realRoot = realpathSync(root);
  const realDirectory = realpathSync(dirname(path));
  if (!isInside(realDirectory, realRoot)) throw outsideRunDirectory(dirname(path), root);
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw symlinkRefused(path);
}

/**
 * Replaces `path` with `data` whole or not at all: a 0600 temporary file in the
 * same directory (created O_EXCL|O_NOFOLLOW), written, fsynced, renamed over
 * `path`. A failed write (ENOSPC) leaves the previous file as it was.
 *
 * @param root the directory `path` must stay inside (the feature directory)
 * @example writeFileAtomically('/repo/.teambot/x/orchestration_state.json', text, { root: '/repo/.teambot/x' })
 * @throws InputError `symlink-refused` / `path-outside-run`; the file system's error otherwise
 */
export function writeFileAtomically(path: string, data: string, options: { root: string; fsync?: boolean }): void {
  assertWritablePlace(path, options.root);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, TEMP_FLAGS, PRIVATE_FILE_MODE);
  try {
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE);
      writeAll(fd, Buffer.from(data));
      if (options.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Makes a rename or a new entry in `directory` durable (fsync of the
 * directory): the data's own fsync does not cover its name.
 */
export function syncDirectory(directory: string): void {
  const fd = openSync(directory, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether a non-empty file at `path` does not end with a newline (a line cut short by a crash). */
export function endsMidLine(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false; // missing; a link is refused by the append that follows
  }
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens `path` to append (created 0600), never through a symbolic link and
 * never a FIFO or device; the caller closes it.
 *
 * @throws InputError `symlink-refused` / `not-a-file`; the file system's error otherwise
 */
export function openForAppend(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, APPEND_FLAGS, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw symlinkRefused(path);
    throw error;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new InputError([wholeFileIssue({
      file: path, rule: 'not-a-file', message: 'this is not a regular file, where teambot appends to one',
      fix: 'move it out of the way, then run the command again',
    })]);
  }
  if ((stats.mode & 0o777) !== PRIVATE_FILE_MODE) {
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE); // a log written by an older teambot, before files were private
    } catch {
      // Not ours to change (another owner): appending is still allowed.
    }
  }
  return fd;
}

/** Writes all of `bytes` at the descriptor's position (a write may take only part). */
export function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
