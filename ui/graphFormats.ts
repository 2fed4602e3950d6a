import type { StatechartNode, StatechartTransition } from '../machines/statechartGraph.js';

export type GraphFormat = 'mermaid' | 'dot' | 'json';

/**
 * Renders a statechart in the format asked for: `teambot graph --format`.
 *
 * @example
 * process.stdout.write(renderGraph(statechartGraph(machine), 'mermaid'));
 */
export function renderGraph(root: StatechartNode, format: GraphFormat): string {
  if (format === 'dot') return toDot(root);
  if (format === 'json') return toJson(root);
  return toMermaid(root);
}

/**
 * The statechart as pretty-printed JSON, exactly as `statechartGraph` describes it.
 *
 * @example
 * JSON.parse(toJson(graph)).children[0].key; // 'SETUP'
 */
export function toJson(root: StatechartNode): string {
  return `${JSON.stringify(root, null, 2)}\n`;
}

// ── Labels ───────────────────────────────────────────────────────────────────

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

interface LabelledTransition {
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
function pathsById(root: StatechartNode): Map<string, StatechartNode[]> {
  const paths = new Map<string, StatechartNode[]>();
  const visit = (node: StatechartNode, above: StatechartNode[]) => {
    const path = [...above, node];
    paths.set(node.id, path);
    for (const child of node.children) visit(child, path);
  };
  visit(root, []);
  return paths;
}

interface Edge {
  readonly from: StatechartNode;
  readonly to: StatechartNode;
  readonly labels: string[];
}

/** Adds a labelled edge, merging the labels of edges that join the same two nodes. */
function addEdge(edges: Map<string, Edge>, from: StatechartNode, to: StatechartNode, label: string): void {
  const key = `${from.id}\u0000${to.id}`;
  const edge = edges.get(key) ?? { from, to, labels: [] };
  if (!edge.labels.includes(label)) edge.labels.push(label);
  edges.set(key, edge);
}

// ── Mermaid ──────────────────────────────────────────────────────────────────

/**
 * The statechart as a mermaid `stateDiagram-v2`: compound states as composite
 * states, a parallel state's regions separated by `--` (drawn side by side),
 * `[*]` for initial and final states.
 *
 * Mermaid cannot draw an edge out of a composite state, so a transition is
 * drawn between the two states that contain its source and its target just
 * below their common ancestor: a review's "error → halted" becomes
 * `SPEC_REVIEW --> halted : error`.
 *
 * @example
 * toMermaid(statechartGraph(machine)).split('\n')[0]; // 'stateDiagram-v2'
 */
export function toMermaid(root: StatechartNode): string {
  const ids = mermaidIds(root);
  const edgesByParent = liftedEdges(root);
  const body = (node: StatechartNode, indent: string): string[] => {
    const edges = [...(edgesByParent.get(node.id)?.values() ?? [])];
    const edgeLines = (from: StatechartNode) => edges.filter((edge) => edge.from === from)
      .map((edge) => `${indent}${ids.get(edge.from.id)} --> ${ids.get(edge.to.id)} : ${mermaidText(edge.labels.join(' / '))}`);
    const lines: string[] = [];
    if (node.type === 'parallel') {
      node.children.forEach((region, index) => {
        if (index > 0) lines.push(`${indent}--`);
        lines.push(...declaration(region, indent), ...edgeLines(region));
      });
      return lines;
    }
    // Aliased simple states (`state "done" as SPEC_done`) come first, so every edge names a declared state.
    const aliased = (child: StatechartNode) => child.children.length === 0 && ids.get(child.id) !== child.key;
    for (const child of node.children.filter(aliased)) lines.push(...declaration(child, indent));
    const initial = node.children.find((child) => child.key === node.initial);
    if (initial) lines.push(`${indent}[*] --> ${ids.get(initial.id)}`);
    for (const child of node.children) {
      if (!aliased(child)) lines.push(...declaration(child, indent));
      lines.push(...edgeLines(child));
      if (child.type === 'final') lines.push(`${indent}${ids.get(child.id)} --> [*]`);
    }
    return lines;
  };
  const declaration = (node: StatechartNode, indent: string): string[] => {
    const id = ids.get(node.id)!;
    const label = node.key.replace(/"/g, "'").replace(/\s+/g, ' ');
    const name = label === id ? id : `"${label}" as ${id}`;
    if (node.children.length === 0) return [label === id ? `${indent}${id}` : `${indent}state ${name}`];
    return [`${indent}state ${name} {`, ...body(node, `${indent}  `), `${indent}}`];
  };
  // Mermaid allows `--` only inside a composite state, so a parallel root is drawn as one.
  const top = root.type === 'parallel' ? [`  [*] --> ${ids.get(root.id)}`, ...declaration(root, '  ')] : body(root, '  ');
  return `${['stateDiagram-v2', ...top].join('\n')}\n`;
}

/**
 * Mermaid ids are global and allow only letters, digits and `_`, so each state
 * gets the shortest end of its path that no other state shares: `SPEC_REVIEW`,
 * `PARALLEL_GROUP_post_spec_review`, `RESEARCH`, `SPEC_REVIEW_check`, `RESEARCH_running`.
 */
function mermaidIds(root: StatechartNode): Map<string, string> {
  const safe = (keys: readonly StatechartNode[]) => {
    const id = keys.map((node) => node.key).join('_').replace(/[^A-Za-z0-9_]/g, '_');
    // The mermaid lexer reads a leading "default" as a keyword.
    return /^[A-Za-z_]/.test(id) && !/^default/i.test(id) ? id : `s_${id}`;
  };
  const paths = [...pathsById(root).values()].map((path) => (path.length > 1 ? path.slice(1) : path));
  const candidates = paths.map((path) => path.map((_, index) => safe(path.slice(path.length - 1 - index))));
  const counts = new Map<string, number>();
  for (const candidate of new Set(candidates.flat())) counts.set(candidate, 0);
  for (const list of candidates) for (const candidate of new Set(list)) counts.set(candidate, counts.get(candidate)! + 1);
  const ids = new Map<string, string>();
  const used = new Set<string>();
  paths.forEach((path, index) => {
    const list = candidates[index]!;
    // A nested simple state always names its parent too (`ACCEPTANCE_TEST_run`, never a bare `run`).
    const shortest = path.length > 1 && path.at(-1)!.children.length === 0 ? 1 : 0;
    const base = list.slice(shortest).find((candidate) => counts.get(candidate) === 1) ?? list.at(-1)!;
    let id = base;
    for (let suffix = 2; used.has(id); suffix += 1) id = `${base}_${suffix}`;
    used.add(id);
    ids.set(path.at(-1)!.id, id);
  });
  return ids;
}

/** Transitions lifted to siblings under their source's and target's common ancestor, by that ancestor's id. */
function liftedEdges(root: StatechartNode): Map<string, Map<string, Edge>> {
  const paths = pathsById(root);
  const byParent = new Map<string, Map<string, Edge>>();
  for (const [, sourcePath] of paths) {
    for (const { transition, label } of labelTransitions(sourcePath.at(-1)!)) {
      for (const targetId of transition.target) {
        const targetPath = paths.get(targetId);
        // The root cannot be drawn as a state of its own diagram.
        if (!targetPath || sourcePath.length < 2 || targetPath.length < 2) continue;
        let common = 0;
        while (common + 1 < sourcePath.length - 1 && common + 1 < targetPath.length - 1
          && sourcePath[common + 1] === targetPath[common + 1]) common += 1;
        const parent = sourcePath[common]!;
        const edges = byParent.get(parent.id) ?? new Map<string, Edge>();
        addEdge(edges, sourcePath[common + 1]!, targetPath[common + 1]!, label);
        byParent.set(parent.id, edges);
      }
    }
  }
  return byParent;
}

/** Mermaid ends a label at `:`, `;` or `#`, and a state name at `"`. */
function mermaidText(text: string): string {
  return text.replace(/[:;#\n]/g, ' ').replace(/\s+/g, ' ').trim();
}

// ── Graphviz DOT ─────────────────────────────────────────────────────────────

/**
 * The statechart as a Graphviz digraph: a cluster per compound state (each
 * region of a parallel state is one, inside a dashed cluster for the parallel
 * state), a point for each initial state, double borders for final states,
 * and every transition from the state that takes it, labelled. Every id is
 * quoted, so `PARALLEL_GROUP:…` is a valid id.
 *
 * @example
 * toDot(statechartGraph(machine)); // 'digraph "teambot" {\n  compound=true; …'
 */
export function toDot(root: StatechartNode): string {
  const paths = pathsById(root);
  const start = (node: StatechartNode) => `${node.id}.[*]`;
  const isContainer = (node: StatechartNode) => node.children.length > 0;
  // A container is entered at its initial point (a parallel state at its first region's) and left from its first final state.
  const entry = (node: StatechartNode): string =>
    node.type === 'parallel' && node.children[0] ? entry(node.children[0]) : isContainer(node) ? start(node) : node.id;
  const exit = (node: StatechartNode): string => {
    if (!isContainer(node)) return node.id;
    const final = node.children.find((child) => child.type === 'final') ?? node.children[0]!;
    return exit(final);
  };
  const within = (node: StatechartNode, container: StatechartNode) => paths.get(node.id)?.includes(container) ?? false;

  const lines = [`digraph ${dotId(root.id)} {`, '  compound=true;', '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];', `  ${dotId(start(root))} [shape=point, width=0.12, label=""];`];
  const declare = (node: StatechartNode, indent: string) => {
    if (isContainer(node)) {
      lines.push(`${indent}subgraph ${dotId(`cluster_${node.id}`)} {`);
      lines.push(`${indent}  label=${dotId(node.type === 'parallel' ? `${node.key} (parallel)` : node.key)};`);
      lines.push(`${indent}  style=${node.type === 'parallel' ? 'dashed' : 'rounded'};`);
      if (node.description) lines.push(`${indent}  tooltip=${dotId(node.description.trim())};`);
      if (node.type !== 'parallel') lines.push(`${indent}  ${dotId(start(node))} [shape=point, width=0.12, label=""];`);
      for (const child of node.children) declare(child, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    const attributes = [`label=${dotId([node.key, ...node.invokes.map((src) => `invoke ${src}`)].join('\n'))}`];
    if (node.type === 'final') attributes.push('peripheries=2');
    if (node.description) attributes.push(`tooltip=${dotId(node.description.trim())}`);
    lines.push(`${indent}${dotId(node.id)} [${attributes.join(', ')}];`);
  };
  for (const child of root.children) declare(child, '  ');

  // Edges come last, at the top level: an edge inside a cluster would pull its nodes into it.
  const edgeLine = (tail: string, head: string, attributes: string[]) =>
    `  ${dotId(tail)} -> ${dotId(head)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`;
  const edges = new Map<string, Edge>();
  for (const path of paths.values()) {
    const node = path.at(-1)!;
    const initial = node.children.find((child) => child.key === node.initial);
    if (initial) lines.push(edgeLine(start(node), entry(initial), isContainer(initial) ? [`lhead=${dotId(`cluster_${initial.id}`)}`] : []));
    for (const { transition, label } of labelTransitions(node)) {
      for (const targetId of transition.target) {
        const target = paths.get(targetId)?.at(-1);
        if (target) addEdge(edges, node, target, label);
      }
    }
  }
  for (const { from, to, labels } of edges.values()) {
    const attributes = [`label=${dotId(labels.join(' / '))}`];
    if (isContainer(from) && !within(to, from)) attributes.push(`ltail=${dotId(`cluster_${from.id}`)}`);
    if (isContainer(to) && !within(from, to)) attributes.push(`lhead=${dotId(`cluster_${to.id}`)}`);
    lines.push(edgeLine(exit(from), entry(to), attributes));
  }
  return `${[...lines, '}'].join('\n')}\n`;
}

/** A DOT quoted id: any text, with `"` and `\` escaped and newlines as `\n`. */
function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
