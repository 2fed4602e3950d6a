import { setTimeout as sleep } from 'node:timers/promises';
import { AgentRunError, type AgentRunner } from './agentRunner.js';

export interface RetryOptions {
  readonly retries: number;
  /** The first wait; each retry doubles it. */
  readonly baseDelayMs: number;
  /** Injected by tests. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told before each retry, so the user sees why the stage takes longer. */
  readonly onRetry?: (stage: string, attempt: number, delayMs: number, error: AgentRunError) => void;
}

/**
 * Retries agent calls that failed transiently (rate limit, network) with
 * exponential backoff; any other failure, and cancellation, goes through at once.
 */
export function withTransientRetries(runner: AgentRunner, options: RetryOptions): AgentRunner {
  const wait = options.wait ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  return {
    async run(request) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await runner.run(request);
        } catch (error) {
          const retryable = error instanceof AgentRunError && error.transient && !request.signal.aborted;
          if (!retryable || attempt > options.retries) throw error;
          const delayMs = options.baseDelayMs * 2 ** (attempt - 1);
          options.onRetry?.(request.stage, attempt, delayMs, error);
          request.onOutput(`teambot: transient failure (${firstLine(error.message)}); retry ${attempt}/${options.retries} in ${delayMs / 1000} s`);
          await wait(delayMs, request.signal);
        }
      }
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
