import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve, sep } from 'node:path';
import { featureDirectoryFor } from '../../loader/featureDirectoryFor.js';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { shownPath } from '../../loader/shownPath.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { nearestName } from '../../loader/suggestName.js';
import { kindOfEntry, notADirectoryError, runPathError, statRunPath } from './runDirectoryErrors.js';

export interface StateLookup {
  /** Where the user is: a target path is relative to it. */
  readonly cwd: string;
  /** The project (findProject): runs are under `<projectRoot>/<teambotDir>/`. */
  readonly projectRoot: string;
  readonly teambotDir: string;
  /**
   * What the user named: a state file, a feature directory, a feature name, or
   * the objective file the run was started with. Default: the most recently updated run.
   */
  readonly target?: string | undefined;
}

/**
 * The state file a command (resume, status, inspect) is pointed at.
 *
 * @example await locateStateFile({ cwd, projectRoot, teambotDir: '.teambot', target: 'csv-export' }) // '/repo/.teambot/csv-export/orchestration_state.json'
 * @example await locateStateFile({ cwd, projectRoot, teambotDir: '.teambot', target: 'objectives/csv.md' }) // the same, from the objective's title
 * @throws InputError `state-not-found` (saying which runs there are), the objective's own issues, or
 *   `not-a-directory` / `unreadable` when the runs directory cannot be looked into
 */
export async function locateStateFile(lookup: StateLookup): Promise<string> {
  const runsDirectory = resolve(lookup.projectRoot, lookup.teambotDir);
  const { target } = lookup;
  const look = (path: string) => statRunPath({ path, doing: 'look for a run\'s state file', cwd: lookup.cwd });
  if (!target) {
    const latest = featureDirectories(runsDirectory, lookup.cwd)
      .map((directory) => ({ file: join(directory, STATE_FILE_NAME), stats: look(join(directory, STATE_FILE_NAME)) }))
      .filter(({ stats }) => stats !== undefined)
      .sort((a, b) => b.stats!.mtimeMs - a.stats!.mtimeMs)[0];
    if (latest) return latest.file;
    throw notFound(lookup, shownPath(lookup.cwd, runsDirectory), `no run found under ${lookup.teambotDir}/`);
  }

  const path = resolve(lookup.cwd, target);
  const entry = look(path);
  if (entry?.isDirectory()) {
    const file = join(path, STATE_FILE_NAME);
    if (look(file)) return file;
    throw notFound(lookup, shownPath(lookup.cwd, file), path === runsDirectory
      ? 'this is the directory of all runs; name one of them'
      : 'this directory has no orchestration_state.json (it is not a run\'s feature directory)');
  }
  // A pipe or device is passed on too: the readers refuse it as `not-a-file` without opening it.
  if (entry) {
    if (extname(path).toLowerCase() === '.json') return path;
    // Not a state file: the objective the run was started with names its feature.
    const objective = await loadObjectiveFile(path);
    const file = join(featureDirectoryFor(objective, runsDirectory).directory, STATE_FILE_NAME);
    if (look(file)) return file;
    throw notFound(lookup, target, `no run of this objective yet (its feature would be ${objective.featureName})`,
      `start one with \`teambot run ${target}\``);
  }
  if (!target.includes('/') && !target.includes(sep)) {
    const file = join(runsDirectory, target, STATE_FILE_NAME);
    if (look(file)) return file;
  }
  throw notFound(lookup, target, 'no such state file, feature directory, feature or objective');
}

/**
 * The run directories under teambot_dir (each a feature); none when it does not exist yet.
 *
 * @throws InputError when teambot_dir is a file, or cannot be read
 */
function featureDirectories(runsDirectory: string, cwd: string): string[] {
  const action = { path: runsDirectory, doing: 'list the runs', cwd };
  const stats = statRunPath(action);
  if (!stats) return [];
  if (!stats.isDirectory()) throw notADirectoryError({ path: runsDirectory, what: kindOfEntry(stats) }, action);
  try {
    return readdirSync(runsDirectory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(runsDirectory, entry.name));
  } catch (error) {
    throw runPathError(error, { ...action, writes: false });
  }
}

function notFound(lookup: StateLookup, file: string, message: string, fix?: string): InputError {
  const features = featureDirectories(resolve(lookup.projectRoot, lookup.teambotDir), lookup.cwd)
    // Runs that cannot be looked into are left out of a list that is only a suggestion.
    .filter((directory) => existsSync(join(directory, STATE_FILE_NAME)))
    .map((directory) => basename(directory))
    .sort();
  const nearest = lookup.target ? nearestName(basename(lookup.target), features) : undefined;
  const runs = features.length > 0 ? `runs here: ${features.join(', ')}` : `there are no runs under ${lookup.teambotDir}/ yet`;
  return new InputError([wholeFileIssue({
    file, rule: 'state-not-found', message,
    fix: fix ?? `${nearest ? `did you mean ${nearest}? ` : ''}name a run by its feature, its directory, its state file or its objective (${runs}); `
      + 'start one with `teambot run <objective.md>`',
  })]);
}
