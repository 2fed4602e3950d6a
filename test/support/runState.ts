import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalPathFor, replayJournal } from '../../loader/stateJournal.js';

/**
 * A run's state as of its last checkpoint, as `resume` and `status` read it:
 * orchestration_state.json with the checkpoints its journal holds applied. A
 * run that is still going, or was killed, has written only some of them into
 * the file itself.
 */
export function readRunState<T = Record<string, unknown>>(featureDir: string): T {
  const statePath = join(featureDir, 'orchestration_state.json');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
  const journalPath = journalPathFor(statePath);
  if (existsSync(journalPath)) replayJournal(state, readFileSync(journalPath, 'utf8'), journalPath);
  return state as T;
}

/** readRunState as the text of one state file (2-space JSON, as teambot writes it). */
export function runStateText(featureDir: string): string {
  return `${JSON.stringify(readRunState(featureDir), null, 2)}\n`;
}
