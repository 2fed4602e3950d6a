import { hostname } from 'node:os';
import { readAgentsFile, recordedTreeIdentity } from '../../persistence/agentsFile.js';
import { readProcessTable } from './processTable.js';
import { signalTree, treeAlive } from './treeKill.js';
import type { TreeIdentity } from './treeMembers.js';

/** How long to wait for SIGKILLed leftovers to vanish before starting anyway (SIGKILL takes milliseconds). */
const LEFTOVER_DEADLINE_MS = 10_000;

/**
 * The agent trees a feature directory records for a teambot process that is
 * gone (crashed, or SIGKILLed with its watchdog): orphans still working on
 * the feature, which a new run must not work beside. Only called with the
 * run lock held, so no live teambot owns this directory's agents.
 */
export function leftoverAgentTrees(featureDir: string): TreeIdentity[] {
  const file = readAgentsFile(featureDir);
  if (!file || file.agents.length === 0 || file.hostname !== hostname() || file.teambot_pid === process.pid) return [];
  if (processExists(file.teambot_pid)) return [];
  const { markersKnown } = readProcessTable();
  return file.agents.map((agent) => recordedTreeIdentity(agent, markersKnown)).filter(treeAlive);
}

/**
 * SIGKILLs leftover trees (their teambot is dead: nobody will read what they
 * print or save what they did) and resolves once they are gone.
 */
export async function killLeftoverAgentTrees(trees: readonly TreeIdentity[]): Promise<void> {
  const deadline = Date.now() + LEFTOVER_DEADLINE_MS;
  let left = trees.filter((tree) => signalTree(tree, 'SIGKILL') > 0);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = left.filter((tree) => signalTree(tree, 'SIGKILL') > 0);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
