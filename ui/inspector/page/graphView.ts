/// <reference lib="dom" />
// Draws the statechart as nested HTML boxes: the top-level states top to
// bottom in document order (the backbone), joined by labelled arrows; a
// parallel state's regions side by side inside the group box; in each stage
// its inner states as chips. HTML keeps text crisp and wraps to any width;
// SVG is used only for the curved arrows, once the chips are laid out (arcsView.ts).
import { flowEdges } from './arcsView.js';
import { addTo, el, type Child } from './dom.js';
import { ARC_STEP, planFlow } from './flowLayout.js';
import {
  groupName, haltedNode, incomingTransitions, labelsByTarget, labelTransitions, shortName, stageOf, type GraphIndex,
} from './graphIndex.js';
import type { GraphNode } from './model.js';

/** node id → the element that draws it (a box or a chip). */
export type StateElements = Map<string, Element>;

/** Draws the whole chart; `elements` is filled in with what draws each state. */
export function drawChart(graph: GraphIndex, elements: StateElements): HTMLElement {
  const draw = new ChartDrawing(graph, elements);
  return draw.chart();
}

class ChartDrawing {
  constructor(private readonly graph: GraphIndex, private readonly elements: StateElements) {}

  private remember<E extends HTMLElement>(node: GraphNode, element: E): E {
    this.elements.set(node.id, element);
    element.dataset.stateId = node.id;
    return element;
  }

  chart(): HTMLElement {
    const root = this.graph.root;
    const chart = this.remember(root, el('div', { class: 'chart', role: 'list', 'aria-label': root.description ?? root.id }));
    root.children.forEach((child, index) => {
      const previous = root.children[index - 1];
      if (previous) chart.append(this.backboneLink(previous, child));
      chart.append(this.topLevel(child));
    });
    return chart;
  }

  /** The arrow between two consecutive top-level states, if one leads to the other. */
  private backboneLink(from: GraphNode, to: GraphNode): HTMLElement {
    const labels = labelsByTarget(labelTransitions(from)).get(to.id);
    if (!labels) return el('div', { class: 'backbone-gap', 'aria-hidden': 'true' });
    return el('div', { class: 'backbone-link', 'aria-hidden': 'true' },
      el('span', { class: 'backbone-arrow' }), el('span', { class: 'backbone-label' }, labels.join(' · ')));
  }

  private topLevel(node: GraphNode): HTMLElement {
    if (node.type === 'parallel') return this.group(node);
    if (node.type === 'final' || node.children.length === 0) return this.finalState(node);
    return this.stage(node, true);
  }

  /** The stage name a node draws, when it is a stage's node. */
  private stageName(node: GraphNode): string | undefined {
    return this.graph.stageNodes.get(node.key) === node ? node.key : undefined;
  }

  /** A stage (or any compound state): header, its inner states, where it can leave to. */
  private stage(node: GraphNode, topLevel: boolean): HTMLElement {
    const stage = this.stageName(node);
    const box = this.remember(node, el('section', {
      class: `state stage ${topLevel ? 'top' : 'region'}`,
      role: topLevel ? 'listitem' : undefined,
      'data-stage': stage,
      'data-status': stage ? 'pending' : undefined,
      'aria-label': node.key,
    }));
    return addTo(box,
      this.stageHead(node, stage, topLevel ? 'h3' : 'h4', stageKind(node)),
      description(node),
      this.flow(node),
      this.exits(node, topLevel),
      this.transitionDetails(node),
    );
  }

  private stageHead(node: GraphNode, stage: string | undefined, heading: 'h3' | 'h4', kind: string): HTMLElement {
    return el('header', { class: 'state-head' },
      el(heading, { class: 'state-name' }, node.key),
      kind ? el('span', { class: 'kind' }, kind) : null,
      stage ? el('span', { class: 'badge', 'data-role': 'badge' }, 'pending') : null,
      el('span', { class: 'meta', 'data-role': 'meta' }),
      el('span', { class: 'duration mono', 'data-role': 'duration' }),
    );
  }

