import type { StagesConfig } from '../../loader/stagesSchema.js';
import { InputError, type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';
import { isRunnerName, RUNNER_NAMES, type RunnerName } from '../../loader/runnerNames.js';
import { maxHoursIssue } from './flagValues.js';
import type { Configuration } from '../../loader/loadConfiguration.js';
import type { RunOptionsRecord } from '../../loader/stateFile.js';
import { relative, resolve, sep } from 'node:path';
import { preflight } from '../../loader/preflight.js';
import type { CommandIo } from '../commandIo.js';

/** Options shared by `teambot run` and `teambot resume`. */
export interface RunFlags {
  /** Where the user is: paths on the command line are relative to it. */
  readonly cwd: string;
  /** The project (findProject): configuration, runs and the agents' working directory. */
  readonly projectRoot: string;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  readonly runner?: string | undefined;
  readonly simulate?: string | undefined;
  readonly maxHours?: number | undefined;
  readonly skip: readonly string[];
  readonly sequential: boolean;
  /** false with --no-ui; the live view also needs a terminal and no CI. */
  readonly ui?: boolean | undefined;
  /** Serve the statechart inspector page for this run (--inspect). */
  readonly inspect?: boolean | undefined;
  /** With --inspect: open the inspector page in the default browser (--open). */
  readonly open?: boolean | undefined;
  /** --json: the events as JSON lines on stdout, nothing else there (see runDisplay.ts). */
  readonly json?: boolean | undefined;
  /** --quiet: nothing but errors and one final line. */
  readonly quiet?: boolean | undefined;
}


/**
 * Problems with the command line itself, reported like configuration problems (exit 2).
 *
 * @returns the runner to use, checked
 */
export function checkRunFlags(flags: RunFlags, runnerName: string, stages: StagesConfig): RunnerName {
  const issues: InputIssue[] = [];
  const issue = (rule: string, message: string, fix: string) =>
    issues.push(wholeFileIssue({ file: 'command line', rule, message, fix }));
  if (!isRunnerName(runnerName)) {
    issue('unknown-runner', `--runner ${runnerName} is not a runner`, `use one of ${RUNNER_NAMES.join(', ')}`);
  }
  if (flags.open && !flags.inspect) {
    issue('open-needs-inspect', '--open opens the inspector, which only --inspect serves', 'add --inspect, or leave out --open');
  }
  if (flags.simulate && runnerName !== 'simulated') {
    issue('simulate-needs-simulated-runner', '--simulate only applies to the simulated runner', 'add --runner simulated');
  }
  // The CLI already parsed it strictly (parseMaxHours); this also guards callers that pass a number.
  const maxHours = flags.maxHours === undefined ? undefined : maxHoursIssue(flags.maxHours);
  if (maxHours) issues.push(maxHours);
  for (const stage of flags.skip) {
    const definition = stages.stages[stage];
    if (!definition || !stages.stage_order.includes(stage)) {
      issue('skip-unknown-stage', `--skip ${stage}: no such stage in the workflow`, `stages: ${stages.stage_order.join(', ')}`);
    } else if (!definition.optional) {
      const optional = stages.stage_order.filter((id) => stages.stages[id]?.optional);
      issue('skip-not-optional', `--skip ${stage}: ${stage} is not optional`,
        optional.length > 0 ? `only optional stages can be skipped: ${optional.join(', ')}` : 'this workflow has no optional stages');
    }
  }
  if (issues.length > 0 || !isRunnerName(runnerName)) throw new InputError(issues);
  return runnerName;
}

/**
 * Everything a run is checked for before it takes the lock or starts an agent:
 * the command line (checkRunFlags), then preflight (the agent CLI, the
 * acceptance command, prompt templates). Refuses with every problem at once.
 *
 * @returns the runner to use, checked, and what is only worth a warning (printed once the run is about to start)
 */
export async function checkBeforeRun(
  flags: RunFlags, runnerName: string, configuration: Configuration, context: { projectRoot: string; env: CommandIo['env'] },
): Promise<{ runner: RunnerName; warnings: readonly InputIssue[] }> {
  let runner: RunnerName | undefined;
  const issues: InputIssue[] = [];
  try {
    runner = checkRunFlags(flags, runnerName, configuration.stages);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
  }
  const checked = isRunnerName(runnerName)
    ? await preflight({ configuration, runner: runnerName, projectRoot: context.projectRoot, cwd: flags.cwd, env: context.env, skip: flags.skip })
    : { errors: [], warnings: [] };
  issues.push(...checked.errors);
  if (issues.length > 0 || !runner) throw new InputError(issues);
  return { runner, warnings: checked.warnings };
}

/**
 * What the state records of how a run was started, for resume to repeat: the
 * runner, and the files named on the command line, relative to the project.
 */
export function runOptionsRecord(flags: RunFlags, runner: RunnerName): RunOptionsRecord {
  const fromProject = (path: string | undefined) =>
    path === undefined ? undefined : relative(flags.projectRoot, resolve(flags.cwd, path)).split(sep).join('/');
  const simulate = runner === 'simulated' ? fromProject(flags.simulate) : undefined;
  const config = fromProject(flags.config);
  const stages = fromProject(flags.stages);
  return {
    runner,
    ...(simulate ? { simulate } : {}),
    ...(config ? { config } : {}),
    ...(stages ? { stages } : {}),
    ...(flags.sequential ? { sequential: true } : {}),
  };
}
