import type { StatechartNode } from '../../machines/workflow/statechartGraph.js';
import { labelTransitions, pathsById, addEdge, type Edge } from './graphLabels.js';

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
