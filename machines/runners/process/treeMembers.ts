import type { ProcessTable } from './processTable.js';

/** What identifies an agent's process tree. */
export interface TreeIdentity {
  /** Its TEAMBOT_AGENT value, inherited by every descendant. */
  readonly marker: string;
  /** The agent's own pid; trusted only while teambot knows it is its child (not for records of a dead teambot). */
  readonly pid?: number | undefined;
  /** The agent's process group (its pid: it was started detached). */
  readonly pgid?: number | undefined;
}

/**
 * The pids of a tree in a process table: processes with its marker, its
 * group, its pid, and every descendant of those (one that cleared its
 * environment still has a parent). Never `exclude` (teambot itself), nor
 * anything found only as its descendant.
 *
 * @example treeMembers(readProcessTable(), { marker: '41.ab12cd34.1', pid: 57, pgid: 57 }, process.pid)
 */
export function treeMembers(table: ProcessTable, tree: TreeIdentity, exclude: number): number[] {
  const members = new Set(table.entries
    .filter((entry) => (table.markersKnown && entry.marker === tree.marker) || entry.pgid === tree.pgid || entry.pid === tree.pid)
    .map((entry) => entry.pid).filter((pid) => pid !== exclude));
  const children = new Map<number, number[]>();
  for (const entry of table.entries) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  const pending = [...members];
  while (pending.length > 0) {
    for (const child of children.get(pending.pop()!) ?? []) {
      if (members.has(child) || child === exclude) continue;
      members.add(child);
      pending.push(child);
    }
  }
  return [...members];
}