  /**
   * The inner states (see flowLayout.ts). Arrows between neighbours in the
   * row are HTML (a loop reads as ⇄); the fan into the final column and the
   * arcs that skip a state are SVG, drawn once the chips are laid out.
   */
  private flow(node: GraphNode): HTMLElement {
    const plan = planFlow(node);
    const line = el('div', { class: 'flow-row' });
    plan.row.forEach((child, position) => {
      if (position > 0) line.append(link(plan.adjacent.get(`${position - 1}>${position}`), plan.adjacent.get(`${position}>${position - 1}`)));
      line.append(this.chip(child, node));
    });
    if (plan.column.length > 0) {
      // Room for the fan's labels, which sit just before the final states.
      const longest = Math.max(0, ...plan.fans.map((fan) => fan.labels.join(' · ').length));
      const space = el('span', { class: 'fan-space' });
      space.style.width = `${plan.fans.length === 0 ? 24 : Math.min(150, Math.max(40, longest * 6.2 + 26))}px`;
      line.append(space, el('span', { class: 'finals' }, plan.column.map((child) => this.chip(child, node))));
    }
    const flow = el('div', { class: 'flow' }, line);
    flowEdges.set(flow, { fans: plan.fans, arcs: plan.arcs });
    const above = Math.max(0, ...plan.arcs.filter((arc) => !arc.under).map((arc) => arc.level));
    const below = Math.max(0, ...plan.arcs.filter((arc) => arc.under).map((arc) => arc.level));
    // Room for the arcs and the labels on top of them.
    flow.style.paddingTop = `${above > 0 ? 14 + above * ARC_STEP : 4}px`;
    flow.style.paddingBottom = `${below > 0 ? 14 + below * ARC_STEP : 4}px`;
    return flow;
  }

  private chip(child: GraphNode, scope: GraphNode): HTMLElement {
    const transitions = labelTransitions(child)
      .map(({ transition, label }) => `${label} → ${transition.target.map((id) => shortName(this.graph, id, scope)).join(', ') || '(stays)'}`);
    const title = [
      child.type === 'final' ? `${child.key} (final)` : child.key,
      ...(child.runs ?? []),
      ...transitions,
    ].filter(Boolean).join('\n');
    const chip = el('span', { class: `chip chip-${child.type}`, 'data-key': child.key, title, tabindex: '0' }, child.key);
    if (child.key === scope.initial) chip.classList.add('initial');
    if (child.invokes.length > 0) chip.append(el('span', { class: 'invoke-dot', 'aria-hidden': 'true' }));
    return this.remember(child, chip);
  }

  /**
   * Where a state can go outside itself, grouped by target: "→ halted: error ·
   * rejected, out of iterations". The top-level state's own arrow to the next
   * one is already drawn on the backbone, so it is left out here.
   */
  private exits(node: GraphNode, topLevel: boolean): HTMLElement | null {
    const parent = this.graph.nodes.get(node.id)?.parent;
    const next = topLevel && parent ? parent.children[parent.children.indexOf(node) + 1] : undefined;
    const exits = new Map<string, string[]>();
    const add = (target: string, labels: readonly string[]) => {
      if (target === node.id || target.startsWith(`${node.id}.`) || target === next?.id) return;
      const known = exits.get(target) ?? [];
      for (const label of labels) if (!known.includes(label)) known.push(label);
      exits.set(target, known);
    };
    for (const state of [node, ...node.children]) {
      for (const [target, labels] of labelsByTarget(labelTransitions(state))) add(target, labels);
    }
    if (exits.size === 0) return null;
    const halted = haltedNode(this.graph)?.id;
    return el('p', { class: 'exits' },
      [...exits].map(([target, labels]) => el('span', { class: `exit ${target === halted ? 'exit-halt' : ''}` },
        `→ ${shortName(this.graph, target)}`, el('span', { class: 'exit-when' }, ` on ${labels.join(' · ')}`))));
  }

