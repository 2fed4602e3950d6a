// The watchdog process (bundled as dist/watchdog.js; started by watchdog.ts):
// `node dist/watchdog.js <marker prefix>`. It learns each agent tree on stdin
// ({"marker","pid","pgid","graceMs"} lines, {"gone": marker} when one ended).
// EOF on stdin means teambot died, however it died (SIGKILL included, which no
// handler in teambot sees): it then kills every tree teambot told it about and
// every process carrying teambot's marker prefix (SIGTERM, SIGKILL after the
// grace) and exits. After a normal exit nothing is left to kill: it exits at once.
import { readProcessTable } from './processTable.js';
import { treeMembers, type TreeIdentity } from './treeMembers.js';

const prefix = process.argv[2] ?? '';
const known = new Map<string, TreeIdentity & { readonly graceMs?: number }>();

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    try {
      const message = JSON.parse(line) as { gone?: string; marker?: string; pid?: number; pgid?: number; graceMs?: number };
      if (message.gone) known.delete(message.gone);
      else if (message.marker) known.set(message.marker, { marker: message.marker, pid: message.pid, pgid: message.pgid, graceMs: message.graceMs });
    } catch {
      // Not a message teambot wrote: nothing to learn from it.
    }
  }
});
process.stdin.on('end', killEverything);
process.stdin.on('error', killEverything);

/** Every process of teambot's agents: the trees it named, and any process marked with its prefix (an agent it had no time to name). */
function members(): number[] {
  const table = readProcessTable();
  const marked = table.entries.flatMap((entry) => (prefix && entry.marker?.startsWith(prefix) ? [{ marker: entry.marker }] : []));
  const found = new Set<number>();
  for (const tree of [...known.values(), ...marked]) for (const pid of treeMembers(table, tree, process.pid)) found.add(pid);
  return [...found];
}

/** Sends `signal` (0: only looks) to every member; how many there were. */
function signalAll(signal: NodeJS.Signals | 0): number {
  const pids = members();
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.length;
}

function killEverything(): void {
  if (signalAll('SIGTERM') === 0) process.exit(0);
  const graceMs = Math.max(0, ...[...known.values()].map((tree) => tree.graceMs ?? 0));
  const killAt = Date.now() + graceMs;
  const check = () => {
    if (signalAll(Date.now() >= killAt ? 'SIGKILL' : 0) === 0) process.exit(0);
    setTimeout(check, 50);
  };
  check();
}
