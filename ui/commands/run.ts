import { relative, resolve } from 'node:path';
import { InputError, type InputIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { loadSimulationFile, type Simulation } from '../../loader/simulationFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { AgentRunner } from '../../machines/agentRunner.js';
import type { RunStatus } from '../../machines/runContext.js';
import { startRun, type RunOutcome } from '../../machines/runSession.js';
import { createSimulatedRunner } from '../../machines/simulatedRunner.js';
import { ExitCode } from '../exitCodes.js';
import { formatEventLine } from '../plainReporter.js';

export interface RunOptions {
  readonly cwd: string;
  readonly objective: string;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  readonly runner?: string | undefined;
  readonly simulate?: string | undefined;
  readonly maxHours: number;
  readonly skip: readonly string[];
  readonly sequential: boolean;
}

const RUNNERS = ['copilot', 'command', 'simulated'] as const;

/**
 * `teambot run <objective.md>`: loads and checks every input (exit 2 on any
 * problem, nothing written), runs the workflow, prints one line per event, and
 * exits 0 complete, 1 unsuccessful, 130 cancelled.
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const objectivePath = resolve(options.cwd, options.objective);
  const [configuration, objective] = await Promise.all([
    loadConfiguration({
      cwd: options.cwd,
      ...(options.stages ? { stagesPath: options.stages } : {}),
      ...(options.config ? { configPath: options.config } : {}),
    }),
    loadObjectiveFile(objectivePath),
  ]);
  const runnerName = options.runner ?? configuration.teambot.runner.type;
  checkRunOptions(options, runnerName, configuration.stages);
  const runner = await createRunner(runnerName, options, configuration.stages);

  const write = (line: string) => process.stdout.write(`${line}\n`);
  const handle = startRun({
    configuration,
    objective,
    objectivePath: relative(options.cwd, objectivePath) || objectivePath,
    cwd: options.cwd,
    runner,
    runnerName,
    sequential: options.sequential,
    skip: options.skip,
    maxSeconds: options.maxHours * 3600,
    onEvent: (event) => write(formatEventLine(event)),
  });
  const removeSignalHandlers = cancelOnSignals(handle.stop);
  const outcome = await handle.done;
  removeSignalHandlers();
  write(closingLines(outcome, options.cwd));
  return exitCodeFor(outcome.status);
}

/** Problems with the command line itself, reported like configuration problems (exit 2). */
function checkRunOptions(options: RunOptions, runnerName: string, stages: StagesConfig): void {
  const issues: InputIssue[] = [];
  const issue = (rule: string, message: string, fix: string) =>
    issues.push({ file: 'command line', line: 0, column: 0, rule, message, fix });
  if (!(RUNNERS as readonly string[]).includes(runnerName)) {
    issue('unknown-runner', `--runner ${runnerName} is not a runner`, `use one of ${RUNNERS.join(', ')}`);
  }
  if (options.simulate && runnerName !== 'simulated') {
    issue('simulate-needs-simulated-runner', '--simulate only applies to the simulated runner', 'add --runner simulated');
  }
  if (!(options.maxHours > 0)) issue('invalid-max-hours', '--max-hours must be a positive number of hours', 'e.g. --max-hours 8');
  for (const stage of options.skip) {
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

async function createRunner(name: string, options: RunOptions, stages: StagesConfig): Promise<AgentRunner> {
  if (name === 'simulated') {
    const simulation: Simulation = options.simulate
      ? await loadSimulationFile(resolve(options.cwd, options.simulate), { stages })
      : { default_ms: 200, stages: {} };
    return createSimulatedRunner(simulation);
  }
  throw new InputError([{
    file: 'command line', line: 0, column: 0, rule: 'runner-unavailable',
    message: `the ${name} runner is not available in this version of teambot yet`,
    fix: 'run with --runner simulated (simulated agents) for now',
  }]);
}

/** Ctrl+C or SIGTERM stops the run gracefully; a second Ctrl+C exits at once. */
function cancelOnSignals(stop: (status: 'cancelled') => void): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.cancelled);
    interrupted = true;
    process.stderr.write('\ncancelling: stopping agents (press Ctrl+C again to quit at once)\n');
    stop('cancelled');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function closingLines(outcome: RunOutcome, cwd: string): string {
  const shown = (path: string) => relative(cwd, path) || path;
  const verdict = outcome.status === 'complete'
    ? '✓ run complete'
    : `✗ run ended: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}`;
  return [
    '',
    verdict,
    `  artifacts  ${shown(resolve(outcome.featureDir, 'artifacts'))}/`,
    `  events     ${shown(outcome.eventsPath)}`,
  ].join('\n');
}

export function exitCodeFor(status: RunStatus): number {
  if (status === 'complete') return ExitCode.ok;
  if (status === 'cancelled') return ExitCode.cancelled;
  return ExitCode.unsuccessful;
}
