import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { runPathError } from './runDirectoryErrors.js';

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
}

export const LOCK_FILE_NAME = 'run.lock';

export interface RunLock {
  release(): void;
}

/**
 * Takes the feature directory's run lock so two runs never write one state
 * file. The lock names its owner's pid: a lock whose process is gone (a crash,
 * SIGKILL) is taken over at once. (An mtime-based lock such as proper-lockfile
 * would make a resume right after a crash wait out the stale period.)
 *
 * @throws InputError `run-in-progress` when a live process holds the lock; `not-a-directory`,
 *   `not-a-file` or `unwritable` when the run's directory cannot hold it (nothing is left behind)
 */
export function acquireRunLock(featureDir: string): RunLock {
  try {
    mkdirSync(featureDir, { recursive: true });
  } catch (error) {
    throw runPathError(error, { path: featureDir, doing: 'create the run\'s directory', writes: true });
  }
  const path = join(featureDir, LOCK_FILE_NAME);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), started_at: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (linkLock(path, owner)) {
      const release = () => {
        if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    }
    const holder = readOwner(path);
    if (holder && isAlive(holder)) throw lockedBy(holder, path);
    try {
      rmSync(path, { force: true }); // stale: its process is gone
    } catch (error) {
      throw runPathError(error, { path, doing: 'replace the stale run lock', writes: true });
    }
  }
  throw lockedBy(readOwner(path), path);
}

/**
 * Creates the lock with its owner already in it (link is atomic and fails if the lock exists),
 * so a competitor never reads an empty lock and mistakes it for a stale one.
 *
 * @returns false when a lock is already there
 */
function linkLock(path: string, owner: LockOwner): boolean {
  const candidate = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(candidate, `${JSON.stringify(owner)}\n`);
    linkSync(candidate, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'link') return false;
    // The feature directory is what the user can fix; the temporary file's name only when it is in the way.
    throw runPathError(error, { path: code === 'EISDIR' ? candidate : dirname(path), doing: `write its run lock (${LOCK_FILE_NAME})`, writes: true });
  } finally {
    try {
      rmSync(candidate, { force: true });
    } catch {
      // Nothing was written there, or it is not ours to remove (a directory by that name).
    }
  }
}

/**
 * The process running this feature directory's run, from its lock: undefined
 * when no lock is held by a live process (no run, or one that was killed).
 */
export function liveRunOwner(featureDir: string): LockOwner | undefined {
  const owner = readOwner(join(featureDir, LOCK_FILE_NAME));
  return owner && isAlive(owner) ? owner : undefined;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isAlive(owner: LockOwner): boolean {
  // On another machine (a shared directory) we cannot tell: assume it is alive.
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedBy(owner: LockOwner | undefined, path: string): InputError {
  const who = owner ? `process ${owner.pid} on ${owner.hostname}, started ${owner.started_at}` : 'another process';
  return new InputError([wholeFileIssue({
    file: path, rule: 'run-in-progress',
    message: `another teambot run is using this feature directory (${who})`,
    fix: 'wait for it to finish or stop it (Ctrl+C); if you are sure no run is active, delete the lock file',
  })]);
}
