import { relative } from 'node:path';
import { expandEnvPlaceholders } from '../../loader/envPlaceholders.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { AgentProcessOptions, TimeoutClock } from './process/agentProcess.js';
import { stageOutputPath } from './process/stageOutputFile.js';
import { AgentRunError, type AgentRunRequest } from './agentRunner.js';

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
    fullOutputPath: relative(request.cwd, stageOutputPath(options.featureDir, request.stage)),
  };
}

/**
 * A teambot.json setting with its `${ENV}` placeholders expanded (each value
 * registered as a secret), as the agent call uses it.
 *
 * @throws AgentRunError for the stage when a variable it names is not set
 * @example expandedSetting('${MODEL}', 'SPEC', env, 'the agent\'s model') // 'gpt-5'
 */
export function expandedSetting(value: string, stage: string, env: NodeJS.ProcessEnv, setting: string): string {
  try {
    return expandEnvPlaceholders(value, env, setting);
  } catch (error) {
    throw new AgentRunError((error as Error).message, stage);
  }
}

/** The request with its model's `${ENV}` placeholders expanded (teambot.json `model`, `default_model`). */
export function withExpandedModel(request: AgentRunRequest, env: NodeJS.ProcessEnv): AgentRunRequest {
  if (request.model === undefined) return request;
  return { ...request, model: expandedSetting(request.model, request.stage, env, `the model of agent ${request.agent} (teambot.json)`) };
}
