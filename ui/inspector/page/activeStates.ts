// Which states of the statechart are active: what the root actor's snapshot
// says while a live run runs, otherwise what the applied events imply. Pure: no DOM.
import { ancestorsOf, groupNode, haltedNode, type GraphIndex } from './graphIndex.js';
import type { GraphNode } from './model.js';
import { isFinished, type PageRun } from './runState.js';

/**
 * Which child state an agent role runs in, first match wins: the event log
 * says the role, the graph says which children a stage has.
 */
const ROLE_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  work: ['running', 'work', 'run'],
  review: ['review'],
  acceptance: ['run', 'running'],
  fix: ['fix'],
};

/**
 * The active state ids to show. A live run's snapshot is the truth while the
 * run runs; once run.completed is applied only the final state is active,
 * whatever the last snapshot said (the actor's last snapshot may never reach
 * the page, and it would leave the last stage highlighted).
 */
export function activeStateIds(graph: GraphIndex, run: PageRun, snapshotIds: ReadonlySet<string> | null): Set<string> {
  if (snapshotIds && !isFinished(run)) return new Set(snapshotIds);
  return activeFromEvents(graph, run);
}

/**
 * The states active after the applied events: each running stage, the
 * states around it (its group), and the child its agent role runs in. A
 * running group is active even between its stages (sequential groups). A
 * finished run is in its final state only: the terminal stage, or halted.
 */
export function activeFromEvents(graph: GraphIndex, run: PageRun): Set<string> {
  const { view } = run;
  const ids = new Set<string>();
  const addWithAncestors = (node: GraphNode | undefined) => {
    if (!node) return;
    ids.add(node.id);
    for (const ancestor of ancestorsOf(graph, node.id)) ids.add(ancestor.id);
  };
  if (isFinished(run)) {
    const terminal = graph.terminalStage === undefined ? undefined : graph.stageNodes.get(graph.terminalStage);
    addWithAncestors(view.status === 'complete' ? terminal : haltedNode(graph));
    return ids;
  }
  for (const stage of view.stages) {
    if (stage.status !== 'running') continue;
    const node = graph.stageNodes.get(stage.id);
    addWithAncestors(node);
    addWithAncestors(node && childForRole(node, stage.role));
  }
  for (const group of view.groups) {
    if (group.status === 'running') addWithAncestors(groupNode(graph, group.id));
  }
  return ids;
}

/** The inner state an agent role runs in: `work`/`review` in a review loop, `run`/`fix` in acceptance, else `running`. */
export function childForRole(node: GraphNode, role: string | undefined): GraphNode | undefined {
  const byKey = new Map(node.children.map((child) => [child.key, child]));
  for (const key of ROLE_CHILDREN[role ?? 'work'] ?? ROLE_CHILDREN.work ?? []) {
    const child = byKey.get(key);
    if (child) return child;
  }
  return node.children.find((child) => child.invokes.length > 0);
}

/**
 * An XState state value as the ids of its active states.
 * @example stateValueToIds({ G: { A: 'running' } }, 'teambot') // ['teambot.G', 'teambot.G.A', 'teambot.G.A.running']
 */
export function stateValueToIds(value: unknown, prefix: string): string[] {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [`${prefix}.${key}`, ...stateValueToIds(inner, `${prefix}.${key}`)]);
}

/**
 * The active ids an @statelyai/inspect snapshot message reports, if it is the
 * root actor's of the run's system (`rootSession`, the first system seen);
 * null for any other message (children have no state value).
 */
export function snapshotActiveIds(message: Readonly<Record<string, unknown>>, rootSession: string, graphId: string): string[] | null {
  const value = (message.snapshot as { value?: unknown } | undefined)?.value;
  if (typeof value !== 'string' && (value === null || typeof value !== 'object')) return null;
  if ((message.rootId ?? message.sessionId) !== rootSession) return null;
  if (message.rootId && message.sessionId && message.sessionId !== message.rootId) return null;
  return stateValueToIds(value, graphId);
}
