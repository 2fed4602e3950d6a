import { existsSync, readFileSync } from 'node:fs';
import { journalPathFor, replayJournal } from './stateJournal.js';

/**
 * A state file's JSON as of its last checkpoint, its journal replayed, read at
 * once and unvalidated: for a quick look where no run is writing it (the run
 * lock is held, or the run has ended). readStateFile is the reader that
 * validates and locates problems.
 *
 * @throws the file system's or JSON's error; InputError `state-corrupt` for a damaged journal
 */
export function currentStateJson(statePath: string): Record<string, unknown> {
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
  const journalPath = journalPathFor(statePath);
  if (existsSync(journalPath)) replayJournal(state, readFileSync(journalPath, 'utf8'), journalPath);
  return state;
}
