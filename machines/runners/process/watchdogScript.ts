/**
 * The watchdog's program, run as `node -e <this> <marker prefix> <variable>`.
 * Plain CommonJS in a string: it must run by itself, beside the bundled CLI,
 * with nothing to import. It learns each agent tree (`{"marker","pid","pgid",
 * "graceMs"}` lines, `{"gone": marker}` when one ended) on stdin; EOF on stdin
 * means teambot died, however it died (SIGKILL included, which no handler in
 * teambot sees). It then kills every process marked with teambot's prefix,
 * the known groups and their descendants (SIGTERM, SIGKILL after the grace)
 * and exits. After a normal exit there is nothing left to kill: it exits at
 * once. It mirrors processTable.ts and treeMembers.ts, which it cannot import.
 */
export const WATCHDOG_SCRIPT = String.raw`
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const [prefix, variable] = process.argv.slice(1);
const known = new Map();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    try {
      const message = JSON.parse(line);
      if (message.gone) known.delete(message.gone);
      else known.set(message.marker, message);
    } catch {}
  }
});
process.stdin.on('end', killEverything);
process.stdin.on('error', killEverything);

function read(path) {
  try { return fs.readFileSync(path, 'latin1'); } catch { return undefined; }
}
function processTable() {
  if (fs.existsSync('/proc/self/stat')) {
    return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
      const stat = read('/proc/' + name + '/stat');
      const fields = stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : undefined;
      if (!fields || fields[0] === 'Z' || fields[0] === 'X') return [];
      const environ = '\0' + (read('/proc/' + name + '/environ') || '');
      return [{ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), marked: environ.includes('\0' + variable + '=' + prefix) }];
    });
  }
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' }).split('\n')
      .map((line) => line.trim().split(/\s+/)).filter((fields) => fields.length >= 4 && !fields[3].startsWith('Z'))
      .map(([pid, ppid, pgid]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), marked: false }));
  } catch { return []; }
}
function members() {
  const table = processTable();
  const trees = [...known.values()];
  const found = new Set(table.filter((entry) => entry.marked || trees.some((tree) => tree.pgid === entry.pgid || tree.pid === entry.pid))
    .map((entry) => entry.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of table) if (found.has(entry.ppid) && !found.has(entry.pid)) { found.add(entry.pid); grew = true; }
  }
  found.delete(process.pid);
  return [...found];
}
function signalAll(signal) {
  const pids = members();
  for (const pid of pids) { try { process.kill(pid, signal); } catch {} }
  return pids.length;
}
function killEverything() {
  if (signalAll('SIGTERM') === 0) process.exit(0);
  const graceMs = Math.max(0, ...[...known.values()].map((tree) => tree.graceMs || 0));
  const killAt = Date.now() + graceMs;
  const check = () => {
    if (signalAll(Date.now() >= killAt ? 'SIGKILL' : 0) === 0) process.exit(0);
    setTimeout(check, 50);
  };
  check();
}
`;
