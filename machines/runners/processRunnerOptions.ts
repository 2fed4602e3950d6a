import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { AgentProcessOptions, TimeoutClock } from './process/agentProcess.js';
import type { AgentRunRequest } from './agentRunner.js';

export interface ProcessRunnerOptions {
  readonly stages: StagesConfig;
  readonly featureDir: string;
  readonly idleTimeoutMs?: number | undefined;
  readonly killGraceMs?: number | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Tests only: a clock they fire by hand once the agent is seen running. */
  readonly timeoutClock?: TimeoutClock | undefined;
}

/** The stage's timeout_minutes as milliseconds, if it has one. */
export function stageTimeoutMs(stages: StagesConfig, stage: string): number | undefined {
  const minutes = stages.stages[stage]?.timeout_minutes;
  return minutes === undefined ? undefined : minutes * 60_000;
}

/** The process options every agent call shares, from its request and the runner's settings. */
export function processOptionsFor(request: AgentRunRequest, options: ProcessRunnerOptions)
  : Omit<AgentProcessOptions, 'name' | 'argv' | 'installHint'> {
  return {
    stage: request.stage,
    cwd: request.cwd,
    signal: request.signal,
    onOutput: request.onOutput,
    timeoutMs: stageTimeoutMs(options.stages, request.stage),
    idleTimeoutMs: options.idleTimeoutMs,
    killGraceMs: options.killGraceMs,
    env: options.env,
    timeoutClock: options.timeoutClock,
  };
}
