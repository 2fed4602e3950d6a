import { relative, resolve } from 'node:path';
import { shownPath } from '../../loader/shownPath.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { InputError, type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';
import { isRunnerName, RUNNER_NAMES, type RunnerName } from '../../loader/runnerNames.js';
import type { RunStatus } from '../../machines/workflow/runContext.js';
import { startRun, type RunOutcome, type RunSessionOptions } from '../../machines/session/runSession.js';
import type { RunSink } from '../../machines/session/runSink.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import type { RunEvent } from '../../machines/session/runEvents.js';
import { lineReporter } from '../text/plainReporter.js';
import { renderRunSummary } from '../text/runSummary.js';
import { initialRunView } from '../run-view/runView.js';
import type { RunView } from '../run-view/runViewModel.js';
import { createViewStore, type ViewStore } from '../run-view/viewStore.js';
import { MAX_DURATION_HOURS } from '../../loader/durationLimits.js';

/** Options shared by `teambot run` and `teambot resume`. */
export interface RunFlags {
  readonly cwd: string;
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
}

export const DEFAULT_MAX_HOURS = 8;

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
  if (flags.simulate && runnerName !== 'simulated') {
    issue('simulate-needs-simulated-runner', '--simulate only applies to the simulated runner', 'add --runner simulated');
  }
  if (flags.maxHours !== undefined && !(flags.maxHours > 0 && flags.maxHours <= MAX_DURATION_HOURS)) {
    issue('invalid-max-hours', `--max-hours must be a positive number of hours, at most ${MAX_DURATION_HOURS} (ten years)`, 'e.g. --max-hours 8');
  }
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
 * Runs a prepared session to its end with the live terminal view when stdout
 * is an interactive terminal, else one plain line per event; Ctrl+C / SIGTERM
 * cancels; at the end the summary says what ran, how long, and where things are.
 */
export async function executeRun(options: Omit<RunSessionOptions, 'sinks'>, display: { ui: boolean; inspect: boolean }, io: CommandIo): Promise<number> {
  // If whoever reads our output goes away (`teambot run … | head`), the run goes on: events.jsonl has it all.
  let stdoutOpen = true;
  io.stdout.on?.('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutOpen = false;
  });
  const write = (line: string) => {
    if (stdoutOpen) io.stdout.write(`${line}\n`);
  };
  const live = display.ui && io.stdout.isTTY === true && !io.env.CI;

  const inspector = display.inspect
    ? await (await import('../inspector/server/liveInspector.js')).startLiveInspector({
      stages: options.configuration.stages, sequential: options.sequential ?? false,
      title: options.objective.title, feature: options.objective.featureName,
    })
    : undefined;
  if (inspector) write(`inspector  ${inspector.url}  (Stately inspection events: ${inspector.webSocketUrl})`);

  // The view starts from the stages completed before this session, known once the session
  // exists: events of its first moments wait for it.
  const early: RunEvent[] = [];
  let store: ViewStore | undefined;
  const viewSink: RunSink = { onEvent: (event) => (store ? store.dispatch(event) : early.push(event)) };
  const sinks: RunSink[] = [viewSink, ...(inspector ? [inspector] : []), ...(live ? [] : [lineReporter(write)])];
  let stopRun: (status: 'cancelled') => void = () => {};
  const handle = startRun({ ...options, sinks, ...(inspector ? { inspect: inspector.inspect } : {}) });
  stopRun = handle.stop;
  inspector?.setCompletedBefore(handle.completedAtStart);
  store = createViewStore(initialRunView({
    stages: options.configuration.stages,
    title: options.objective.title,
    feature: options.objective.featureName,
    runner: options.runnerName,
    startedAt: Date.now(),
    elapsedBefore: options.resume?.elapsedSeconds ?? 0,
    maxSeconds: options.maxSeconds,
    completed: handle.completedAtStart,
  }));
  for (const event of early) store.dispatch(event);

  const screen = live
    ? (await import('../tui/startLiveView.js')).startLiveView(store, {
      cancel: () => stopRun('cancelled'),
      quitNow: () => process.exit(ExitCode.cancelled),
    })
    : undefined;
  const removeSignalHandlers = cancelOnSignals(io, (status) => {
    store?.cancelling();
    stopRun(status);
  });
  const outcome = await handle.done;
  removeSignalHandlers();
  await screen?.close();
  await inspector?.close();
  write(closingLines(store.snapshot().view, outcome, options.cwd, { color: live && !io.env.NO_COLOR, width: io.stdout.columns }));
  return exitCodeFor(outcome.status);
}

/** Ctrl+C or SIGTERM stops the run gracefully; a second Ctrl+C exits at once. */
function cancelOnSignals(io: CommandIo, stop: (status: 'cancelled') => void): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.cancelled);
    interrupted = true;
    io.stderr.write('\ncancelling: stopping agents and saving state (press Ctrl+C again to quit at once)\n');
    stop('cancelled');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}


function closingLines(view: RunView, outcome: RunOutcome, cwd: string, options: { color: boolean; width: number | undefined }): string {
  const resumeCommand = outcome.status === 'complete' ? undefined : `teambot run --resume ${shownPath(cwd, outcome.featureDir)}`;
  return `\n${renderRunSummary(view, {
    width: Math.min(options.width || 100, 120),
    color: options.color,
    paths: {
      artifacts: `${shownPath(cwd, resolve(outcome.featureDir, 'artifacts'))}/`,
      state: shownPath(cwd, outcome.statePath),
      events: shownPath(cwd, outcome.eventsPath),
    },
    ...(resumeCommand ? { resumeCommand } : {}),
  })}`;
}

export function exitCodeFor(status: RunStatus): number {
  if (status === 'complete') return ExitCode.ok;
  if (status === 'cancelled') return ExitCode.cancelled;
  return ExitCode.unsuccessful;
}
