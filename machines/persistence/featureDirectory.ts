import { lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { journalPathFor } from '../../loader/stateJournal.js';
import { AGENTS_FILE_NAME } from './agentsFile.js';
import { EVENTS_FILE_NAME } from './eventLog.js';
import { runPathError } from './runDirectoryErrors.js';
import { makePrivateDirectory, symlinkRefused } from './safeFiles.js';

/** What teambot writes directly in a feature directory (run.lock is runLock.ts's own). */
const RUN_ENTRIES = [STATE_FILE_NAME, journalPathFor(STATE_FILE_NAME), EVENTS_FILE_NAME, AGENTS_FILE_NAME, 'artifacts', 'prompts', 'failures', 'output'];

/**
 * Creates a run's feature directory and its artifacts/ (idempotent, 0700). A
 * file, a symbolic link or an unwritable directory in the way is an InputError naming it.
 *
 * @returns the artifacts directory
 * @throws InputError `symlink-refused` when one of the run's files is a symbolic link
 */
export function createFeatureDirectory(featureDir: string, cwd?: string): string {
  const artifactsDir = join(featureDir, 'artifacts');
  refuseLinkedRunEntries(featureDir);
  try {
    makePrivateDirectory(artifactsDir, dirname(featureDir));
  } catch (error) {
    throw runPathError(error, { path: artifactsDir, doing: 'create the run\'s artifacts directory', writes: true, cwd });
  }
  return artifactsDir;
}

/**
 * Refuses a run whose feature directory holds a symbolic link where teambot
 * writes (a repository can be cloned with one planted), before anything is
 * written; every write checks again (safeFiles.ts), this only says it early.
 *
 * @throws InputError `symlink-refused` naming the link
 */
export function refuseLinkedRunEntries(featureDir: string): void {
  for (const name of RUN_ENTRIES) {
    const path = join(featureDir, name);
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw symlinkRefused(path);
  }
}
