import { dirname, join } from 'node:path';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import { compileWorkflow } from '../../machines/workflow/compileWorkflow.js';
import { readEventLog } from '../../machines/persistence/eventLog.js';
import { stageOf, type RunEvent } from '../../machines/session/runEvents.js';
import { withTransitionLabels } from '../graph/graphLabels.js';
import { statechartGraph } from '../../machines/workflow/statechartGraph.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { startInspectorServer } from '../inspector/server/inspectorServer.js';
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
}

/**
 * `teambot inspect`: serves the inspector page for a finished or interrupted
 * run from its state file and events.jsonl, with a time slider that replays
 * it, until Ctrl+C.
 */
export async function inspectCommand(options: InspectOptions, io: CommandIo): Promise<number> {
  const port = options.port === undefined ? undefined : checkPort(options.port);
  const configuration = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, stagesPath: options.stages, configPath: options.config });
  const { stages } = configuration;
  const statePath = await locateStateFile({ cwd: options.cwd, projectRoot: options.projectRoot, teambotDir: configuration.teambot.teambot_dir, target: options.target });
  const state = await readStateFile(statePath, stages);
  const eventsPath = join(dirname(statePath), 'events.jsonl');
  const events = readEventLog(eventsPath);
  const groups = stagesByGroup(stages);
  const server = await listenOn(port, () => startInspectorServer({
    graph: withTransitionLabels(statechartGraph(compileWorkflow(stages))),
    run: () => ({
      mode: 'replay', feature: state.featureName, title: state.featureName, stage_order: stages.stage_order, groups,
      status: state.status, completed_before: completedBefore(Object.keys(state.completed), events),
    }),
    events: () => events,
  }, port === undefined ? {} : { port }));
  io.stdout.write(`inspector  ${server.url}  (${events.length} events of ${state.featureName}; Ctrl+C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return ExitCode.ok;
}

/** Completed stages the last session's events do not mention: an earlier session did them. */
function completedBefore(completed: readonly string[], events: readonly RunEvent[]): string[] {
  const lastStart = events.map((event) => event.type).lastIndexOf('run.started');
  const mentioned = new Set(events.slice(Math.max(0, lastStart)).map(stageOf));
  return completed.filter((stage) => !mentioned.has(stage));
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
