import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

/**
 * Whether a process is running. A zombie is not: a killed orphan stays one when PID 1 does not
 * reap it (as in some containers), and `kill(pid, 0)` alone would still find it.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

/**
 * The processes working in `dir` (their cwd, read from Linux's /proc): what agents started there
 * left running, found even when one was stopped before it could log its pid.
 */
export function processesIn(dir: string): number[] {
  if (!existsSync('/proc/self/cwd')) throw new Error('processesIn needs /proc (Linux) to see other processes\' working directories');
  const target = realpathSync(dir);
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === target;
    } catch {
      return false; // gone meanwhile, a zombie, or another user's
    }
  });
}

/**
 * Polls a condition until it holds (processes exit and screens change asynchronously), and
 * fails with `what` when it still does not after `timeoutMs`: a deadline, never a pause.
 *
 * @example await waitFor(() => !isAlive(pid), 5000, `the agent (pid ${pid}) to exit`)
 */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = `\`${condition.toString()}\``): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Settles as `promise` does, or fails with `what` when it has not settled after `timeoutMs`:
 * for waits on output or events that have no deadline of their own.
 *
 * @example await withDeadline(run.waitForOutput(/stage\.started/), 15_000, 'the run to start a stage')
 */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
