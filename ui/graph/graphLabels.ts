import type { StatechartNode, StatechartTransition } from '../../machines/workflow/statechartGraph.js';

/**
 * What the workflow's guards mean in a diagram. `otherwise` labels the
 * transitions after a guarded one for the same event (the guard was false):
 * review.done is "approved", then "rejected", then "rejected, out of iterations".
 */
export const GUARD_LABELS: Readonly<Record<string, { readonly when: string; readonly otherwise?: string }>> = {
  stageCompleted: { when: 'already completed' },
  stageSkipped: { when: 'skipped' },
  acceptanceNotPassed: { when: 'acceptance not passed' },
  reviewApproved: { when: 'approved', otherwise: 'rejected' },
  acceptanceRunPassed: { when: 'passed', otherwise: 'failed' },
  iterationsLeft: { when: '', otherwise: 'out of iterations' },
  groupSucceeded: { when: 'all done', otherwise: 'failed' },
  groupSlotFree: { when: 'a slot of the group is free' },
  stageMerged: { when: 'already merged' },
};

/**
 * What each of the workflow's actions does, in a reader's words: the inspector
 * shows these, never the names the machine refers to them by. Every action of
 * machines/workflow/workflowSetup.ts needs its phrase (test/ui/graph/graphWords.test.ts).
 */
export const ACTION_WORDS: Readonly<Record<string, string>> = {
  storeWorktrees: "keeps the group's worktrees",
  recordMerged: "records that the stage's changes are in the project",
  emitMerged: 'logs the files the merge changed',
  stopRunForIsolation: 'stops the run: the worktrees could not be made or merged',
  markRunning: 'marks the stage running',
  emitStarted: 'logs that the stage started',
  storeOutput: "keeps the stage's output",
  emitCompleted: 'logs that the stage completed',
  markFailed: 'marks the stage failed',
  emitFailed: 'logs the failure',
  markSkipped: 'skips the stage',
  emitSkipped: 'logs the skip',
  markAborted: 'marks the stage aborted',
  emitAborted: 'logs that the stage was aborted',
  abortGroup: "stops the group's other stages",
  stopRun: 'stops the run',
  stopRunWithStageError: "stops the run with the stage's error",
  stopRunForGroup: "stops the run with the group's failures",
  completeRun: 'completes the run',
  enterGroup: 'starts the group (unless an earlier session completed it)',
  emitGroupStarted: 'logs that the group started',
  emitGroupCompleted: 'logs that the group completed',
  emitGroupFailed: 'logs that the group failed',
  recordReview: "records the reviewer's verdict",
  emitReviewIteration: 'logs the review round',
  storeWorkOutput: 'keeps the work for the reviewer',
  nextIteration: 'counts the next iteration',
  recordAcceptance: 'records the acceptance results',
  emitAcceptanceIteration: 'logs the acceptance round',
};

/** What each actor a state invokes does, in a reader's words. */
export const ACTOR_WORDS: Readonly<Record<string, string>> = {
  stageAgent: "runs the stage's agent",
  isolation: 'makes, merges or removes the git worktrees of an isolated group',
};

/** State descriptions the machine writes for its own readers, said for the inspector's. */
const DESCRIPTION_WORDS: Readonly<Record<string, string>> = {
  halted: 'The run stopped before completing: a stage or a parallel group failed, it was cancelled, or it ran out of time. The run\'s error says why.',
};

/** An action's phrase; one the map lacks reads as its name split into words. */
export const actionWords = (action: string): string => ACTION_WORDS[action] ?? words(action);

/** An invoked actor's phrase; one the map lacks reads as its name split into words. */
export const actorWords = (actor: string): string => ACTOR_WORDS[actor] ?? words(actor);

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

/** A state as the inspector page draws it: transitions with labels and what they do in words, actors and descriptions in words. */
export interface ReadableNode extends Omit<StatechartNode, 'transitions' | 'children'> {
  /** What each invoked actor does (`invokes` keeps their names). */
  readonly runs: readonly string[];
  readonly transitions: readonly (StatechartTransition & { readonly label: string; readonly does: readonly string[] })[];
  readonly children: readonly ReadableNode[];
}

/**
 * The statechart with every transition's label and the words for what it does,
 * as the inspector page draws it: the page shows these words, never the
 * machine's action, guard or actor names.
 *
 * @example
 * withTransitionLabels(graph).children[0]?.transitions[0]?.does // ['skips the stage', 'logs the skip']
 */
export function withTransitionLabels(node: StatechartNode): ReadableNode {
  const description = DESCRIPTION_WORDS[node.key] !== undefined && node.type === 'final' ? DESCRIPTION_WORDS[node.key] : node.description;
  return {
    ...node,
    ...(description !== undefined ? { description } : {}),
    runs: node.invokes.map(actorWords),
    transitions: labelTransitions(node).map(({ transition, label }) => ({ ...transition, label, does: transition.actions.map(actionWords) })),
    children: node.children.map(withTransitionLabels),
  };
}

/** The machine's own events, in words. */
const EVENT_WORDS: Readonly<Record<string, string>> = {
  'GROUP.ABORT': 'group stopped',
};

function eventLabel(event: string): string {
  if (event === '') return 'start';
  if (EVENT_WORDS[event] !== undefined) return EVENT_WORDS[event];
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
