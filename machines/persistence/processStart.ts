import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * When a process started, as a string that differs for two processes that
 * had the same pid at different times: on Linux the boot id and field 22 of
 * /proc/<pid>/stat (clock ticks since boot); elsewhere what `ps -o lstart=`
 * says (to the second). A lock records it beside the pid, so a pid the system
 * has since given to an unrelated process is not mistaken for the lock's owner.
 *
 * @example processStartTime(process.pid) // 'linux:2ec87ece-…:314321'
 * @returns undefined when it cannot be told (no such process, no ps)
 */
export function processStartTime(pid: number): string | undefined {
  return process.platform === 'linux' ? linuxStartTime(pid) : psStartTime(pid);
}

function linuxStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[22 - 3];
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return ticks ? `linux:${bootId}:${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

function psStartTime(pid: number): string | undefined {
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return started ? `ps:${started}` : undefined;
  } catch {
    return undefined;
  }
}
