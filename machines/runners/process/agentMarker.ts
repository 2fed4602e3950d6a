import { randomBytes } from 'node:crypto';

/**
 * The environment variable that marks every process of an agent's tree. A
 * child inherits its parent's environment, so the mark survives what the
 * process group does not: `setsid` (a dev server an agent started with
 * `spawn(…, { detached: true })`) and re-parenting to PID 1 when the agent
 * exits. Linux shows a process's initial environment in /proc/<pid>/environ,
 * which is how teambot (and its watchdog) find the marked processes.
 */
export const AGENT_MARKER_VARIABLE = 'TEAMBOT_AGENT';

/**
 * This teambot process's prefix of every marker it hands out:
 * `<pid>.<random>.`. The random part keeps a reused pid from matching an
 * older teambot's agents; the watchdog kills every process marked with it.
 */
export const markerPrefix = `${process.pid}.${randomBytes(4).toString('hex')}.`;

let agentsStarted = 0;

/** A marker no other agent (of this or any teambot) has: `<pid>.<random>.<n>`. */
export function nextAgentMarker(): string {
  agentsStarted++;
  return `${markerPrefix}${agentsStarted}`;
}
