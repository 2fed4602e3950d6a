import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { shownPath } from '../../loader/shownPath.js';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { acquireRunLock } from '../../machines/persistence/runLock.js';
import type { CommandIo } from '../commandIo.js';
import { createRunner } from '../../machines/runners/runnerFactory.js';
import { checkRunFlags, DEFAULT_MAX_HOURS, executeRun, type RunFlags } from './executeRun.js';

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
  const [configuration, objective] = await Promise.all([
    loadConfiguration({ cwd: options.cwd, stagesPath: options.stages, configPath: options.config }),
    loadObjectiveFile(objectivePath),
  ]);
  const runnerName = checkRunFlags(options, options.runner ?? configuration.teambot.runner.type, configuration.stages);
  const featureDir = resolve(options.cwd, configuration.teambot.teambot_dir, objective.featureName);
  const runner = await createRunner(runnerName, { configuration, featureDir, cwd: options.cwd, simulationFile: options.simulate });
  const lock = acquireRunLock(featureDir);
  try {
    archivePreviousRun(featureDir, options);
  } catch (error) {
    lock.release();
    throw error;
  }
  return executeRun({
    configuration, objective,
    objectivePath: relative(options.cwd, objectivePath).startsWith('..') ? objectivePath : relative(options.cwd, objectivePath),
    cwd: options.cwd, runner, runnerName, sequential: options.sequential, skip: options.skip,
    maxSeconds: (options.maxHours ?? DEFAULT_MAX_HOURS) * 3600, featureDir, lock,
  }, { ui: options.ui !== false, inspect: options.inspect === true }, io);
}

/**
 * A finished run's state is archived (orchestration_state.<time>.json) so a new
 * run can start; an unfinished one is only archived with --fresh. Called with
 * the run lock held, so no live run's state is moved.
 */
function archivePreviousRun(featureDir: string, options: RunOptions): void {
  const statePath = join(featureDir, STATE_FILE_NAME);
  if (!existsSync(statePath)) return;
  const status = previousStatus(statePath);
  if (status !== 'complete' && !options.fresh) {
    const shown = shownPath(options.cwd, featureDir);
    throw new InputError([wholeFileIssue({
      file: shownPath(options.cwd, statePath), rule: 'run-exists',
      message: `this feature already has a run that did not complete (status ${status ?? 'unreadable'})`,
      fix: `resume it with \`teambot run --resume ${shown}\`, or start over with --fresh (the old state is kept as an archive)`,
    })]);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  renameSync(statePath, join(featureDir, `orchestration_state.${stamp}.json`));
}

function previousStatus(statePath: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(statePath, 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}
