import { readProcessTable } from './processTable.js';
import { treeMembers, type TreeIdentity } from './treeMembers.js';

/** How often a stopping tree is looked at again: cheap (one /proc scan), and quick enough for a user waiting. */
const POLL_MS = 50;
/**
 * How long SIGKILL gets before teambot stops waiting: a process it may not signal (an agent's
 * `sudo` child) or one stuck in the kernel must not hold the run (and its lock) forever.
 */
const GIVE_UP_AFTER_KILL_MS = 10_000;

/**
 * Sends `signal` to every process of the tree and to its process group (which
 * also reaches a process started since the scan). Returns how many processes
 * the scan found: 0 means the tree is gone.
 */
export function signalTree(tree: TreeIdentity, signal: NodeJS.Signals | 0): number {
  const members = treeMembers(readProcessTable(), tree, process.pid);
  if (signal !== 0) {
    if (tree.pgid !== undefined && members.length > 0) sendSignal(-tree.pgid, signal);
    for (const pid of members) sendSignal(pid, signal);
  }
  return members.length;
}

/** Whether any process of the tree is still alive. */
export function treeAlive(tree: TreeIdentity): boolean {
  return signalTree(tree, 0) > 0;
}

/**
 * Stops a tree: SIGTERM to all of it, then SIGKILL to whatever is left after
 * `graceMs` (again each poll, for processes started meanwhile). Resolves once
 * no process of the tree is left, or when SIGKILL has not ended it in
 * GIVE_UP_AFTER_KILL_MS (processes teambot may not kill).
 *
 * @example await stopTree({ marker, pid, pgid: pid }, 5000)
 */
export async function stopTree(tree: TreeIdentity, graceMs: number): Promise<void> {
  if (signalTree(tree, 'SIGTERM') === 0) return;
  const killAt = Date.now() + graceMs;
  while (treeAlive(tree) && Date.now() < killAt + GIVE_UP_AFTER_KILL_MS) {
    if (Date.now() >= killAt) signalTree(tree, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * SIGKILLs trees at once and waits, blocking, until they are gone (SIGKILL
 * takes effect within milliseconds) or `waitMs` passes: for when teambot is
 * about to exit and no event loop turn may follow.
 */
export function killTreesNow(trees: readonly TreeIdentity[], waitMs = 2000): void {
  const deadline = Date.now() + waitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let left = trees.filter((tree) => signalTree(tree, 'SIGKILL') > 0);
  while (left.length > 0 && Date.now() < deadline) {
    Atomics.wait(pause, 0, 0, 10);
    left = left.filter((tree) => signalTree(tree, 'SIGKILL') > 0);
  }
}

function sendSignal(pid: number, signal: NodeJS.Signals | 0): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone meanwhile, or not ours to signal.
  }
}
