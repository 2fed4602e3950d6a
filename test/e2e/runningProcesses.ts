import { existsSync, readFileSync } from 'node:fs';
import { isAlive } from '../support/processes.js';

/**
 * Whether a process is running: a zombie is not. A killed orphan stays a zombie when PID 1
 * does not reap (as in some containers), and `kill(pid, 0)` (isAlive) would still find it.
 */
export function isRunning(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) return isAlive(pid);
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}
