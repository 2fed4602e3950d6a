import { execa } from 'execa';
import { AgentRunError } from '../agentRunner.js';

export interface AgentProcessOptions {
  readonly stage: string;
  /** What the user calls this agent in messages: `copilot`, `claude`. */
  readonly name: string;
  /** The command, never through a shell. */
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly onOutput: (line: string) => void;
  /** Fail when the agent runs longer than this (the stage's timeout_minutes). */
  readonly timeoutMs?: number | undefined;
  /** Fail when the agent prints nothing for this long. */
  readonly idleTimeoutMs?: number | undefined;
  /** Between SIGTERM and SIGKILL when stopping the agent. */
  readonly killGraceMs?: number | undefined;
  /** How to install the command, for the error when it is missing. */
  readonly installHint: string;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Runs the timeout and idle-timeout clocks; real timers unless a test drives them by hand. */
  readonly timeoutClock?: TimeoutClock | undefined;
}

/** Starts a timeout: `onTimeout` runs after `ms` unless the returned function cancels it first. */
export interface TimeoutClock {
  start(ms: number, onTimeout: () => void): () => void;
}

/** The clock agents run on: `setTimeout`, cancelled with `clearTimeout`. */
export const realTimeoutClock: TimeoutClock = {
  start(ms, onTimeout) {
    const timer = setTimeout(onTimeout, ms);
    return () => clearTimeout(timer);
  },
};

const TRANSIENT = /rate.?limit|too many requests|\b429\b|\b50[234]\b|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up|network|temporarily unavailable|overloaded|try again later/i;

/** Whether a failed agent's message describes a failure worth retrying (rate limits, network). */
export function isTransientFailure(message: string): boolean {
  return TRANSIENT.test(message);
}

/**
 * Runs one agent process: argv without a shell, in its own process group so
 * that stopping it (abort, timeout, idle timeout) kills the whole tree: SIGTERM
 * to the group, SIGKILL after a grace period. Every line it prints is passed on
 * as it comes; stdout becomes the result. A non-zero exit fails with the
 * agent's own last words.
 */
export async function runAgentProcess(options: AgentProcessOptions): Promise<{ output: string }> {
  const { stage, signal } = options;
  signal.throwIfAborted();
  const [file, ...args] = options.argv;
  const subprocess = execa(file!, args, {
    cwd: options.cwd,
    stdin: 'ignore',
    detached: true,
    reject: false,
    buffer: false,
    env: options.env,
  });

  let stopReason: string | undefined;
  const stopTree = (reason: string) => {
    if (stopReason !== undefined || subprocess.pid === undefined) return;
    stopReason = reason;
    killGroup(subprocess.pid, 'SIGTERM');
    const pid = subprocess.pid;
    setTimeout(() => killGroup(pid, 'SIGKILL'), options.killGraceMs ?? 5000).unref();
  };
  const onAbort = () => stopTree('aborted');
  signal.addEventListener('abort', onAbort, { once: true });
  const clock = options.timeoutClock ?? realTimeoutClock;
  const cancelTotal = options.timeoutMs === undefined ? undefined
    : clock.start(options.timeoutMs, () => stopTree(`timed out after ${minutes(options.timeoutMs!)} (timeout_minutes)`));
  let cancelIdle: (() => void) | undefined;
  const resetIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    cancelIdle?.();
    cancelIdle = clock.start(options.idleTimeoutMs, () => stopTree(`printed nothing for ${minutes(options.idleTimeoutMs!)} (idle timeout)`));
  };
  resetIdle();

  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = async (from: 'stdout' | 'stderr', into: string[]) => {
    for await (const line of subprocess.iterable({ from })) {
      into.push(line);
      resetIdle();
      options.onOutput(line);
    }
  };
  try {
    const [result] = await Promise.all([subprocess, collect('stdout', stdout), collect('stderr', stderr)]);
    if (signal.aborted) throw signal.reason;
    if (stopReason !== undefined) throw new AgentRunError(`${options.name} ${stopReason}`, stage);
    if ((result as { code?: string }).code === 'ENOENT') {
      throw new AgentRunError(`${options.name} is not installed or not on PATH (${file}); ${options.installHint}`, stage);
    }
    if (result.exitCode !== 0) {
      const words = lastLines([...stderr, ...stdout].filter((line) => line.trim() !== ''), 6) || (result.shortMessage ?? '');
      const message = `${options.name} exited with code ${result.exitCode ?? result.signal}: ${words}`;
      throw new AgentRunError(message, stage, { transient: isTransientFailure(words) });
    }
    return { output: stdout.join('\n') };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof AgentRunError) throw error;
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new AgentRunError(`${options.name} is not installed or not on PATH (${file}); ${options.installHint}`, stage);
    }
    throw error;
  } finally {
    cancelTotal?.();
    cancelIdle?.();
    signal.removeEventListener('abort', onAbort);
    // Whatever the agent started and left running goes with it.
    const pid = subprocess.pid;
    if (pid !== undefined) {
      killGroup(pid, 'SIGTERM');
      setTimeout(() => killGroup(pid, 'SIGKILL'), options.killGraceMs ?? 5000).unref();
    }
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function lastLines(lines: readonly string[], count: number): string {
  return lines.slice(-count).join('\n');
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(2)} s`;
}
