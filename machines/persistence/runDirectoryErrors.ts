import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeFileError, fileErrorCode } from '../../loader/fileProblems.js';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { shownPath } from '../../loader/shownPath.js';

/** What teambot was doing with a path under the runs directory when the file system refused. */
export interface RunPathAction {
  /** The path the operation was on. */
  readonly path: string;
  /** `create the run directory`, `write the run lock`, `read the event log`… */
  readonly doing: string;
  /** Whether the operation wrote (a permission problem is then about writing). */
  readonly writes: boolean;
  /** For paths shown relative to where the user is; absolute without it. */
  readonly cwd?: string | undefined;
}

const TEAMBOT_DIR_FIX = 'or set "teambot_dir" in teambot.json to a directory you can write';

/**
 * Turns a file system error met on a run's files (`.teambot/<feature>/…`) into an
 * InputError naming the path at fault, what is wrong with it and the fix; any
 * other error (a bug) is returned as it was, for the caller to rethrow.
 *
 * @example
 * try { mkdirSync(featureDir, { recursive: true }); }
 * catch (error) { throw runPathError(error, { path: featureDir, doing: 'create the run directory', writes: true }); }
 */
export function runPathError(error: unknown, action: RunPathAction): unknown {
  const code = fileErrorCode(error);
  if (code === undefined) return error;
  const shown = (path: string) => (action.cwd ? shownPath(action.cwd, path) : path);

  // A file (or device) where a directory must be: name it, not the path below it that could not be made.
  const blocker = code === 'ENOTDIR' || code === 'EEXIST' ? firstNonDirectory(action.path) : undefined;
  if (blocker) return notADirectoryError(blocker, action);
  if (code === 'EISDIR' || code === 'ERR_FS_EISDIR') return notAFileError('a directory', action);
  // Permissions of the file itself when it is there (an unreadable events.jsonl), else of the directory that should hold it.
  const isFile = quietStat(action.path)?.isFile() === true;
  const checked = isFile ? action.path : nearestExisting(action.path);
  const access = action.writes ? 'writable' : 'readable';
  return new InputError([wholeFileIssue({
    file: shown(action.path), rule: action.writes ? 'unwritable' : 'unreadable',
    message: `cannot ${action.doing}: ${describeFileError(code)}`,
    fix: `check that ${shown(checked)} is a ${access} ${isFile ? 'file' : 'directory'} (its permissions, its owner, a read-only mount), ${TEAMBOT_DIR_FIX}`,
  })]);
}

/**
 * `not-a-directory`: a file (or device) where teambot needs a directory, e.g. `.teambot` is a file.
 *
 * @example notADirectoryError({ path: '/repo/.teambot', what: 'a file' }, { doing: 'list the runs', cwd: '/repo' })
 */
export function notADirectoryError(blocker: { path: string; what: string }, action: Pick<RunPathAction, 'doing' | 'cwd'>): InputError {
  return new InputError([wholeFileIssue({
    file: action.cwd ? shownPath(action.cwd, blocker.path) : blocker.path, rule: 'not-a-directory',
    message: `this is ${blocker.what}, not a directory (teambot needs one here to ${action.doing})`,
    fix: `move it out of the way, ${TEAMBOT_DIR_FIX}`,
  })]);
}

/**
 * `not-a-file`: a directory (or pipe, device) where teambot keeps a file, e.g. `run.lock` is a directory.
 *
 * @example notAFileError('a directory', { path: '/repo/.teambot/x/events.jsonl', doing: 'archive the previous run', cwd: '/repo' })
 */
export function notAFileError(what: string, action: Pick<RunPathAction, 'path' | 'doing' | 'cwd'>): InputError {
  return new InputError([wholeFileIssue({
    file: action.cwd ? shownPath(action.cwd, action.path) : action.path, rule: 'not-a-file',
    message: `this is ${what} where teambot keeps a file (cannot ${action.doing})`,
    fix: `move the ${what === 'a directory' ? 'directory' : 'entry'} out of the way (or delete it if nothing in it is yours), then run the command again`,
  })]);
}

/** `a file`, `a directory`, `a device`… for what a path is. */
export function kindOfEntry(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  return stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'a special file';
}

/**
 * A path's stats, undefined when nothing is there; other problems (no permission
 * to look, a file where a directory should be) become {@link runPathError}s.
 */
export function statRunPath(action: Omit<RunPathAction, 'writes'>): Stats | undefined {
  try {
    return statSync(action.path, { throwIfNoEntry: false });
  } catch (error) {
    throw runPathError(error, { ...action, writes: false });
  }
}

/** The shortest ancestor of `path` (or `path` itself) that exists and is not a directory. */
function firstNonDirectory(path: string): { path: string; what: string } | undefined {
  const chain: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const candidate of chain) {
    const stats = quietStat(candidate);
    if (!stats) return undefined;
    if (!stats.isDirectory()) return { path: candidate, what: kindOfEntry(stats) };
  }
  return undefined;
}

/** The path itself or its nearest ancestor that exists: the directory whose permissions matter. */
function nearestExisting(path: string): string {
  let current = path;
  while (!quietStat(current)?.isDirectory() && dirname(current) !== current) current = dirname(current);
  return current;
}

function quietStat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
