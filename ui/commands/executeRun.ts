import { relative, resolve } from 'node:path';
import which from 'which';
import { shownPath } from '../../loader/shownPath.js';
import type { Configuration } from '../../loader/loadConfiguration.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { withAcceptanceCommand } from '../../machines/acceptance/acceptanceRunner.js';
import { createCommandRunner } from '../../machines/runners/commandRunner.js';
import { createCopilotRunner } from '../../machines/runners/copilotRunner.js';
import { withTransientRetries } from '../../machines/runners/transientRetry.js';
import { InputError, type InputIssue } from '../../loader/inputIssue.js';
import { loadSimulationFile, type Simulation } from '../../loader/simulationFile.js';
import type { AgentRunner } from '../../machines/runners/agentRunner.js';
import type { RunStatus } from '../../machines/workflow/runContext.js';
import { startRun, type RunOutcome, type RunSessionOptions } from '../../machines/session/runSession.js';
import { createSimulatedRunner } from '../../machines/runners/simulatedRunner.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import type { RunEvent } from '../../machines/session/runEvents.js';
import { formatEventLine } from '../text/plainReporter.js';
import { renderRunSummary } from '../text/runSummary.js';
import { initialRunView } from '../run-view/runView.js';
import type { RunView } from '../run-view/runViewModel.js';
import { createViewStore, type ViewStore } from '../run-view/viewStore.js';

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

const RUNNERS = ['copilot', 'command', 'simulated'] as const;
export const DEFAULT_MAX_HOURS = 8;

/** Problems with the command line itself, reported like configuration problems (exit 2). */
export function checkRunFlags(flags: RunFlags, runnerName: string, stages: StagesConfig): void {
  const issues: InputIssue[] = [];
  const issue = (rule: string, message: string, fix: string) =>
    issues.push({ file: 'command line', line: 0, column: 0, rule, message, fix });
  if (!(RUNNERS as readonly string[]).includes(runnerName)) {
    issue('unknown-runner', `--runner ${runnerName} is not a runner`, `use one of ${RUNNERS.join(', ')}`);
  }
  if (flags.simulate && runnerName !== 'simulated') {
    issue('simulate-needs-simulated-runner', '--simulate only applies to the simulated runner', 'add --runner simulated');
  }
  if (flags.maxHours !== undefined && !(flags.maxHours > 0)) {
    issue('invalid-max-hours', '--max-hours must be a positive number of hours', 'e.g. --max-hours 8');
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
  if (issues.length > 0) throw new InputError(issues);
}

/**
 * The runner a run uses. Real agents (copilot, command) get transient-failure
 * retries and acceptance results decided by teambot running the stage's
 * acceptance_test_command; the simulation answers for itself.
 */
export async function createRunner(name: string, flags: RunFlags, configuration: Configuration, featureDir: string): Promise<AgentRunner> {
  const { stages, teambot } = configuration;
  if (name === 'simulated') {
    const simulation: Simulation = flags.simulate
      ? await loadSimulationFile(resolve(flags.cwd, flags.simulate), { stages })
      : { default_ms: 200, stages: {} };
    return createSimulatedRunner(simulation);
  }
  const settings = teambot.runner;
  const common = {
    stages, featureDir,
    idleTimeoutMs: (settings.idle_timeout_minutes ?? 30) * 60_000,
  };
  const executable = name === 'command' ? settings.argv?.[0] : settings.executable ?? 'copilot';
  if (executable && !(await which(executable, { nothrow: true }))) {
    throw new InputError([{
      file: 'command line', line: 0, column: 0, rule: 'agent-cli-missing',
      message: `${executable} is not installed or not on PATH`,
      fix: name === 'command'
        ? 'install that agent CLI, or fix runner.argv in teambot.json'
        : 'install the GitHub Copilot CLI: `npm install -g @github/copilot`, then run `copilot` once to log in (or try --runner simulated)',
    }]);
  }
  let runner: AgentRunner;
  if (name === 'command') {
    if (!settings.argv) {
      throw new InputError([{
        file: teambot.source, line: 0, column: 0, rule: 'missing-field',
        message: '--runner command needs "runner": { "argv": [...] } in teambot.json',
        fix: 'add e.g. "runner": { "type": "command", "argv": ["claude", "-p", "{prompt}"] }',
      }]);
    }
    runner = createCommandRunner({ ...common, argv: settings.argv });
  } else {
    runner = createCopilotRunner({ ...common, executable: settings.executable });
  }
  const retrying = withTransientRetries(runner, {
    retries: settings.max_retries ?? 2,
    baseDelayMs: (settings.retry_delay_seconds ?? 5) * 1000,
  });
  return withAcceptanceCommand(retrying, { stages });
}

/**
 * Runs a prepared session to its end with the live terminal view when stdout
 * is an interactive terminal, else one plain line per event; Ctrl+C / SIGTERM
 * cancels; at the end the summary says what ran, how long, and where things are.
 */
export async function executeRun(options: Omit<RunSessionOptions, 'onEvent'>, display: { ui: boolean; inspect: boolean }, io: CommandIo): Promise<number> {
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

  // Events from the session's first moments arrive before the view exists: keep them until it does.
  const early: RunEvent[] = [];
  let store: ViewStore | undefined;
  const onEvent = (event: RunEvent) => {
    if (store) store.dispatch(event);
    else early.push(event);
    inspector?.onEvent(event);
    if (!live) write(formatEventLine(event));
  };
  let stopRun: (status: 'cancelled') => void = () => {};
  const handle = startRun({ ...options, onEvent, ...(inspector ? { inspect: inspector.inspect } : {}) });
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
