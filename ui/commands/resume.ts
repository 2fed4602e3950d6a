import { dirname, resolve } from 'node:path';
import { InputError, type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration, type Configuration } from '../../loader/loadConfiguration.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { withProjectAcceptanceCommands } from '../../loader/projectAcceptanceCommands.js';
import { readStateFile } from '../../loader/readStateFile.js';
import type { LoadedRunState } from '../../loader/stateFile.js';
import { describeStagesChanges, stagesFingerprint, stagesHash } from '../../loader/stagesFingerprint.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { planResume } from '../../machines/session/resumePlan.js';
import { acquireRunLock } from '../../machines/persistence/runLock.js';
import { createFeatureDirectory } from '../../machines/persistence/featureDirectory.js';
import { shownPath } from '../../loader/shownPath.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { locateStateFile } from '../../machines/persistence/stateLocation.js';
import { createRunner } from '../../machines/runners/runnerFactory.js';
import { printedCommand } from '../text/invocation.js';
import { renderWarnings } from '../text/reportIssues.js';
import { styleFor } from '../text/terminalStyle.js';
import { terminalLine, terminalText } from '../text/terminalText.js';
import { resumeCommandLine } from '../text/resumeCommand.js';
import { formatDuration } from '../text/duration.js';
import { executeRun } from './executeRun.js';
import { checkBeforeRun, runOptionsRecord, type RunFlags } from './runFlags.js';

export interface ResumeOptions extends RunFlags {
  /** A state file, a feature directory, a feature name or the run's objective; default: the most recently updated run. */
  readonly target?: string | undefined;
  /** Overrides the objective path recorded in the state file. */
  readonly objective?: string | undefined;
  /** Also re-run this completed stage and everything after it. */
  readonly rerun?: string | undefined;
  /** Resume even though the stages configuration changed (stages it lacks are dropped). */
  readonly force: boolean;
}

/**
 * `teambot run --resume` / `teambot resume`: restores a run from its state file
 * (ours or TeamBot's) and re-runs only what is not complete, after printing
 * the plan, the way it was started (runner, simulation, configuration: the
 * state records them). Everything is checked before the lock is taken and any
 * agent starts. A complete run says so and runs nothing.
 */
