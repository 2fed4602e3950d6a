import { createHash, randomBytes } from 'node:crypto';
import { linkSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { refuseLinkedRunEntries } from './featureDirectory.js';
import { processStartTime } from './processStart.js';
import { notAFileError, runPathError } from './runDirectoryErrors.js';
import { makePrivateDirectory, symlinkRefused, writeFileAtomically } from './safeFiles.js';

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
  /** When the owner process started (processStartTime): a pid reused by another process does not match. */
  readonly process_start?: string | undefined;
  /** Tells this lock from any other, even one the same process takes again within the millisecond. */
  readonly token?: string;
}

export const LOCK_FILE_NAME = 'run.lock';

/** Link, find a stale lock, take it over: a few rounds suffice even when many processes race. */
const MAX_ATTEMPTS = 8;
/** A take-over whose taker crashed is taken over in turn; each level is a crash during a take-over. */
const MAX_TAKEOVER_DEPTH = 4;

export interface RunLock {
  release(): void;
}

/**
 * Takes the feature directory's run lock so two runs never write one state
 * file. The lock names its owner's pid and the time that process started: a
 * lock whose process is gone (a crash, SIGKILL), or whose pid now belongs to
 * a process that started at another time, is taken over at once. (An
 * mtime-based lock such as proper-lockfile would make a resume right after a
 * crash wait out the stale period.) Of many processes taking over one stale
 * lock, exactly one gets it (see removeIfStill).
 *
 * @throws InputError `run-in-progress` when a live process holds the lock; `symlink-refused` when the lock is a
 *   symbolic link; `not-a-directory`, `not-a-file` or `unwritable` when the run's directory cannot hold it (nothing is left behind)
 */
export function acquireRunLock(featureDir: string): RunLock {
  try {
    makePrivateDirectory(featureDir, dirname(featureDir));
  } catch (error) {
    throw runPathError(error, { path: featureDir, doing: 'create the run\'s directory', writes: true });
  }
  const path = join(featureDir, LOCK_FILE_NAME);
  // Before the lock, so a refused run leaves nothing behind.
  refuseLinkedRunEntries(featureDir);
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw symlinkRefused(path);
  const owner: LockOwner = {
    pid: process.pid, hostname: hostname(), started_at: new Date().toISOString(),
    process_start: processStartTime(process.pid), token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (linkLock(path, text)) {
      const release = () => {
        if (readText(path) === text) rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    }
    const held = readText(path);
    if (held === undefined) continue; // released or taken over since: try again
    const holder = parseOwner(held);
    if (holder && isAlive(holder)) throw lockedBy(holder, path);
    try {
      removeIfStill(path, held, text, 0);
    } catch (error) {
      throw runPathError(error, { path, doing: 'replace the stale run lock', writes: true });
    }
  }
  throw lockedBy(parseOwner(readText(path) ?? ''), path);
}

/**
 * Removes the stale lock at `path` if it still holds `staleText`. Reading it
 * and removing it are two steps, so whoever removes it first creates its
 * claim, `<path>.<digest of staleText>.takeover` (link: atomic, fails when it
 * exists). With the claim held, nobody else can remove that lock, so if it
 * still holds `staleText` it does until we remove it; a lock that replaced it
 * (another process's, live) differs and is left alone. A claim whose process
 * died is removed the same way, one level down.
 */
function removeIfStill(path: string, staleText: string, claimText: string, depth: number): void {
  const claim = `${path}.${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}.takeover`;
  if (!linkLock(claim, claimText)) {
    const held = readText(claim);
    const claimant = held === undefined ? undefined : parseOwner(held);
    if (held !== undefined && !(claimant && isAlive(claimant)) && depth < MAX_TAKEOVER_DEPTH) {
      removeIfStill(claim, held, claimText, depth + 1);
    }
    return; // another process is taking it over, or just did: the caller looks again
  }
  try {
    if (readText(path) === staleText) rmSync(path, { force: true });
  } finally {
    rmSync(claim, { force: true });
  }
}

/**
 * Creates the lock with its owner already in it (link is atomic and fails if the lock exists),
 * so a competitor never reads an empty lock and mistakes it for a stale one.
 *
 * @returns false when a lock is already there
 */
function linkLock(path: string, text: string): boolean {
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileAtomically(candidate, text, { root: dirname(path), fsync: false });
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
 * when no lock is held by a live process (no run, one that was killed, or a
 * pid now used by another process), by the rule that takes a lock over.
 */
export function liveRunOwner(featureDir: string): LockOwner | undefined {
  let text: string | undefined;
  try {
    text = readText(join(featureDir, LOCK_FILE_NAME));
  } catch {
    return undefined; // a directory in the lock's place holds no run
  }
  const owner = parseOwner(text ?? '');
  return owner && isAlive(owner) ? owner : undefined;
}

/**
 * The lock's text, undefined when there is none; an unreadable lock reads as
 * '' (not a lock teambot wrote: stale).
 *
 * @throws InputError `not-a-file` when a directory is in its place
 */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw notAFileError('a directory', { path, doing: `read its run lock (${LOCK_FILE_NAME})` });
    return '';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner?.pid === 'number' ? owner : undefined;
  } catch {
    return undefined; // not a lock teambot wrote: stale
  }
}

/**
 * Whether the lock's owner still runs: its pid exists and, when the lock
 * recorded when it started, that process started then (else the pid was reused).
 */
export function isAlive(owner: LockOwner): boolean {
  // On another machine (a shared directory) we cannot tell: assume it is alive.
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.process_start === undefined) return true;
  const started = processStartTime(owner.pid);
  return started === undefined || started === owner.process_start;
}

function lockedBy(owner: LockOwner | undefined, path: string): InputError {
  const who = owner ? `process ${owner.pid} on ${owner.hostname}, started ${owner.started_at}` : 'another process';
  return new InputError([wholeFileIssue({
    file: path, rule: 'run-in-progress',
    message: `another teambot run is using this feature directory (${who})`,
    fix: 'wait for it to finish or stop it (Ctrl+C); if you are sure no run is active, delete the lock file',
  })]);
}
