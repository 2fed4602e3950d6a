import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Objective } from './objective.js';

/**
 * The feature directory of an objective under the runs directory, and the feature name it
 * stands for: `<runs>/<featureName>/`, unless that does not exist yet and the directory TeamBot
 * would have used for the same objective does (`Café menu`: teambot's `cafe-menu`, TeamBot's
 * `caf-menu`), so the run of a user moving from TeamBot is found and resumed. TeamBot's
 * catch-all `feature` is never taken over: any objective TeamBot could not name ran there.
 *
 * @example featureDirectoryFor(objective, '/repo/.teambot') // { featureName: 'caf-menu', directory: '/repo/.teambot/caf-menu' } when only that exists
 */
export function featureDirectoryFor(objective: Objective, runsDirectory: string): { featureName: string; directory: string } {
  const ours = { featureName: objective.featureName, directory: join(runsDirectory, objective.featureName) };
  const legacyName = objective.teamBotFeatureName;
  if (legacyName === undefined || legacyName === 'feature' || isDirectory(ours.directory)) return ours;
  const legacy = join(runsDirectory, legacyName);
  return isDirectory(legacy) ? { featureName: legacyName, directory: legacy } : ours;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    // Cannot be looked into (a link loop, no permission): not a run to take over.
    return false;
  }
}
