import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createActor } from 'xstate';
import type { Configuration } from '../loader/loadConfiguration.js';
import type { Objective } from '../loader/objective.js';
import type { AgentRunner } from './agentRunner.js';
import { compileWorkflow } from './compileWorkflow.js';
import { openEventLog, type LogEvent } from './eventLog.js';
import type { RunContext, RunStatus } from './runContext.js';
import { createStageActor } from './stageActor.js';
import type { WorkflowEmitted } from './workflowSetup.js';

export interface RunSessionOptions {
  readonly configuration: Configuration;
  readonly objective: Objective;
  readonly objectivePath: string;
  /** The user's project root: agents work here and `teambot_dir` is relative to it. */
  readonly cwd: string;
  readonly runner: AgentRunner;
  readonly runnerName: string;
  readonly sequential?: boolean;
  readonly skip?: readonly string[];
  /** The run's time limit; the run stops with status `timeout` when it is reached. */
  readonly maxSeconds?: number;
  /** Milliseconds since the epoch; injected by tests. */
  readonly now?: () => number;
  /** Every event, as logged. */
  readonly onEvent?: (event: LogEvent) => void;
  /** Every line an agent prints. */
  readonly onOutput?: (stage: string, line: string) => void;
}

export interface RunOutcome {
  readonly status: RunStatus;
  readonly error: string | null;
  readonly failedStages: readonly string[];
  readonly featureDir: string;
  readonly eventsPath: string;
  readonly durationMs: number;
  readonly context: RunContext;
}

export interface RunHandle {
  readonly featureDir: string;
  /** Settles once the run has ended, however it ended. */
  readonly done: Promise<RunOutcome>;
  /** Stops the run: agents are aborted and the outcome says `cancelled` (or `timeout`). */
  stop(status: 'cancelled' | 'timeout'): void;
}

/**
 * Starts a workflow run: compiles the configuration, provides the stage actor
 * with the runner, starts the actor, and turns the machine's emitted events
 * into timestamped events.jsonl lines (adding stage durations). The time limit
 * is an external timer that stops the actor, so it holds while stages run.
 */
export function startRun(options: RunSessionOptions): RunHandle {
  const now = options.now ?? Date.now;
  const { stages, teambot } = options.configuration;
  const featureDir = resolve(options.cwd, teambot.teambot_dir, options.objective.featureName);
  const artifactsDir = join(featureDir, 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  const eventLog = openEventLog(join(featureDir, 'events.jsonl'));
  const startedAt = now();
  const stageStartedAt = new Map<string, number>();

  const record = (event: Omit<LogEvent, 'ts'>) => {
    const logged = { ts: new Date(now()).toISOString(), ...event } as LogEvent;
    eventLog.append(logged);
    options.onEvent?.(logged);
  };

  const stageAgent = createStageActor({
    runner: options.runner,
    stages,
    team: teambot,
    objective: options.objective,
    cwd: options.cwd,
    artifactsDir,
    onOutput: (stage, line) => options.onOutput?.(stage, line),
  });
  const machine = compileWorkflow(stages, { sequential: options.sequential ?? false }).provide({ actors: { stageAgent } });
  const actor = createActor(machine, { input: { skip: options.skip ?? [] } });

  actor.on('*', (emitted) => {
    const event = emitted as WorkflowEmitted;
    if (event.type === 'stage.started' && !stageStartedAt.has(event.stage)) stageStartedAt.set(event.stage, now());
    if (event.type === 'stage.completed') {
      record({ ...event, duration_ms: now() - (stageStartedAt.get(event.stage) ?? now()) });
      return;
    }
    record(event);
  });

  let settle: (outcome: RunOutcome) => void = () => {};
  const done = new Promise<RunOutcome>((resolvePromise) => {
    settle = resolvePromise;
  });
  let finished = false;
  const finish = (status: RunStatus, context: RunContext, error: string | null) => {
    if (finished) return;
    finished = true;
    clearTimeout(timeLimit);
    subscription.unsubscribe();
    const durationMs = now() - startedAt;
    record({
      type: 'run.completed', status, duration_ms: durationMs,
      ...(error ? { error } : {}),
      ...(context.failedStages.length > 0 ? { failed: context.failedStages } : {}),
    });
    settle({ status, error, failedStages: context.failedStages, featureDir, eventsPath: eventLog.path, durationMs, context });
  };

  record({
    type: 'run.started', feature: options.objective.featureName, objective: options.objectivePath,
    runner: options.runnerName, stages: stages.stage_order.length, sequential: options.sequential ?? false,
  });
  const subscription = actor.subscribe({
    next: (snapshot) => {
      if (snapshot.status === 'done') finish(snapshot.context.status, snapshot.context, snapshot.context.error);
    },
    error: (error) => finish('error', actor.getSnapshot().context, `internal error: ${error instanceof Error ? error.message : String(error)}`),
  });
  const timeLimit = options.maxSeconds === undefined
    ? undefined
    : setTimeout(() => stop('timeout'), options.maxSeconds * 1000);

  function stop(status: 'cancelled' | 'timeout') {
    if (finished) return;
    const context = actor.getSnapshot().context;
    actor.stop();
    finish(status, context, status === 'timeout'
      ? `the time limit of ${formatSeconds(options.maxSeconds ?? 0)} was reached`
      : 'cancelled by the user');
  }

  actor.start();
  return { featureDir, done, stop };
}

function formatSeconds(seconds: number): string {
  return seconds >= 3600 ? `${+(seconds / 3600).toFixed(2)} h` : seconds >= 60 ? `${+(seconds / 60).toFixed(1)} min` : `${+seconds.toFixed(1)} s`;
}
