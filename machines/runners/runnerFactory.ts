import { resolve } from 'node:path';
import type { Configuration } from '../../loader/loadConfiguration.js';
import { loadSimulationFile, type Simulation } from '../../loader/simulationFile.js';
import type { RunnerName } from '../../loader/runnerNames.js';
import { withAcceptanceCommand } from '../acceptance/acceptanceRunner.js';
import type { AgentRunner } from './agentRunner.js';
import { createCommandRunner } from './commandRunner.js';
import { createCopilotRunner } from './copilotRunner.js';
import { createSimulatedRunner } from './simulatedRunner.js';
import { withTransientRetries } from './transientRetry.js';

/** What teambot.json's runner settings default to (its schema documents the same numbers). */
export const RUNNER_DEFAULTS = {
  /** A stage fails when its agent prints nothing for this long. */
  idleTimeoutMinutes: 30,
  /** Retries of a failure the runner classifies as transient (rate limit, network). */
  maxRetries: 2,
  /** The wait before the first retry; each further retry doubles it. */
  retryDelaySeconds: 5,
  /** Each simulated agent call, without a simulation file. */
  simulatedCallMs: 200,
} as const;

export interface RunnerOptions {
  readonly configuration: Configuration;
  /** The run's feature directory (session ids, prompt files). */
  readonly featureDir: string;
  /** Where relative paths on the command line are resolved. */
  readonly cwd: string;
  /** The simulated runner's script (--simulate), relative to cwd. */
  readonly simulationFile?: string | undefined;
  /** The environment agents inherit and `${NAME}` placeholders read (the command's, .env included); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The runner a run uses, once preflight (loader/preflight.ts) has checked that
 * its agent CLI is installed. Real agents (copilot, command) get transient-failure
 * retries and acceptance results decided by teambot running the stage's
 * acceptance_test_command; the simulation answers for itself.
 */
export async function createRunner(name: RunnerName, options: RunnerOptions): Promise<AgentRunner> {
  const { configuration, featureDir } = options;
  const { stages, teambot } = configuration;
  if (name === 'simulated') {
    const simulation: Simulation = options.simulationFile
      ? await loadSimulationFile(resolve(options.cwd, options.simulationFile), { stages })
      : { default_ms: RUNNER_DEFAULTS.simulatedCallMs, stages: {} };
    return createSimulatedRunner(simulation);
  }
  const settings = teambot.runner;
  const common = {
    stages, featureDir, env: options.env,
    idleTimeoutMs: (settings.idle_timeout_minutes ?? RUNNER_DEFAULTS.idleTimeoutMinutes) * 60_000,
  };
  let runner: AgentRunner;
  if (name === 'command') {
    // preflight refuses a command runner without argv before any runner is made.
    if (!settings.argv) throw new Error('createRunner: a command runner needs runner.argv (preflight checks it)');
    runner = createCommandRunner({ ...common, argv: settings.argv });
  } else {
    runner = createCopilotRunner({ ...common, executable: settings.executable });
  }
  const retrying = withTransientRetries(runner, {
    retries: settings.max_retries ?? RUNNER_DEFAULTS.maxRetries,
    baseDelayMs: (settings.retry_delay_seconds ?? RUNNER_DEFAULTS.retryDelaySeconds) * 1000,
  });
  return withAcceptanceCommand(retrying, { stages, env: options.env });
}
