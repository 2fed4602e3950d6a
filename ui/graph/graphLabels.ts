import type { StatechartNode, StatechartTransition } from '../../machines/workflow/statechartGraph.js';

/**
 * What the workflow's guards mean in a diagram. `otherwise` labels the
 * transitions after a guarded one for the same event (the guard was false):
 * review.done is "approved", then "rejected", then "rejected, out of iterations".
 */
const GUARD_LABELS: Readonly<Record<string, { readonly when: string; readonly otherwise?: string }>> = {
  stageCompleted: { when: 'already completed' },
  stageSkipped: { when: 'skipped' },
  acceptanceNotPassed: { when: 'acceptance not passed' },
  reviewApproved: { when: 'approved', otherwise: 'rejected' },
  acceptanceRunPassed: { when: 'passed', otherwise: 'failed' },
  iterationsLeft: { when: '', otherwise: 'out of iterations' },
  groupSucceeded: { when: 'all done', otherwise: 'failed' },
};

export interface LabelledTransition {
  readonly transition: StatechartTransition;
  readonly label: string;
}

/**
 * Short, readable labels for a state's transitions, from their events and guards.
 *
 * @example
 * labelTransitions(reviewState).map(({ label }) => label); // ['approved', 'rejected', 'rejected, out of iterations', 'error']
 */
export function labelTransitions(node: StatechartNode): LabelledTransition[] {
  const negatedSoFar = new Map<string, string[]>();
  return node.transitions.map((transition) => {
    const earlier = negatedSoFar.get(transition.event) ?? [];
    const guard = transition.guard === undefined
      ? undefined
      : GUARD_LABELS[transition.guard] ?? { when: words(transition.guard), otherwise: `not ${words(transition.guard)}` };
    if (guard?.otherwise) negatedSoFar.set(transition.event, [...earlier, guard.otherwise]);
    const parts = guard?.when ? [...earlier, guard.when] : earlier;
    return { transition, label: parts.length > 0 ? parts.join(', ') : eventLabel(transition.event) };
  });
}

/** The statechart with every transition's label, as the inspector page draws it. */
export function withTransitionLabels(node: StatechartNode): StatechartNode & { transitions: (StatechartTransition & { label: string })[] } {
  return {
    ...node,
    transitions: labelTransitions(node).map(({ transition, label }) => ({ ...transition, label })),
    children: node.children.map(withTransitionLabels),
  };
}

function eventLabel(event: string): string {
  if (event === '') return 'start';
  if (event.startsWith('xstate.done.')) return 'done';
  if (event.startsWith('xstate.error.')) return 'error';
  if (event.startsWith('xstate.snapshot.')) return 'snapshot';
  if (event.startsWith('xstate.after.')) {
    const delay = event.split('.')[2] ?? '';
    return /^\d+$/.test(delay) ? `after ${delay} ms` : `after ${delay}`;
  }
  return event;
}

/** `acceptanceNotPassed` → `acceptance not passed`. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

// ── Tree helpers ─────────────────────────────────────────────────────────────

/** Every node by id, with its path from the root (root first, the node last). */
export function pathsById(root: StatechartNode): Map<string, StatechartNode[]> {
  const paths = new Map<string, StatechartNode[]>();
  const visit = (node: StatechartNode, above: StatechartNode[]) => {
    const path = [...above, node];
    paths.set(node.id, path);
    for (const child of node.children) visit(child, path);
  };
  visit(root, []);
  return paths;
}

export interface Edge {
  readonly from: StatechartNode;
  readonly to: StatechartNode;
  readonly labels: string[];
}

/** Adds a labelled edge, merging the labels of edges that join the same two nodes. */
export function addEdge(edges: Map<string, Edge>, from: StatechartNode, to: StatechartNode, label: string): void {
  const key = `${from.id}\u0000${to.id}`;
  const edge = edges.get(key) ?? { from, to, labels: [] };
  if (!edge.labels.includes(label)) edge.labels.push(label);
  edges.set(key, edge);
}
