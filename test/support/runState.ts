import { join } from 'node:path';
import { currentStateJson } from '../../loader/currentStateJson.js';

/**
 * A run's state as of its last checkpoint, as `resume` and `status` read it:
 * orchestration_state.json with the checkpoints its journal holds applied. A
 * run that is still going, or was killed, has written only some of them into
 * the file itself.
 */
export function readRunState<T = Record<string, unknown>>(featureDir: string): T {
  return currentStateJson(join(featureDir, 'orchestration_state.json')) as T;
}

/** readRunState as the text of one state file (2-space JSON, as teambot writes it). */
export function runStateText(featureDir: string): string {
  return `${JSON.stringify(readRunState(featureDir), null, 2)}\n`;
}
