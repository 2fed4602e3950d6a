import { killTreesNow, stopTree } from './treeKill.js';
import type { TreeIdentity } from './treeMembers.js';
import { forgetTree, watchTree } from './watchdog.js';

/** An agent's process tree while it lives: what agents.json records. */
export interface AgentTree extends TreeIdentity {
  readonly stage: string;
  readonly pid: number;
  readonly pgid: number;
  /** ISO 8601. */
  readonly startedAt: string;
}

interface Tracked {
  readonly tree: AgentTree;
  readonly graceMs: number;
  /** Set once stopping began: resolves when no process of the tree is left. */
  stopped?: Promise<void>;
}

/**
 * The agent trees this teambot process started and that are not known to be
 * gone yet. Process-wide on purpose: whatever ends teambot (a second Ctrl+C,
 * an exception, its own death through the watchdog) must reach every agent,
 * whichever run started it. A CLI process runs one session at a time.
 */
const trees = new Map<string, Tracked>();
const listeners = new Set<(trees: readonly AgentTree[]) => void>();
let exitHookInstalled = false;

/**
 * Tracks a tree that just started: the watchdog learns it, listeners (the
 * session writing agents.json) hear of it, and teambot's exit kills it.
 */
export function trackAgentTree(tree: AgentTree, graceMs: number): void {
  trees.set(tree.marker, { tree, graceMs });
  watchTree({ ...tree, graceMs });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Before the run lock's own exit hook: whatever exit path skipped stopping the agents.
    process.prependListener('exit', killAllAgentTreesNow);
  }
  changed();
}

/**
 * Stops a tree (SIGTERM, SIGKILL after its grace) unless it is stopping
 * already, and forgets it once nothing of it is left. Also what runs when an
 * agent exited by itself: whatever it left running goes with it.
 */
export function stopAgentTree(marker: string): Promise<void> {
  const tracked = trees.get(marker);
  if (!tracked) return Promise.resolve();
  tracked.stopped ??= stopTree(tracked.tree, tracked.graceMs).finally(() => {
    trees.delete(marker);
    forgetTree(marker);
    changed();
  });
  return tracked.stopped;
}

/** Stops every tree; resolves once every one is gone (each escalating to SIGKILL after its grace). */
export async function stopAllAgentTrees(): Promise<void> {
  await Promise.all([...trees.keys()].map(stopAgentTree));
}

/** SIGKILLs every tree now and waits (blocking, briefly) until they are gone: before teambot exits at once. */
export function killAllAgentTreesNow(): void {
  if (trees.size === 0) return;
  killTreesNow([...trees.values()].map((tracked) => tracked.tree));
}

/** The trees alive (or not yet seen gone), oldest first. */
export function liveAgentTrees(): AgentTree[] {
  return [...trees.values()].map((tracked) => tracked.tree);
}

/** Calls `listener` with the live trees whenever one starts or is gone; returns the unsubscribe. */
export function onAgentTreesChange(listener: (trees: readonly AgentTree[]) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  const live = liveAgentTrees();
  for (const listener of listeners) listener(live);
}
