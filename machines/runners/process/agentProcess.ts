import { basename } from 'node:path';
import { execa } from 'execa';
import { AgentRunError } from '../agentRunner.js';
import { longTimeout } from '../../time/longTimeout.js';
import { AGENT_MARKER_VARIABLE, nextAgentMarker } from './agentMarker.js';
import { stopAgentTree, trackAgentTree } from './agentTrees.js';

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

/** The clock agents run on: real timers, for delays of any length (longTimeout). */
export const realTimeoutClock: TimeoutClock = { start: longTimeout };

const TRANSIENT = /rate.?limit|too many requests|\b429\b|\b50[234]\b|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up|network|temporarily unavailable|overloaded|try again later/i;

/** Whether a failed agent's message describes a failure worth retrying (rate limits, network). */
export function isTransientFailure(message: string): boolean {
  return TRANSIENT.test(message);
}

/** How to run a command as a process tree: argv without a shell, in `cwd`, stopped by `signal`. */
export interface ProcessTreeOptions {
  /** The stage it works for, as agents.json records it (default: the command's name). */
  readonly stage?: string | undefined;
  /** The command, never through a shell. */
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly signal: AbortSignal;
  /** Each line the command prints (stdout or stderr), as it prints it. */
  readonly onOutput?: ((line: string) => void) | undefined;
  /** Stop the command when it runs longer than this. */
  readonly timeoutMs?: number | undefined;
  /** Stop the command when it prints nothing for this long. */
  readonly idleTimeoutMs?: number | undefined;
  /** Between SIGTERM and SIGKILL when stopping the command (default: TEAMBOT_KILL_GRACE_MS, else 5 s). */
  readonly killGraceMs?: number | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Runs the timeout and idle-timeout clocks; real timers unless a test drives them by hand. */
  readonly timeoutClock?: TimeoutClock | undefined;
}

/** How a process tree ended, when it was not aborted. */
export interface ProcessTreeResult {
  /** Every line printed, stdout and stderr interleaved as they were read. */
  readonly lines: readonly string[];
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  /** Undefined when the command did not exit on its own (killed by a signal, never started). */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** Why teambot stopped it, e.g. `timed out after 2 min (timeout_minutes)`; undefined when it ended by itself. */
  readonly stopReason: string | undefined;
  /** The command could not start: its file (or the working directory) does not exist. */
  readonly notFound: boolean;
  /** execa's one-line description of a failure, if any. */
  readonly shortMessage: string | undefined;
}

/**
 * Runs a command as a process tree: argv without a shell, in its own process
 * group and with a marker in its environment that every descendant inherits,
 * so that stopping it (abort, timeout, idle timeout) kills the whole tree,
 * including descendants that left the group (setsid): SIGTERM, SIGKILL after a
 * grace period (agentTrees.ts, treeKill.ts). Whatever the command leaves
 * running when it exits is killed the same way. Every line it prints is
 * passed on as it comes. Rejects with `signal.reason` when aborted; otherwise
 * resolves however the command ended (non-zero exits, timeouts and missing
 * commands included) for the caller to judge. The tree may outlive the
 * promise while it is being killed: the session waits for every tree
 * (stopAllAgentTrees) before it ends.
 *
 * @example
 * const run = await runProcessTree({ argv: ['npm', 'test'], cwd, signal, timeoutMs: 600_000 });
 * if (run.stopReason) throw new Error(`npm test ${run.stopReason}`);
 */
export async function runProcessTree(options: ProcessTreeOptions): Promise<ProcessTreeResult> {
  const { signal } = options;
  signal.throwIfAborted();
  const [file, ...args] = options.argv;
  const marker = nextAgentMarker();
  const subprocess = execa(file!, args, {
    cwd: options.cwd,
    stdin: 'ignore',
    detached: true,
    reject: false,
    buffer: false,
    env: { ...options.env, [AGENT_MARKER_VARIABLE]: marker },
  });
  if (subprocess.pid !== undefined) {
    trackAgentTree({
      stage: options.stage ?? basename(file!), pid: subprocess.pid, pgid: subprocess.pid, marker, startedAt: new Date().toISOString(),
    }, options.killGraceMs ?? defaultKillGraceMs());
  }

  let stopReason: string | undefined;
  const stopTree = (reason: string) => {
    if (stopReason !== undefined || subprocess.pid === undefined) return;
    stopReason = reason;
    void stopAgentTree(marker);
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

  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = async (from: 'stdout' | 'stderr', into: string[]) => {
    for await (const line of subprocess.iterable({ from })) {
      into.push(line);
      lines.push(line);
      resetIdle();
      options.onOutput?.(line);
    }
  };
  const ended = (result: { exitCode?: number | undefined; signal?: string | undefined; shortMessage?: string | undefined }, notFound: boolean)
    : ProcessTreeResult => ({
    lines, stdout, stderr, exitCode: result.exitCode, signal: result.signal, stopReason, notFound, shortMessage: result.shortMessage,
  });
  try {
    const [result] = await Promise.all([subprocess, collect('stdout', stdout), collect('stderr', stderr)]);
    if (signal.aborted) throw signal.reason;
    return ended(result, stopReason === undefined && (result as { code?: string }).code === 'ENOENT');
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if ((error as { code?: string }).code === 'ENOENT') return ended({}, true);
    throw error;
  } finally {
    cancelTotal?.();
    cancelIdle?.();
    signal.removeEventListener('abort', onAbort);
    // Whatever the command started and left running goes with it.
    void stopAgentTree(marker);
  }
}

/**
 * Runs one agent process as a process tree (see runProcessTree): every line it
 * prints is passed on as it comes; stdout becomes the result. A timeout, a
 * missing command or a non-zero exit fails with an AgentRunError, the latter
 * with the agent's own last words.
 */
export async function runAgentProcess(options: AgentProcessOptions): Promise<{ output: string }> {
  const { stage } = options;
  const [file] = options.argv;
  const run = await runProcessTree(options);
  if (run.stopReason !== undefined) throw new AgentRunError(`${options.name} ${run.stopReason}`, stage);
  if (run.notFound) {
    throw new AgentRunError(`${options.name} is not installed or not on PATH (${file}); ${options.installHint}`, stage);
  }
  if (run.exitCode !== 0) {
    const words = lastLines([...run.stderr, ...run.stdout].filter((line) => line.trim() !== ''), 6) || (run.shortMessage ?? '');
    const message = `${options.name} exited with code ${run.exitCode ?? run.signal}: ${words}`;
    throw new AgentRunError(message, stage, { transient: isTransientFailure(words) });
  }
  return { output: run.stdout.join('\n') };
}

/** The grace between SIGTERM and SIGKILL when the runner sets none: TEAMBOT_KILL_GRACE_MS (tests shorten it), else 5 s. */
function defaultKillGraceMs(): number {
  const configured = process.env.TEAMBOT_KILL_GRACE_MS;
  const ms = configured ? Number(configured) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : 5000;
}

function lastLines(lines: readonly string[], count: number): string {
  return lines.slice(-count).join('\n');
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(2)} s`;
}
