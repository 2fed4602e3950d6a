import { spawn, type ChildProcess } from 'node:child_process';
import { markerPrefix } from './agentMarker.js';
import type { TreeIdentity } from './treeMembers.js';
import { join } from 'node:path';
import { builtinFiles } from '../../../config/builtinFiles.js';

let watchdog: ChildProcess | undefined;

/**
 * Tells the watchdog about an agent tree, starting the watchdog with the
 * first one: a small detached node process that outlives teambot only to kill
 * teambot's agents when teambot dies without doing so (SIGKILL, a crash, an
 * OOM kill). Linux's PR_SET_PDEATHSIG would do it without a process, but Node
 * has no binding for it without a native addon. The watchdog holds nothing of
 * teambot's alive: its pipe and handle are unref'd, and it exits on the EOF
 * teambot's normal exit gives it too.
 */
export function watchTree(tree: TreeIdentity & { readonly graceMs: number }): void {
  tell({ marker: tree.marker, pid: tree.pid, pgid: tree.pgid, graceMs: tree.graceMs });
}

/** The tree ended: its pid and group may be reused, the watchdog must not kill them later. */
export function forgetTree(marker: string): void {
  tell({ gone: marker });
}

/** The watchdog's pid, once one was started. */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}

function tell(message: object): void {
  watchdog ??= startWatchdog();
  watchdog.stdin?.write(`${JSON.stringify(message)}\n`);
}

function startWatchdog(): ChildProcess {
  // Its program is watchdogMain.ts, bundled beside the CLI (tsup.config.ts), so it shares the process-table code.
  const child = spawn(process.execPath, [join(builtinFiles.root, 'dist', 'watchdog.js'), markerPrefix], {
    detached: true, // its own session: a Ctrl+C in teambot's terminal does not reach it
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // A watchdog that died (killed by hand) only costs its protection, never teambot's run.
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}
