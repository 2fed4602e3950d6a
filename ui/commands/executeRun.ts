import type { RunStatus } from '../../machines/workflow/runContext.js';
import { startRun, type RunSessionOptions } from '../../machines/session/runSession.js';
import type { RunSink } from '../../machines/session/runSink.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import type { RunEvent } from '../../machines/session/runEvents.js';
import { initialRunView, stoppingAgentsText } from '../run-view/runView.js';
import { killAllAgentTreesNow, liveAgentTrees, onAgentTreesChange } from '../../machines/runners/process/agentTrees.js';
import { createViewStore, type ViewStore } from '../run-view/viewStore.js';
import { closingLines } from './closingSummary.js';
import { chooseDisplay, eventReporters, runTextOutput } from './runOutput.js';
import { createOutputLineCounts } from '../tui/outputLineCounts.js';
import { stageOutputPath } from '../../machines/runners/process/stageOutputFile.js';
import { shownPath } from '../../loader/shownPath.js';
import { createNotifiers } from '../../machines/notify/notifiers.js';
import { terminalLine } from '../text/terminalText.js';

/** Set to 1, the inspector's WebSocket also accepts the Stately inspector's page (https://stately.ai). */
const ALLOW_STATELY_VARIABLE = 'TEAMBOT_INSPECT_ALLOW_STATELY';

/**
 * Runs a prepared session to its end with the live terminal view when stdout
 * is an interactive terminal, else one plain line per event; Ctrl+C / SIGTERM
 * cancels (agents get SIGTERM, then SIGKILL after a grace), a second Ctrl+C
 * SIGKILLs every agent tree and exits; at the end the summary says what ran,
 * how long, and where things are.
 */
export async function executeRun(
  options: Omit<RunSessionOptions, 'sinks'>,
  display: { ui: boolean; inspect: boolean; open?: boolean; json?: boolean | undefined; quiet?: boolean | undefined; /** Where the user is: the summary's paths are relative to it. */ cwd: string },
  io: CommandIo,
): Promise<number> {
  // If whoever reads our output goes away (`teambot run … | head`), the run goes on: events.jsonl has it all.
  let stdoutOpen = true;
  io.stdout.on?.('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutOpen = false;
  });
  const write = (line: string) => {
    if (stdoutOpen) io.stdout.write(`${line}\n`);
  };
  const shown = chooseDisplay({ ui: display.ui, json: display.json === true, quiet: display.quiet === true, stdoutIsTty: io.stdout.isTTY === true, env: io.env });
  const live = shown === 'live';
  const text = runTextOutput(shown, { stdout: write, stderr: (line) => io.stderr.write(`${line}\n`) });

  const inspector = display.inspect
    ? await (await import('../inspector/server/liveInspector.js')).startLiveInspector({
      stages: options.configuration.stages, sequential: options.sequential ?? false,
      title: options.objective.title, feature: options.objective.featureName,
      allowStately: io.env[ALLOW_STATELY_VARIABLE] === '1',
    })
    : undefined;
  if (inspector) text.note(`inspector  ${inspector.url}  (Stately inspection events: ${inspector.webSocketUrl}${io.env[ALLOW_STATELY_VARIABLE] === '1' ? ', https://stately.ai allowed' : ''})`);
  if (inspector && display.open) {
    const opened = await (await import('../inspector/openInBrowser.js')).openInBrowser(inspector.url, { env: io.env });
    if (!opened.opened) text.note(`could not open a browser (${opened.reason}): open the inspector address above`);
  }

  // The view starts from the stages completed before this session, known once the session
  // exists: events of its first moments wait for it.
  const early: RunEvent[] = [];
  let store: ViewStore | undefined;
  // The view keeps each stage's last lines; the live view also says how many came before them.
  const outputCounts = createOutputLineCounts();
  const viewSink: RunSink = {
    onEvent: (event) => {
      outputCounts.count(event);
      if (store) store.dispatch(event);
      else early.push(event);
    },
  };
  // Notifications go out in the background; the run's end waits for them a few seconds at most.
  const notifiers = createNotifiers(options.configuration.teambot.notifications, { env: io.env, objectiveName: options.objective.title, cwd: display.cwd });
  const sinks: RunSink[] = [viewSink, ...(inspector ? [inspector] : []), ...notifiers.sinks, ...eventReporters(shown, { stdout: write, stderr: (line) => io.stderr.write(`${line}\n`) }, { cwd: display.cwd, invocation: io.invocation, maxSeconds: options.maxSeconds })];
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

  // While cancelling, the view counts the agents still being stopped.
  const stopCountingAgents = onAgentTreesChange((trees) => store?.stoppingAgents(trees.length));
  const cancel = () => {
    stopRun('cancelled');
    store?.stoppingAgents(liveAgentTrees().length);
  };
  const screen = live
    ? await (await import('../tui/startLiveView.js')).startLiveView(store, { cancel, quitNow }, {
      outputCounts,
      inspectorUrl: inspector?.url,
      outputFile: (stage) => shownPath(display.cwd, stageOutputPath(handle.featureDir, stage)),
      env: io.env,
    })
    : undefined;
  const removeSignalHandlers = cancelOnSignals(io, () => {
    store?.cancelling();
    cancel();
  });
  const outcome = await handle.done;
  stopCountingAgents();
  removeSignalHandlers();
  await screen?.close();
  await inspector?.close();
  text.closing(closingLines(store.snapshot().view, outcome, display.cwd, { color: live && !io.env.NO_COLOR, width: io.stdout.columns, invocation: io.invocation }));
  if (outcome.writeFailure) io.stderr.write(`teambot: ${outcome.writeFailure}\n`);
  for (const line of notifiers.report()) io.stderr.write(`${line.startsWith(' ') ? '' : 'teambot: '}${terminalLine(line)}\n`);
  return exitCodeFor(outcome.status);
}

/**
 * Ctrl+C or SIGTERM stops the run gracefully; a second Ctrl+C quits at once
 * (quitNow). The plain output says what the stop waits for, as the live view does.
 */
function cancelOnSignals(io: CommandIo, cancel: () => void): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) quitNow();
    interrupted = true;
    io.stderr.write(`\ncancelling: ${stoppingAgentsText(liveAgentTrees().length)}\n`);
    cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Quits at once: SIGKILL to every agent tree, waiting (briefly) until they
 * are gone so that no agent outlives the run lock, then exit 130.
 */
function quitNow(): never {
  killAllAgentTreesNow();
  process.exit(ExitCode.cancelled);
}

export function exitCodeFor(status: RunStatus): number {
  if (status === 'complete') return ExitCode.ok;
  if (status === 'cancelled') return ExitCode.cancelled;
  return ExitCode.unsuccessful;
}
