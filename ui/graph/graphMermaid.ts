import type { StatechartNode } from '../../machines/workflow/statechartGraph.js';
import { labelTransitions, pathsById, addEdge, type Edge } from './graphLabels.js';

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
