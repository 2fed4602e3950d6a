import { basename } from 'node:path';
import { AgentRunError } from '../agentRunner.js';
import { longTimeout } from '../../time/longTimeout.js';
import { capStageOutput, STAGE_OUTPUT_CAP } from '../stageOutputCap.js';
import { AGENT_MARKER_VARIABLE, nextAgentMarker } from './agentMarker.js';
import { stopAgentTree, trackAgentTree } from './agentTrees.js';
import { createLineSplitter } from './lineSplitter.js';
import { createLineTail, type LineTail } from './lineTail.js';

/**
 * How much of a command's output is kept in memory by default, per stream and
 * for both interleaved (characters): the tails errors and results are made of.
 * All of it passes through onOutput, which the run records to the stage's
 * output file. Agents keep less (STAGE_OUTPUT_CAP): a line kept longer is more
 * likely to outlive a young-generation collection, and a gigabyte of promoted
 * lines is what makes the heap grow.
 */
export const OUTPUT_TAIL_CHARS = 1024 * 1024;
/** A line longer than this (bytes) is passed on in pieces, so output without newlines stays bounded. */
export const MAX_LINE_BYTES = 256 * 1024;
/** How much of the agent's last words an error message quotes (characters). */
const ERROR_WORDS_CHARS = 2000;

export interface AgentProcessOptions {
  readonly stage: string;
  /** What the user calls this agent in messages: `copilot`, `claude` (a path is shown by its file name). */
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
  /** Where the whole output is kept (stageOutputFile.ts), named in a result cut to STAGE_OUTPUT_CAP. */
  readonly fullOutputPath?: string | undefined;
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
  /** How much of the end of the output the result keeps, per stream and interleaved (default OUTPUT_TAIL_CHARS). */
  readonly tailChars?: number | undefined;
}

/** How a process tree ended, when it was not aborted. */
export interface ProcessTreeResult {
  /** The last lines printed (tailChars of them), stdout and stderr interleaved as they were read. */
  readonly lines: readonly string[];
  /** The last lines of stdout (tailChars of them). */
  readonly stdout: readonly string[];
  /** Whether `stdout` lost its start to the cap. */
  readonly stdoutTruncated: boolean;
  /** The last lines of stderr (tailChars of them). */
  readonly stderr: readonly string[];
  /** Undefined when the command did not exit on its own (killed by a signal, never started). */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** Why teambot stopped it, e.g. `timed out after 2 min (timeout_minutes)`; undefined when it ended by itself. */
  readonly stopReason: string | undefined;
  /** The command could not start: its file (or the working directory) does not exist. */
  readonly notFound: boolean;
  /**
   * execa's one-line description of a failure, if any. It holds the whole command line,
   * `${ENV}` values and prompt included: never show it for an agent (runAgentProcess does not).
   */
  readonly shortMessage: string | undefined;
}

/**
 * Runs a command as a process tree: argv without a shell, in its own process
 * group and with a marker in its environment that every descendant inherits,
 * so that stopping it (abort, timeout, idle timeout) kills the whole tree,
 * including descendants that left the group (setsid): SIGTERM, SIGKILL after a
 * grace period (agentTrees.ts, treeKill.ts). Whatever the command leaves
 * running when it exits is killed the same way. Every line it prints is
 * passed on as it comes; only the last OUTPUT_TAIL_CHARS are kept, so memory
 * stays bounded however much it prints. Rejects with `signal.reason` when aborted; otherwise
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
  // Loaded when a process is spawned, not with the runners: simulated runs never need it (issue 17).
  const { execa } = await import('execa');
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

  const tailChars = options.tailChars ?? OUTPUT_TAIL_CHARS;
  const lines = createLineTail(tailChars);
  const stdout = createLineTail(tailChars);
  const stderr = createLineTail(tailChars);
  // The streams themselves rather than execa's line iterator, which would hold a line without end whole.
  const collect = async (stream: NodeJS.ReadableStream | null, into: LineTail) => {
    if (!stream) return;
    const splitter = createLineSplitter(MAX_LINE_BYTES, (line) => {
      into.push(line);
      lines.push(line);
      options.onOutput?.(line);
    });
    for await (const chunk of stream) {
      resetIdle();
      splitter.write(chunk as Buffer);
    }
    splitter.end();
  };
  const ended = (result: { exitCode?: number | undefined; signal?: string | undefined; shortMessage?: string | undefined }, notFound: boolean)
    : ProcessTreeResult => ({
    lines: lines.lines(), stdout: stdout.lines(), stdoutTruncated: stdout.truncated, stderr: stderr.lines(),
    exitCode: result.exitCode, signal: result.signal, stopReason, notFound, shortMessage: result.shortMessage,
  });
  try {
    const [result] = await Promise.all([subprocess, collect(subprocess.stdout, stdout), collect(subprocess.stderr, stderr)]);
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
 * prints is passed on as it comes; the end of stdout becomes the result
 * (capStageOutput: at most STAGE_OUTPUT_CAP, naming `fullOutputPath`). A
 * timeout, a missing command or a non-zero exit fails with an AgentRunError,
 * the latter with the agent's own last words. Messages name the agent, never
 * its command line: that holds the prompt and any `${ENV}` secret in argv.
 */
export async function runAgentProcess(options: AgentProcessOptions): Promise<{ output: string }> {
  const { stage } = options;
  const [file] = options.argv;
  const name = basename(options.name);
  const run = await runProcessTree({ ...options, tailChars: STAGE_OUTPUT_CAP });
  if (run.stopReason !== undefined) throw new AgentRunError(`${name} ${run.stopReason}`, stage);
  if (run.notFound) {
    throw new AgentRunError(`${name} is not installed or not on PATH (${file}); ${options.installHint}`, stage);
  }
  if (run.exitCode !== 0) {
    const words = lastWords(run.stderr, run.stdout);
    throw new AgentRunError(`${name} ${howItEnded(run)}: ${words || '(it printed nothing)'}`, stage, { transient: isTransientFailure(words) });
  }
  return { output: capStageOutput(run.stdout, run.stdoutTruncated, options.fullOutputPath) };
}

/** `exited with code 1`, `was killed by SIGKILL`. */
function howItEnded(run: ProcessTreeResult): string {
  if (run.exitCode !== undefined) return `exited with code ${run.exitCode}`;
  return run.signal ? `was killed by ${run.signal}` : 'ended without an exit code';
}

/** The agent's last non-blank lines, stderr before stdout (six at most, ERROR_WORDS_CHARS at most). */
function lastWords(stderr: readonly string[], stdout: readonly string[]): string {
  const words = [...stderr.slice(-50), ...stdout.slice(-50)].filter((line) => line.trim() !== '').slice(-6).join('\n');
  return words.length > ERROR_WORDS_CHARS ? `…${words.slice(-ERROR_WORDS_CHARS)}` : words;
}

/** The grace between SIGTERM and SIGKILL when the runner sets none: TEAMBOT_KILL_GRACE_MS (tests shorten it), else 5 s. */
function defaultKillGraceMs(): number {
  const configured = process.env.TEAMBOT_KILL_GRACE_MS;
  const ms = configured ? Number(configured) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : 5000;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(2)} s`;
}
