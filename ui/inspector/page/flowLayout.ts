// Where a stage's inner states and the arrows between them go: the working
// states in a row (check → work ⇄ review), then the final states stacked in a
// column. Pure: the drawing is in graphView.ts and arcsView.ts.
import { labelsByTarget, labelTransitions } from './graphIndex.js';
import type { GraphNode } from './model.js';

/** Vertical room per arc level, in px. */
export const ARC_STEP = 16;

/** An arrow from the row's last state into the final column. */
export interface Fan { readonly from: string; readonly to: string; readonly labels: readonly string[] }
/** An arrow over (forward) or under (back) the row, skipping states. */
export interface Arc {
  readonly from: number; readonly to: number; readonly fromId: string; readonly toId: string; readonly labels: readonly string[];
}
export interface PlacedArc extends Arc { readonly under: boolean; readonly level: number }

/** A stage's inner states laid out, with the arrows between them sorted by how they are drawn. */
export interface FlowPlan {
  readonly row: readonly GraphNode[];
  readonly column: readonly GraphNode[];
  /** `${from}>${to}` (row positions) → labels, for neighbours in the row. */
  readonly adjacent: ReadonlyMap<string, readonly string[]>;
  readonly fans: readonly Fan[];
  readonly arcs: readonly PlacedArc[];
}

/** Plans the inner states of `node`; transitions that leave the stage are left to its "exits". */
export function planFlow(node: GraphNode): FlowPlan {
  const children = node.children;
  const finals = children.filter((child) => child.type === 'final');
  const split = finals.length > 0 && finals.length < children.length;
  const row = split ? children.filter((child) => child.type !== 'final') : children;
  const column = split ? finals : [];
  // Where each state sits left to right: the final column counts as one place after the row.
  const place = new Map(row.map((child, position) => [child.id, position]));
  for (const child of column) place.set(child.id, row.length);

  const adjacent = new Map<string, string[]>();
  const fans: Fan[] = [];
  const arcs: Arc[] = [];
  for (const child of children) {
    const from = place.get(child.id) ?? 0;
    for (const [target, labels] of labelsByTarget(labelTransitions(child))) {
      const to = place.get(target);
      if (to === undefined || target === child.id) continue;
      const intoColumn = column.some((final) => final.id === target);
      if (intoColumn && from === row.length - 1) fans.push({ from: child.id, to: target, labels });
      else if (!intoColumn && Math.abs(to - from) === 1) adjacent.set(`${from}>${to}`, labels);
      else arcs.push({ from, to, fromId: child.id, toId: target, labels });
    }
  }
  return { row, column, adjacent, fans, arcs: placeArcs(arcs) };
}

/**
 * Stacks arcs so one spanning another goes over it: shortest first, each one
 * level above the highest it overlaps. Back arcs go under the row.
 */
export function placeArcs(arcs: readonly Arc[]): PlacedArc[] {
  const placed: PlacedArc[] = [];
  for (const arc of [...arcs].sort((a, b) => Math.abs(a.to - a.from) - Math.abs(b.to - b.from))) {
    const under = arc.to < arc.from;
    const [low, high] = [Math.min(arc.from, arc.to), Math.max(arc.from, arc.to)];
    const overlapping = placed.filter((other) => other.under === under
      && Math.min(other.from, other.to) <= high && Math.max(other.from, other.to) >= low);
    placed.push({ ...arc, under, level: 1 + Math.max(0, ...overlapping.map((other) => other.level)) });
  }
  return placed;
}
