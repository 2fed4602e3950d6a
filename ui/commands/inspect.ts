import { dirname, join, resolve } from 'node:path';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import { compileWorkflow } from '../../machines/workflow/compileWorkflow.js';
import { withTransitionLabels } from '../graph/graphLabels.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { openInBrowser } from '../inspector/openInBrowser.js';
import { statechartGraph } from '../../machines/workflow/statechartGraph.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { startInspectorServer } from '../inspector/server/inspectorServer.js';
import { recordedEventJson, scanRecordedRun, stagesDoneBeforeLog } from '../inspector/server/recordedRun.js';
import { locateStateFile } from '../../machines/persistence/stateLocation.js';
import { stagesByGroup } from '../../loader/parallelGroups.js';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';

export interface InspectOptions {
  readonly cwd: string;
  readonly projectRoot: string;
  readonly target?: string | undefined;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  /** As typed after --port: checked here, so a wrong one is reported like any other input problem. */
  readonly port?: string | undefined;
  /** Open the page in the default browser. */
  readonly open?: boolean | undefined;
}

/**
 * `teambot inspect`: serves the inspector page for a finished or interrupted
 * run from its state file and events.jsonl, with a time slider that replays
 * it, until Ctrl+C.
 */
export async function inspectCommand(options: InspectOptions, io: CommandIo): Promise<number> {
  const port = options.port === undefined ? undefined : checkPort(options.port);
  const configuration = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stages, configPath: options.config });
  const { stages } = configuration;
  const statePath = await locateStateFile({ cwd: options.cwd, projectRoot: options.projectRoot, teambotDir: configuration.teambot.teambot_dir, target: options.target });
  const state = await readStateFile(statePath, stages);
  const eventsPath = join(dirname(statePath), 'events.jsonl');
  // Read a line at a time, and again for each page that loads the events: the log may be larger than memory allows.
  const log = await scanRecordedRun(eventsPath);
  const groups = stagesByGroup(stages);
  const title = await objectiveTitle(resolve(options.projectRoot, state.objectiveFile), state.featureName);
  const server = await listenOn(port, () => startInspectorServer({
    graph: withTransitionLabels(statechartGraph(compileWorkflow(stages))),
    run: () => ({
      mode: 'replay', feature: state.featureName, title, stage_order: stages.stage_order, groups,
      status: state.status, completed_before: stagesDoneBeforeLog(log, Object.keys(state.completed), stages.stage_order),
    }),
    events: () => recordedEventJson(eventsPath),
  }, port === undefined ? {} : { port }));
  const sessions = log.sessions === 1 ? '1 session' : `${log.sessions} sessions`;
  io.stdout.write(`inspector  ${server.url}  (${log.eventCount} events in ${sessions} of ${state.featureName}; Ctrl+C to stop)\n`);
  if (options.open) {
    const opened = await openInBrowser(server.url, { env: io.env });
    io.stdout.write(opened.opened
      ? `opened it in your browser (${opened.program})\n`
      : `could not open a browser (${opened.reason}): open ${server.url} in your browser\n`);
  } else {
    io.stdout.write(`open ${server.url} in your browser (--open does it for you)\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Destroys open connections: a page left open, or a request never finished, does not hold the exit.
  await server.close();
  return ExitCode.ok;
}

/**
 * The objective's title, read again from its file when it is still there and
 * still the objective of this feature; otherwise the feature's name.
 */
async function objectiveTitle(objectivePath: string, featureName: string): Promise<string> {
  try {
    const objective = await loadObjectiveFile(objectivePath);
    return objective.featureName === featureName && objective.title.trim() !== '' ? objective.title : featureName;
  } catch {
    return featureName;
  }
}

/** A TCP port number, 1–65535, written in decimal, or an InputError about the command line. */
function checkPort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new InputError([wholeFileIssue({
    file: 'command line', rule: 'invalid-port', message: `--port ${text}: not a port number (1–65535)`,
    fix: 'give a whole number from 1 to 65535, e.g. --port 8080, or leave --port out to use a free port',
  })]);
}

/** Starts the server, turning a port that cannot be listened on into an InputError about the command line. */
async function listenOn<T>(port: number | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (port === undefined || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw error;
    throw new InputError([wholeFileIssue(code === 'EADDRINUSE'
      ? {
        file: 'command line', rule: 'port-in-use', message: `--port ${port}: the port is in use`,
        fix: 'stop what listens on it, choose another port, or leave --port out to use a free one',
      }
      : {
        file: 'command line', rule: 'port-not-permitted', message: `--port ${port}: not allowed to listen on this port`,
        fix: 'choose a port above 1023, or leave --port out to use a free one',
      })]);
  }
}
