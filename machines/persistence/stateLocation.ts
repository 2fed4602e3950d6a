import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve, sep } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { shownPath } from '../../loader/shownPath.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { nearestName } from '../../loader/suggestName.js';

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
 * @throws InputError `state-not-found` (saying which runs there are), or the objective's own issues
 */
export async function locateStateFile(lookup: StateLookup): Promise<string> {
  const runsDirectory = resolve(lookup.projectRoot, lookup.teambotDir);
  const { target } = lookup;
  if (!target) {
    const latest = featureDirectories(runsDirectory)
      .map((directory) => join(directory, STATE_FILE_NAME))
      .filter((file) => existsSync(file))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (latest) return latest;
    throw notFound(lookup, shownPath(lookup.cwd, runsDirectory), `no run found under ${lookup.teambotDir}/`);
  }

  const path = resolve(lookup.cwd, target);
  const entry = statSync(path, { throwIfNoEntry: false });
  if (entry?.isDirectory()) {
    const file = join(path, STATE_FILE_NAME);
    if (existsSync(file)) return file;
    throw notFound(lookup, shownPath(lookup.cwd, file), path === runsDirectory
      ? 'this is the directory of all runs; name one of them'
      : 'this directory has no orchestration_state.json (it is not a run\'s feature directory)');
  }
  if (entry?.isFile()) {
    if (extname(path).toLowerCase() === '.json') return path;
    // Not a state file: the objective the run was started with names its feature.
    const objective = await loadObjectiveFile(path);
    const file = join(runsDirectory, objective.featureName, STATE_FILE_NAME);
    if (existsSync(file)) return file;
    throw notFound(lookup, target, `no run of this objective yet (its feature would be ${objective.featureName})`,
      `start one with \`teambot run ${target}\``);
  }
  if (!target.includes('/') && !target.includes(sep)) {
    const file = join(runsDirectory, target, STATE_FILE_NAME);
    if (existsSync(file)) return file;
  }
  throw notFound(lookup, target, 'no such state file, feature directory, feature or objective');
}

/** The run directories under teambot_dir (each a feature). */
function featureDirectories(runsDirectory: string): string[] {
  if (!statSync(runsDirectory, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(runsDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(runsDirectory, entry.name));
}

function notFound(lookup: StateLookup, file: string, message: string, fix?: string): InputError {
  const features = featureDirectories(resolve(lookup.projectRoot, lookup.teambotDir))
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
