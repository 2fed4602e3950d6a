import { resolve } from 'node:path';
import { shownPath } from '../../loader/shownPath.js';
import { renderWarnings } from '../text/reportIssues.js';
import { styleFor } from '../text/terminalStyle.js';
import { terminalLine } from '../text/terminalText.js';
import { featureDirectoryFor } from '../../loader/featureDirectoryFor.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { withProjectAcceptanceCommands } from '../../loader/projectAcceptanceCommands.js';
import { acquireRunLock } from '../../machines/persistence/runLock.js';
import type { CommandIo } from '../commandIo.js';
import { createRunner } from '../../machines/runners/runnerFactory.js';
import { archivePreviousRun } from '../../machines/persistence/archiveRun.js';
import { executeRun } from './executeRun.js';
import { checkBeforeRun, runOptionsRecord, type RunFlags } from './runFlags.js';
import { DEFAULT_MAX_HOURS } from '../../loader/durationLimits.js';

export interface RunOptions extends RunFlags {
  readonly objective: string;
  /** Start over even if the feature has an unfinished run (its state is archived). */
  readonly fresh: boolean;
}

/**
 * `teambot run <objective.md>`: loads and checks every input (exit 2 on any
 * problem, nothing written), then runs the workflow from the start. A feature
 * with an unfinished run is not overwritten: resume it, or pass --fresh.
 */
export async function runCommand(options: RunOptions, io: CommandIo): Promise<number> {
  const objectivePath = resolve(options.cwd, options.objective);
  const [loaded, objectiveRead] = await Promise.all([
    loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stages, configPath: options.config }),
    loadObjectiveFile(objectivePath),
  ]);
  // TeamBot's stages.yaml names no acceptance command: the project's test command stands in (preflight says so).
  const configuration = { ...loaded, stages: await withProjectAcceptanceCommands(loaded.stages, options.projectRoot) };
  const { runner: runnerName, warnings } = await checkBeforeRun(options, options.runner ?? configuration.teambot.runner.type, configuration,
    { projectRoot: options.projectRoot, env: io.env });
  // A run TeamBot started for this objective, under its own name for it, is found (and resumed, not overwritten).
  const feature = featureDirectoryFor(objectiveRead, resolve(options.projectRoot, configuration.teambot.teambot_dir));
  const objective = { ...objectiveRead, featureName: feature.featureName };
  const featureDir = feature.directory;
  const runner = await createRunner(runnerName, { configuration, featureDir, cwd: options.cwd, env: io.env, simulationFile: options.simulate });
  const lock = acquireRunLock(featureDir);
  try {
    const archived = archivePreviousRun(featureDir, { cwd: options.cwd, fresh: options.fresh });
    if (archived && !options.quiet) (options.json ? io.stderr : io.stdout).write(`${terminalLine(archived)}\n`);
  } catch (error) {
    lock.release();
    throw error;
  }
  if (warnings.length > 0 && !options.quiet) io.stderr.write(renderWarnings(warnings, io.invocation, styleFor(io.stderr, io.env)));
  return executeRun({
    configuration, objective,
    // Recorded relative to the project, so resume finds it from any directory in it.
    objectivePath: shownPath(options.projectRoot, objectivePath),
    cwd: options.projectRoot, runner, runnerName, runOptions: runOptionsRecord(options, runnerName), sequential: options.sequential, skip: options.skip,
    maxSeconds: (options.maxHours ?? DEFAULT_MAX_HOURS) * 3600, featureDir, lock,
  }, { ui: options.ui !== false, inspect: options.inspect === true, open: options.open === true, json: options.json, quiet: options.quiet, cwd: options.cwd }, io);
}
