/// <reference lib="dom" />
// The SVG arrows of each stage's flow: their ends depend on where the chips
// were laid out, so they are drawn after layout and again on every resize.
import { svgEl } from './dom.js';
import { ARC_STEP, type Fan, type PlacedArc } from './flowLayout.js';

/** Each flow element's arrows, recorded by graphView.ts as it draws the flow. */
export const flowEdges = new WeakMap<Element, { readonly fans: readonly Fan[]; readonly arcs: readonly PlacedArc[] }>();

/** Draws (again) every flow's SVG arrows; `elements` maps state ids to their chips. */
export function drawAllArcs(root: ParentNode, elements: ReadonlyMap<string, Element>): void {
  root.querySelectorAll<HTMLElement>('.flow').forEach((flow) => drawArcs(flow, elements));
}

function drawArcs(flow: HTMLElement, elements: ReadonlyMap<string, Element>): void {
  flow.querySelector(':scope > svg')?.remove();
  const { fans = [], arcs = [] } = flowEdges.get(flow) ?? {};
  if (fans.length + arcs.length === 0) return;
  const origin = flow.getBoundingClientRect();
  if (origin.width === 0) return; // not laid out (hidden); the resize observer comes back
  // Chip boxes in the flow's own coordinates (it may be scrolled sideways).
  const box = (id: string) => {
    const rect = elements.get(id)?.getBoundingClientRect();
    if (!rect) return undefined;
    const left = rect.left - origin.left + flow.scrollLeft;
    const top = rect.top - origin.top;
    return { left, top, right: left + rect.width, bottom: top + rect.height, middle: top + rect.height / 2, width: rect.width };
  };
  const svg = svgEl('svg', { class: 'arcs', width: flow.scrollWidth, height: flow.scrollHeight, 'aria-hidden': 'true' });
  const label = (x: number, y: number, text: string, anchor: string) => {
    const element = svgEl('text', { x, y, class: 'arc-label', 'text-anchor': anchor });
    element.textContent = text;
    svg.append(element);
  };

  for (const fan of fans) {
    const from = box(fan.from);
    const to = box(fan.to);
    if (!from || !to) continue;
    const [x1, y1, x2, y2] = [from.right + 1, from.middle, to.left - 2, to.middle];
    const bend = (x2 - x1) * 0.55;
    svg.append(svgEl('path', { d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`, class: 'edge', 'marker-end': 'url(#arrowhead)' }));
    label(x2 - 5, y2 - 4, fan.labels.join(' · '), 'end');
  }

  for (const arc of arcs) {
    const from = box(arc.fromId);
    const to = box(arc.toId);
    if (!from || !to) continue;
    const x1 = from.left + from.width * (arc.under ? 0.35 : 0.65);
    const x2 = to.left + to.width * (arc.under ? 0.65 : 0.35);
    const y1 = arc.under ? from.bottom : from.top;
    const y2 = arc.under ? to.bottom : to.top;
    // Over (or under) everything between the two ends, one step per level. A cubic
    // whose two control points share a height peaks at ¼ end + ¾ control.
    const base = arc.under ? Math.max(y1, y2) : Math.min(y1, y2);
    const apex = base + (arc.under ? 1 : -1) * arc.level * ARC_STEP;
    const control = (apex - base / 4) / 0.75;
    svg.append(svgEl('path', { d: `M ${x1} ${y1} C ${x1} ${control}, ${x2} ${control}, ${x2} ${y2}`, class: 'arc', 'marker-end': 'url(#arrowhead)' }));
    label((x1 + x2) / 2, arc.under ? apex + 11 : apex - 3, arc.labels.join(' · '), 'middle');
  }
  flow.prepend(svg);
}

/** One arrowhead for every arc, in a hidden SVG of its own (ids must be unique in the page). */
export function drawArrowheadDefinition(): SVGElement {
  const marker = svgEl('marker', { id: 'arrowhead', viewBox: '0 0 8 8', refX: '7', refY: '4', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }));
  const defs = svgEl('defs', {});
  defs.append(marker);
  const svg = svgEl('svg', { width: 0, height: 0, class: 'svg-defs', 'aria-hidden': 'true' });
  svg.append(defs);
  return svg;
}