  /** Every transition of the state and its children, folded away: the complete "→ target" list. */
  private transitionDetails(node: GraphNode): HTMLElement | null {
    const rows = [node, ...node.children].flatMap((state) => labelTransitions(state).map(({ transition, label }) =>
      el('li', {},
        el('span', { class: 'td-from' }, state.key),
        el('span', { class: 'td-label' }, label),
        el('span', { class: 'td-to' }, `→ ${transition.target.map((id) => shortName(this.graph, id, node)).join(', ') || '(stays)'}`),
        transition.does?.length ? el('span', { class: 'td-actions' }, transition.does.join(', ')) : null,
      )));
    if (rows.length === 0) return null;
    return el('details', { class: 'transitions' },
      el('summary', {}, `${rows.length} transitions`), el('ul', { class: 'td-list' }, rows));
  }

  /** A parallel state: its regions side by side, each drawn as a stage. */
  private group(node: GraphNode): HTMLElement {
    const group = groupName(node);
    const box = this.remember(node, el('section', {
      class: 'state group top', role: 'listitem', 'data-group': group, 'data-status': 'pending', 'aria-label': `parallel group ${group}`,
    }));
    const regions = el('div', { class: 'regions' }, node.children.map((region) => this.stage(region, false)));
    return addTo(box,
      el('header', { class: 'state-head' },
        el('span', { class: 'parallel-mark', 'aria-hidden': 'true' }, '‖'),
        el('h3', { class: 'state-name' }, group),
        el('span', { class: 'kind' }, `parallel · ${node.children.length} regions`),
        el('span', { class: 'badge', 'data-role': 'badge' }, 'pending'),
        el('span', { class: 'meta', 'data-role': 'meta' }),
        el('span', { class: 'duration mono', 'data-role': 'duration' })),
      description(node),
      regions,
      this.exits(node, true),
      this.transitionDetails(node),
    );
  }

  /** A top-level final state: COMPLETE (a stage) or halted (where failures go). */
  private finalState(node: GraphNode): HTMLElement {
    const stage = this.stageName(node);
    const box = this.remember(node, el('section', {
      class: `state final-state top ${node.key === 'halted' ? 'halted' : ''}`,
      role: 'listitem',
      'data-stage': stage,
      'data-status': stage ? 'pending' : undefined,
      'aria-label': node.key,
    }));
    addTo(box, this.stageHead(node, stage, 'h3', node.type === 'final' ? 'final' : ''), description(node));
    const incoming = incomingTransitions(this.graph, node);
    if (node.key === 'halted' && incoming.length > 0) {
      const reasons = [...new Set(incoming.map(({ label }) => label))];
      const sources = new Set(incoming.map(({ from }) => stageOf(this.graph, from)?.key ?? from.key));
      box.append(el('p', { class: 'exits' }, `← from ${sources.size} states on ${reasons.join(' · ')}`));
    }
    return box;
  }
}

function description(node: GraphNode): Child {
  if (!node.description) return null;
  const text = node.description.trim();
  return el('p', { class: 'desc', title: text }, text.split('\n')[0] ?? '');
}

/** What kind of loop a stage runs, read from its inner states. */
function stageKind(node: GraphNode): string {
  const keys = new Set(node.children.map((child) => child.key));
  if (keys.has('review') && keys.has('work')) return 'review loop';
  if (keys.has('fix') && keys.has('run')) return 'acceptance loop';
  return '';
}

/** Both rows are always there (one may be empty) so the arrows stay centred on the chips. */
function link(forward: readonly string[] | undefined, backward: readonly string[] | undefined): HTMLElement {
  const arrow = (direction: string, labels: readonly string[] | undefined) => el('span', { class: `arrow arrow-${direction} ${labels ? '' : 'arrow-empty'}` },
    el('span', { class: 'arrow-label' }, labels ? labels.join(' · ') : ''));
  return el('span', { class: `link ${forward || backward ? '' : 'link-none'}`, 'aria-hidden': 'true' },
    arrow('forward', forward), arrow('back', backward));
}
