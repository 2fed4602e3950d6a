import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { AGENT_MARKER_VARIABLE } from './agentMarker.js';

/** One living process, as far as the process table shows it (zombies are left out: they are dead). */
export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Its TEAMBOT_AGENT value; undefined when it has none or the table cannot tell (no /proc). */
  readonly marker: string | undefined;
}

export interface ProcessTable {
  readonly entries: readonly ProcessEntry[];
  /** Whether markers could be read (Linux /proc); without them only groups and parents tell a tree. */
  readonly markersKnown: boolean;
}

/**
 * Every process this user can see, read from Linux's /proc (with markers) or,
 * where there is no /proc (macOS), from `ps` (without). Zombies count as gone:
 * a killed process whose parent does not reap it (PID 1 in some containers)
 * stays a zombie, but nothing runs in it any more.
 */
export function readProcessTable(): ProcessTable {
  return existsSync('/proc/self/stat') ? fromProc() : fromPs();
}

function fromProc(): ProcessTable {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrUndefined(`/proc/${name}/stat`);
    // `pid (command) state ppid pgrp …`: the command may contain spaces and parentheses.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!fields || fields[0] === 'Z' || fields[0] === 'X') continue;
    entries.push({
      pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]),
      marker: markerIn(readOrUndefined(`/proc/${name}/environ`)),
    });
  }
  return { entries, markersKnown: true };
}

function fromPs(): ProcessTable {
  let text = '';
  try {
    text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' });
  } catch {
    return { entries: [], markersKnown: false };
  }
  return { entries: parsePsTable(text), markersKnown: false };
}

/** `ps -A -o pid=,ppid=,pgid=,stat=` output as entries, zombies left out. */
export function parsePsTable(text: string): ProcessEntry[] {
  return text.split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => fields.length >= 4 && !fields[3]!.startsWith('Z'))
    .map(([pid, ppid, pgid]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), marker: undefined }));
}

/** The TEAMBOT_AGENT value in a NUL-separated environment block. */
export function markerIn(environ: string | undefined): string | undefined {
  if (!environ) return undefined;
  // Entries are NUL-separated: look for the variable at the start of one.
  const padded = `\0${environ}`;
  const prefix = `\0${AGENT_MARKER_VARIABLE}=`;
  const at = padded.indexOf(prefix);
  if (at === -1) return undefined;
  const end = padded.indexOf('\0', at + prefix.length);
  return padded.slice(at + prefix.length, end === -1 ? undefined : end);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined; // gone meanwhile, or another user's
  }
}
