import { dirname, resolve } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { readStateFile } from '../../loader/readStateFile.js';
import type { LoadedRunState } from '../../loader/stateFile.js';
import { describeStagesChanges, stagesFingerprint, stagesHash } from '../../loader/stagesFingerprint.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { planResume } from '../../machines/session/resumePlan.js';
import { acquireRunLock } from '../../machines/persistence/runLock.js';
import { shownPath } from '../../loader/shownPath.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { locateStateFile } from '../../machines/persistence/stateLocation.js';
import { createRunner } from '../../machines/runners/runnerFactory.js';
import { executeRun } from './executeRun.js';
import { checkBeforeRun, type RunFlags } from './runFlags.js';

export interface ResumeOptions extends RunFlags {
  /** A feature directory or state file; default: the most recently updated run. */
  readonly target?: string | undefined;
  /** Overrides the objective path recorded in the state file. */
  readonly objective?: string | undefined;
  /** Also re-run this completed stage and everything after it. */
  readonly rerun?: string | undefined;
  /** Resume even though the stages configuration changed. */
  readonly force: boolean;
}

/**
 * `teambot run --resume` / `teambot resume`: restores a run from its state file
 * (ours or TeamBot's) and re-runs only what is not complete, after printing
 * the plan. A complete run says so and runs nothing.
 */
export async function resumeCommand(options: ResumeOptions, io: CommandIo): Promise<number> {
  const configuration = await loadConfiguration({ cwd: options.cwd, stagesPath: options.stages, configPath: options.config });
  const { stages } = configuration;
  const statePath = locateStateFile(options.cwd, configuration.teambot.teambot_dir, options.target);
  const featureDir = dirname(statePath);
  const lock = acquireRunLock(featureDir);
  try {
    const state = await readStateFile(statePath, stages);
    const shown = shownPath(options.cwd, featureDir);
    if (state.status === 'complete' && options.rerun === undefined) {
      io.stdout.write(`✓ ${state.featureName} is already complete (${shown}); nothing to run.\n`
        + `  to run stages again: teambot run --resume ${shown} --rerun <STAGE>\n`);
      lock.release();
      return ExitCode.ok;
    }
    const changed = checkConfigurationUnchanged(state, stages, options.force);
    if (options.rerun !== undefined && !stages.stage_order.includes(options.rerun)) {
      throw new InputError([wholeFileIssue({
        file: 'command line', rule: 'rerun-unknown-stage',
        message: `--rerun ${options.rerun}: no such stage in the workflow`, fix: `stages: ${stages.stage_order.join(', ')}`,
      })]);
    }
    const objectivePath = resolve(options.cwd, options.objective ?? state.objectiveFile);
    const objective = await loadObjectiveFile(objectivePath);
    const runnerName = await checkBeforeRun(options, options.runner ?? configuration.teambot.runner.type, configuration, { projectRoot: options.cwd }, io);
    const runner = await createRunner(runnerName, { configuration, featureDir, cwd: options.cwd, simulationFile: options.simulate });

    const plan = planResume(state, stages, { ...(options.rerun ? { rerun: options.rerun } : {}), configurationChanged: changed });
    io.stdout.write(`resuming ${state.featureName} from ${shownPath(options.cwd, statePath)}\n${plan.lines.map((line) => `  ${line}\n`).join('')}`);
    return await executeRun({
      configuration, objective, objectivePath: options.objective ?? state.objectiveFile, cwd: options.cwd,
      runner, runnerName, sequential: options.sequential, skip: options.skip,
      maxSeconds: options.maxHours !== undefined ? options.maxHours * 3600 : state.maxSeconds,
      resume: plan.point, featureDir, lock,
    }, { ui: options.ui !== false, inspect: options.inspect === true }, io);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Refuses (unless --force) to resume with a stages configuration other than the
 * one the run was made with, saying what changed. Legacy files record no hash.
 *
 * @returns whether the configuration changed (resume then re-plans from completed stages)
 */
function checkConfigurationUnchanged(state: LoadedRunState, stages: StagesConfig, force: boolean): boolean {
  if (state.stagesConfigHash === undefined || state.stagesConfigHash === stagesHash(stages)) return false;
  if (force) return true;
  const changes = state.stagesConfigFingerprint
    ? describeStagesChanges(state.stagesConfigFingerprint, stagesFingerprint(stages))
    : [];
  throw new InputError([wholeFileIssue({
    file: state.path, rule: 'stages-changed',
    message: `the stages configuration changed since this run was saved${changes.length > 0 ? `: ${changes.join(', ')}` : ''}`,
    fix: `resume with the original configuration (${state.stagesConfigSource}), or pass --force to resume with the new one`,
  })]);
}
