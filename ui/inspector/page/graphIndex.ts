// Questions the page asks the statechart: which node draws a stage, a node's
// ancestors, the final states, the transitions with their labels. Pure: no DOM.
import type { StageKind } from '../../text/workflowOutline.js';
import type { GraphNode, GraphTransition } from './model.js';
import { GROUP_PREFIX } from '../../../loader/parallelGroups.js';

/** The statechart with lookups by id and by stage name. */
export interface GraphIndex {
  readonly root: GraphNode;
  /** node id → the node and its parent (null for the root). */
  readonly nodes: ReadonlyMap<string, { readonly node: GraphNode; readonly parent: GraphNode | null }>;
  /** stage → the node that runs it (a top-level state or a parallel region). */
  readonly stageNodes: ReadonlyMap<string, GraphNode>;
  /** The last stage in stage_order: reaching it completes the run. */
  readonly terminalStage: string | undefined;
}

/**
 * Indexes the graph for the stages of `stageOrder`.
 * @example indexGraph(graph, ['SPEC', 'COMPLETE']).stageNodes.get('SPEC')?.id // 'teambot.SPEC'
 */
export function indexGraph(root: GraphNode, stageOrder: readonly string[]): GraphIndex {
  const stages = new Set(stageOrder);
  const nodes = new Map<string, { node: GraphNode; parent: GraphNode | null }>();
  const stageNodes = new Map<string, GraphNode>();
  const visit = (node: GraphNode, parent: GraphNode | null) => {
    nodes.set(node.id, { node, parent });
    // A stage is a top-level state or a parallel group's region named in stage_order.
    const stageLevel = parent === root || parent?.type === 'parallel';
    if (stageLevel && stages.has(node.key) && !stageNodes.has(node.key)) stageNodes.set(node.key, node);
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, null);
  return { root, nodes, stageNodes, terminalStage: stageOrder[stageOrder.length - 1] };
}

/** The node's ancestors below the root, nearest first. */
export function ancestorsOf(graph: GraphIndex, id: string): GraphNode[] {
  const result: GraphNode[] = [];
  let parent = graph.nodes.get(id)?.parent;
  while (parent && parent !== graph.root) {
    result.push(parent);
    parent = graph.nodes.get(parent.id)?.parent;
  }
  return result;
}

/** The top-level final state the run ends in when it does not complete. */
export function haltedNode(graph: GraphIndex): GraphNode | undefined {
  return graph.root.children.find((child) => child.key === 'halted' && child.type === 'final')
    ?? graph.root.children.find((child) => child.key === 'halted');
}

/** A group state's display name: `PARALLEL_GROUP:post_spec_review` → `post_spec_review`. */
export const groupName = (node: GraphNode): string => (node.key.startsWith(GROUP_PREFIX) ? node.key.slice(GROUP_PREFIX.length) : node.key);

/** The parallel state of a group, by the group's id. */
export function groupNode(graph: GraphIndex, group: string): GraphNode | undefined {
  return graph.root.children.find((child) => child.type === 'parallel' && groupName(child) === group);
}

/** A transition with its short label ("approved", "rejected, out of iterations"), or its event when the server gave none. */
export interface LabelledTransition {
  readonly transition: GraphTransition;
  readonly label: string;
}

/** The state's transitions with the labels the server adds to /api/graph (the words of `teambot graph`). */
export function labelTransitions(node: GraphNode): LabelledTransition[] {
  return (node.transitions ?? []).map((transition) => ({ transition, label: transition.label ?? transition.event }));
}

/** Merges labels of transitions that share a target: target id → labels. */
export function labelsByTarget(labelled: readonly LabelledTransition[]): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const { transition, label } of labelled) {
    for (const target of transition.target) {
      const labels = byTarget.get(target) ?? [];
      if (!labels.includes(label)) labels.push(label);
      byTarget.set(target, labels);
    }
  }
  return byTarget;
}

/** A target's name as read from inside `scope`: `done` within the stage, `halted` from anywhere. */
export function shortName(graph: GraphIndex, id: string, scope?: GraphNode): string {
  if (scope && id.startsWith(`${scope.id}.`)) return id.slice(scope.id.length + 1);
  const rootPrefix = `${graph.root.id}.`;
  return id.startsWith(rootPrefix) ? id.slice(rootPrefix.length) : id;
}

/** Every transition in the graph that targets `node`, with its source. */
export function incomingTransitions(graph: GraphIndex, node: GraphNode): { from: GraphNode; label: string }[] {
  const result: { from: GraphNode; label: string }[] = [];
  for (const { node: from } of graph.nodes.values()) {
    for (const { transition, label } of labelTransitions(from)) {
      if (transition.target.includes(node.id)) result.push({ from, label });
    }
  }
  return result;
}

/** The stage a state belongs to (itself, or its nearest stage ancestor). */
export function stageOf(graph: GraphIndex, node: GraphNode): GraphNode | undefined {
  if (graph.stageNodes.get(node.key) === node) return node;
  return ancestorsOf(graph, node.id).find((ancestor) => graph.stageNodes.get(ancestor.key) === ancestor);
}

/** Group ids: those /api/run names, and any the graph has that it does not. */
export function groupIds(graph: GraphIndex, runGroups: Readonly<Record<string, unknown>>): string[] {
  const fromGraph = graph.root.children.filter((child) => child.type === 'parallel').map(groupName);
  return [...new Set([...Object.keys(runGroups), ...fromGraph])];
}

/** Each group's stages, by id: as /api/run names them, else the regions of the group's state. */
export function groupStages(graph: GraphIndex, runGroups: Readonly<Record<string, readonly string[]>>): Record<string, readonly string[]> {
  return Object.fromEntries(groupIds(graph, runGroups).map((group) => [
    group, runGroups[group] ?? groupNode(graph, group)?.children.map((child) => child.key) ?? [],
  ]));
}

/**
 * The kinds the statechart shows: a stage with a `review` state is a review
 * loop, one with a `fix` state an acceptance test stage; a final state with
 * no agent is the terminal stage. Stages it does not place are left out.
 */
export function stageKinds(graph: GraphIndex): Record<string, StageKind> {
  const kinds: Record<string, StageKind> = {};
  for (const [stage, node] of graph.stageNodes) {
    const keys = new Set(node.children.map((child) => child.key));
    if (keys.has('review')) kinds[stage] = 'review';
    else if (keys.has('fix')) kinds[stage] = 'acceptance_test';
    else if (node.type === 'final') kinds[stage] = 'terminal';
  }
  return kinds;
}