export async function resumeCommand(options: ResumeOptions, io: CommandIo): Promise<number> {
  const invocation = io.invocation ?? 'teambot';
  const located = await loadConfiguration(configurationRequest(options, io.env));
  const runsDirectory = resolve(options.projectRoot, located.teambot.teambot_dir);
  const statePath = await locateStateFile({ cwd: options.cwd, projectRoot: options.projectRoot, teambotDir: located.teambot.teambot_dir, target: options.target });
  const featureDir = dirname(statePath);
  // Read leniently first, for how the run was started (which may name another configuration).
  const first = await readStateFile(statePath, located.stages, { dropUnknownStages: true });
  const recorded = first.runOptions;
  // The state says how the run was started; what the command line says wins.
  const flags: ResumeOptions = {
    ...options,
    runner: options.runner ?? recorded?.runner,
    simulate: options.simulate ?? (options.runner === undefined || options.runner === 'simulated' ? fromProject(options, recorded?.simulate) : undefined),
    config: options.config ?? fromProject(options, recorded?.config),
    stages: options.stages ?? fromProject(options, recorded?.stages),
    sequential: options.sequential || recorded?.sequential === true,
  };
  const configuration = flags.config === options.config && flags.stages === options.stages
    ? located
    : await loadConfiguration(configurationRequest(flags, io.env));
  const { stages } = configuration;

  const state = configuration === located && (options.force || first.droppedStages === undefined)
    ? first
    : await readStateFile(statePath, stages, { dropUnknownStages: options.force });
  const target = {
    featureDir, featureName: state.featureName, cwd: options.cwd, runsDirectory,
    status: state.status, elapsedSeconds: state.elapsedSeconds, maxSeconds: state.maxSeconds,
  };
  if (state.status === 'complete' && options.rerun === undefined) {
    (options.json ? io.stderr : io.stdout).write(`✓ ${terminalLine(state.featureName)} is already complete (${terminalLine(shownPath(options.cwd, featureDir))}); nothing to run.\n`
      + `  to run stages again: ${printedCommand(invocation, ['resume', state.featureName, '--rerun'])} <STAGE>\n`);
    return ExitCode.ok;
  }
  const changed = checkConfigurationUnchanged(state, stages, options.force, resumeCommandLine({ ...target, configurationChanged: true }, invocation));
  const issues = resumeFlagIssues(flags, state, stages, resumeCommandLine(target, invocation));
  const objectivePath = resolve(options.cwd, options.objective ?? resolve(options.projectRoot, state.objectiveFile));
  const [objective, checked] = await Promise.all([
    loadObjectiveFile(objectivePath),
    checkBeforeRun(flags, flags.runner ?? configuration.teambot.runner.type, configuration, { projectRoot: options.projectRoot, env: io.env })
      .catch((error: unknown) => {
        if (!(error instanceof InputError)) throw error;
        issues.push(...error.issues);
        return undefined;
      }),
  ]);
  if (issues.length > 0 || !checked) throw new InputError(issues);
  // TeamBot's stages.yaml names no acceptance command: the project's test command stands in (preflight said so).
  const runConfiguration = { ...configuration, stages: await withProjectAcceptanceCommands(stages, options.projectRoot) };
  const runner = await createRunner(checked.runner, { configuration: runConfiguration, featureDir, cwd: options.cwd, env: io.env, simulationFile: flags.simulate });

  const lock = acquireRunLock(featureDir);
  try {
    // Read again under the lock: the run may have moved on since (it was running until just now).
    const current = await readStateFile(statePath, stages, { dropUnknownStages: options.force });
    createFeatureDirectory(featureDir, options.cwd);
    const plan = planResume(current, stages, { ...(options.rerun ? { rerun: options.rerun } : {}), configurationChanged: changed });
    const warnings: InputIssue[] = [...checked.warnings, ...droppedStagesWarning(current)];
    if (warnings.length > 0 && !options.quiet) io.stderr.write(renderWarnings(warnings, invocation, styleFor(io.stderr, io.env)));
    // stdout is the events' alone with --json; --quiet prints no plan.
    if (!options.quiet) (options.json ? io.stderr : io.stdout).write(terminalText(`resuming ${current.featureName} from ${shownPath(options.cwd, statePath)}\n${plan.lines.map((line) => `  ${line}\n`).join('')}`));
    return await executeRun({
      configuration: runConfiguration, objective, objectivePath: shownPath(options.projectRoot, objectivePath), cwd: options.projectRoot,
      runner, runnerName: checked.runner, runOptions: runOptionsRecord(flags, checked.runner), sequential: flags.sequential, skip: options.skip,
      maxSeconds: options.maxHours !== undefined ? options.maxHours * 3600 : current.maxSeconds,
      resume: plan.point, featureDir, lock,
    }, { ui: options.ui !== false, inspect: options.inspect === true, open: options.open === true, json: options.json, quiet: options.quiet, cwd: options.cwd }, io);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function configurationRequest(flags: RunFlags, env: CommandIo['env']) {
  return { cwd: flags.cwd, projectRoot: flags.projectRoot, env, stagesPath: flags.stages, configPath: flags.config };
}

/** A path the state records relative to the project, as a path relative to where the user is. */
function fromProject(options: RunFlags, path: string | undefined): string | undefined {
  return path === undefined ? undefined : shownPath(options.cwd, resolve(options.projectRoot, path));
}

/** --rerun naming no stage; a time limit already used up, which would stop the resumed run at once. */
function resumeFlagIssues(flags: ResumeOptions, state: LoadedRunState, stages: StagesConfig, withMoreTime: string): InputIssue[] {
  const issues: InputIssue[] = [];
  if (flags.rerun !== undefined && !stages.stage_order.includes(flags.rerun)) {
    issues.push(wholeFileIssue({
      file: 'command line', rule: 'rerun-unknown-stage',
      message: `--rerun ${flags.rerun}: no such stage in the workflow`, fix: `stages: ${stages.stage_order.join(', ')}`,
    }));
  }
  if (flags.maxHours === undefined && state.elapsedSeconds >= state.maxSeconds) {
    issues.push(wholeFileIssue({
      file: shownPath(flags.cwd, state.path), rule: 'time-limit-reached',
      message: `this run has used its whole time limit (${formatDuration(state.maxSeconds * 1000)}); resumed as it is, it would stop at once`,
      fix: `give it a new total limit: \`${withMoreTime}\``,
    }));
  }
  return issues;
}

/**
 * Refuses (unless --force) to resume with a stages configuration other than the
 * one the run was made with, saying what changed. Legacy files record no hash.
 *
 * @returns whether the configuration changed (resume then re-plans from completed stages)
 */
function checkConfigurationUnchanged(state: LoadedRunState, stages: StagesConfig, force: boolean, forced: string): boolean {
  if (state.stagesConfigHash === undefined || state.stagesConfigHash === stagesHash(stages)) return false;
  if (force) return true;
  const changes = state.stagesConfigFingerprint
    ? describeStagesChanges(state.stagesConfigFingerprint, stagesFingerprint(stages))
    : [];
  throw new InputError([wholeFileIssue({
    file: state.path, rule: 'stages-changed',
    message: `the stages configuration changed since this run was saved${changes.length > 0 ? `: ${changes.join(', ')}` : ''}`,
    fix: `resume with the original configuration (${state.stagesConfigSource}), or with the new one: \`${forced}\``,
  })]);
}

/** With --force, stages the state records but the configuration lacks are left out: say which. */
function droppedStagesWarning(state: LoadedRunState): InputIssue[] {
  const dropped = state.droppedStages ?? [];
  if (dropped.length === 0) return [];
  return [wholeFileIssue({
    file: state.path, rule: 'state-stages-dropped',
    message: `the state records ${dropped.length === 1 ? 'a stage' : 'stages'} this workflow does not have: ${dropped.join(', ')}; left out (--force)`,
    fix: 'nothing to do if they were removed or renamed on purpose; otherwise resume with the stages.yaml the run was made with (--stages)',
  })];
}
