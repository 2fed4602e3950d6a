import type { AnyStateNode, AnyTransitionDefinition, UnknownAction } from 'xstate';

/** One transition of a state node, as XState resolved it. */
export interface StatechartTransition {
  /**
   * The event type exactly as XState names it: `''` for an eventless (`always`)
   * transition, `xstate.done.actor.<invoke id>` / `xstate.error.actor.<invoke id>`
   * for an invoke's onDone / onError, `xstate.done.state.<state id>` for a state's
   * onDone, otherwise the event the machine declared (`GROUP.ABORT`).
   */
  readonly event: string;
  /** Ids of the target state nodes (`StatechartNode.id`); empty for a targetless transition. */
  readonly target: readonly string[];
  /** The guard's name (`reviewApproved`), when the transition has one. */
  readonly guard?: string;
  /** The names of the actions the transition runs, in order. */
  readonly actions: readonly string[];
}

/**
 * A state node of a compiled machine as plain JSON: the one description of the
 * workflow's shape that every renderer (mermaid, dot, the browser inspector)
 * draws from, so they can never disagree with the machine that runs.
 */
export interface StatechartNode {
  /** The unique id (`teambot.SPEC_REVIEW.work`); transition targets refer to it. */
  readonly id: string;
  /** The key in the parent's `states` (`work`); the machine's own id for the root. */
  readonly key: string;
  readonly type: AnyStateNode['type'];
  readonly description?: string;
  /** The key of the child entered first (compound states only). */
  readonly initial?: string;
  /** The actor logic invoked while in this state, by name (`stageAgent`). */
  readonly invokes: readonly string[];
  /** Eventless transitions first (XState takes them first), then the rest in the machine's order. */
  readonly transitions: readonly StatechartTransition[];
  /** Child states in document order; regions, for a parallel state. */
  readonly children: readonly StatechartNode[];
}

/**
 * Describes a machine's statechart as plain, deterministic JSON, walking the
 * state nodes XState built (so it shows what runs, not what a config meant).
 *
 * @example
 * const graph = statechartGraph(compileWorkflow(config));
 * graph.children.map((child) => child.key); // ['SETUP', …, 'PARALLEL_GROUP:post_spec_review', …, 'halted']
 */
// Only the root is read, so any machine fits (a compiled workflow's generated state types do not match AnyStateMachine).
export function statechartGraph(machine: { readonly root: AnyStateNode }): StatechartNode {
  return describeNode(machine.root);
}

function describeNode(node: AnyStateNode): StatechartNode {
  const children = Object.values(node.states as Record<string, AnyStateNode>).sort((a, b) => a.order - b.order);
  const initial = node.type === 'compound' ? node.initial.target[0]?.key : undefined;
  return {
    id: node.id,
    key: node.key,
    type: node.type,
    ...(node.description !== undefined ? { description: node.description } : {}),
    ...(initial !== undefined ? { initial } : {}),
    invokes: node.invoke.map((definition) => (typeof definition.src === 'string' ? definition.src : definition.id)),
    transitions: [...(node.always ?? []), ...[...node.transitions.values()].flat()].map(describeTransition),
    children: children.map(describeNode),
  };
}

function describeTransition(transition: AnyTransitionDefinition): StatechartTransition {
  const guard = transition.guard === undefined ? undefined : nameOf(transition.guard, 'inline guard');
  return {
    event: transition.eventType,
    target: (transition.target ?? []).map((target) => target.id),
    ...(guard !== undefined ? { guard } : {}),
    actions: transition.actions.map((action: UnknownAction) => nameOf(action, 'inline action')),
  };
}

/** The name of a referenced guard or action: a string, `{ type }`, or a function's own type/name. */
function nameOf(reference: unknown, fallback: string): string {
  if (typeof reference === 'string') return reference;
  if (typeof reference === 'function' || (typeof reference === 'object' && reference !== null)) {
    const { type, name } = reference as { type?: unknown; name?: unknown };
    if (typeof type === 'string' && type) return type;
    if (typeof name === 'string' && name) return name;
  }
  return fallback;
}
