// teambot statechart inspector: draws the compiled workflow's statechart and
// shows where a run is in it, live (events + XState inspection snapshots over
// a WebSocket) or as a replay of a recorded run (a time slider over its events).
//
// Plain browser JavaScript on purpose: the page is served from 127.0.0.1 by
// the CLI with no network and no build step, so everything lives in this one
// module (the server hands out only index.html, inspector.js and inspector.css).

// ── Constants ────────────────────────────────────────────────────────────────

const API = { graph: '/api/graph', run: '/api/run', events: '/api/events' };

/** The stage statuses a stage box can show (its `data-status`). */
const STAGE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'aborted'];

/**
 * Which child state an agent role runs in, first match wins: the event log
 * says the role, the graph says which children a stage has.
 */
const ROLE_CHILDREN = {
  work: ['running', 'work', 'run'],
  review: ['review'],
  acceptance: ['run', 'running'],
  fix: ['fix'],
};

/** Replays should take about this long, however long the run was. */
const REPLAY_TARGET_MS = 30_000;
/** …but never wait longer than this (wall time) for the next event. */
const REPLAY_MAX_IDLE_MS = 1_200;
/** Output lines kept in the DOM per output group (the log keeps all of them). */
const OUTPUT_LINES_SHOWN = 200;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

// ── Page state ───────────────────────────────────────────────────────────────

const app = {
  /** @type {any} the StatechartNode root from /api/graph */
  graph: null,
  /** @type {any} /api/run */
  run: null,
  /** node id → { node, parent } */
  nodes: new Map(),
  /** stage → its StatechartNode (a top-level state or a parallel region) */
  stageNodes: new Map(),
  /** node id → the element that draws it */
  elements: new Map(),
  /** The current run's events: only those after the last run.started. */
  events: [],
  /** Replay: how many events are applied (the slider's value). */
  position: 0,
  /** Live: active state ids from the root actor's last snapshot, null until one arrives. */
  snapshotIds: null,
  /** Live: the session id of the root actor, the first one seen. */
  rootSession: null,
  /** The run as derived from the applied events (see deriveRun). */
  derived: null,
  /** The active ids drawn last, to change only what changed. */
  shownActive: new Set(),
  playing: false,
  renderQueued: false,
  liveFinished: false,
};

const $ = (id) => document.getElementById(id);
const isReplay = () => app.run?.mode === 'replay';
/** How many events are applied: the slider's position in a replay, all of them live. */
const appliedCount = () => (isReplay() ? app.position : app.events.length);

// ── Test hooks ───────────────────────────────────────────────────────────────

let markReady;
window.__inspector = {
  activeStateIds: () => [...currentActiveIds()].sort(),
  stageStatus: (stage) => app.derived?.stages.get(stage)?.status ?? 'unknown',
  eventCount: () => appliedCount(),
  /** Resolves once the page has drawn the graph and the first events. */
  ready: new Promise((resolve) => { markReady = resolve; }),
};

// ── Boot ─────────────────────────────────────────────────────────────────────

boot().catch((error) => {
  console.error(error);
  $('chart').replaceChildren(el('p', { class: 'error-note' }, `Could not load the inspector: ${error.message ?? error}`));
});

async function boot() {
  const [graph, run, events] = await Promise.all([fetchJson(API.graph), fetchJson(API.run), fetchJson(API.events)]);
  app.graph = graph;
  app.run = normaliseRun(run);
  app.events = currentRunEvents(events);
  indexGraph(graph);

  describeRunInHeader();
  $('chart').replaceChildren(drawArrowheadDefinition(), drawChart(graph));
  drawAllArcs();
  new ResizeObserver(() => drawAllArcs()).observe($('chart'));

  if (isReplay()) setUpReplay();
  render();
  document.body.dataset.ready = 'true';
  markReady();

  if (app.run.mode === 'live') {
    connectLive();
    // The elapsed time and running stages' clocks move between events.
    setInterval(() => { if (!app.derived?.finished) render(); }, 1000);
  }
}

async function fetchJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Fills in what an older or partial server may leave out, so the rest need not check. */
function normaliseRun(run) {
  return {
    mode: run?.mode === 'live' ? 'live' : 'replay',
    feature: String(run?.feature ?? ''),
    title: String(run?.title ?? run?.feature ?? 'teambot run'),
    stage_order: Array.isArray(run?.stage_order) ? run.stage_order.map(String) : [],
    groups: run?.groups && typeof run.groups === 'object' ? run.groups : {},
    status: run?.status ?? null,
    // Optional: stages an earlier session completed (a resumed run logs no events for them).
    completed_before: Array.isArray(run?.completed_before) ? run.completed_before.map(String) : [],
  };
}

/** events.jsonl may hold several runs of the feature: show only the last. */
function currentRunEvents(events) {
  const list = Array.isArray(events) ? events.filter((event) => event && typeof event.type === 'string') : [];
  let start = 0;
  list.forEach((event, index) => { if (event.type === 'run.started') start = index; });
  return list.slice(start);
}

// ── The graph: indexes and labels ────────────────────────────────────────────

function indexGraph(root) {
  const stages = new Set(app.run.stage_order);
  const visit = (node, parent) => {
    app.nodes.set(node.id, { node, parent });
    // A stage is a top-level state or a parallel group's region named in stage_order.
    const stageLevel = parent === root || parent?.type === 'parallel';
    if (stageLevel && stages.has(node.key) && !app.stageNodes.has(node.key)) app.stageNodes.set(node.key, node);
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, null);
}

/** The node's ancestors below the root, nearest first. */
function ancestorsOf(id) {
  const result = [];
  let parent = app.nodes.get(id)?.parent;
  while (parent && parent !== app.graph) {
    result.push(parent);
    parent = app.nodes.get(parent.id)?.parent;
  }
  return result;
}

/** The top-level final state the run ends in when it does not complete. */
const haltedNode = () => app.graph.children.find((child) => child.key === 'halted' && child.type === 'final')
  ?? app.graph.children.find((child) => child.key === 'halted');

/**
 * A state's transitions with their short labels ("approved", "rejected, out of
 * iterations"), which the server adds to /api/graph with the same words as
 * `teambot graph` uses (ui/graphLabels.ts).
 */
function labelTransitions(node) {
  return (node.transitions ?? []).map((transition) => ({ transition, label: transition.label ?? transition.event }));
}

/** A target's name as read from inside `scope`: `done` within the stage, `halted` from anywhere. */
function shortName(id, scope) {
  if (scope && id.startsWith(`${scope.id}.`)) return id.slice(scope.id.length + 1);
  const rootPrefix = `${app.graph.id}.`;
  return id.startsWith(rootPrefix) ? id.slice(rootPrefix.length) : id;
}

/** A group state's display name: `PARALLEL_GROUP:post_spec_review` → `post_spec_review`. */
const groupName = (node) => node.key.replace(/^PARALLEL_GROUP:/, '');

/** Merges labels of transitions that share a target: Map target id → labels[]. */
function labelsByTarget(labelled) {
  const byTarget = new Map();
  for (const { transition, label } of labelled) {
    for (const target of transition.target) {
      const labels = byTarget.get(target) ?? [];
      if (!labels.includes(label)) labels.push(label);
      byTarget.set(target, labels);
    }
  }
  return byTarget;
}

// ── Drawing the statechart ───────────────────────────────────────────────────
//
// Nested HTML boxes: the top-level states top to bottom in document order
// (the backbone), joined by labelled arrows; a parallel state's regions side
// by side in a grid inside the group box; in each stage its inner states as
// chips (see drawFlow). HTML keeps text crisp and wraps to any width; SVG is
// used only for the curved arrows, once the chips are laid out.

/** Tiny DOM helper: el('p', { class: 'x' }, 'text', child). */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
  }
  return addTo(element, children);
}

/**
 * Appends the children that exist: a drawing step may have nothing to add,
 * and the DOM's own append would write "null".
 */
function addTo(element, ...children) {
  for (const child of children.flat(2)) if (child !== undefined && child !== null && child !== false) element.append(child);
  return element;
}

function remember(node, element) {
  app.elements.set(node.id, element);
  element.dataset.stateId = node.id;
  return element;
}

function drawChart(root) {
  const chart = remember(root, el('div', { class: 'chart', role: 'list', 'aria-label': root.description ?? root.id }));
  root.children.forEach((child, index) => {
    const previous = root.children[index - 1];
    if (previous) chart.append(drawBackboneLink(previous, child));
    chart.append(drawTopLevel(child));
  });
  return chart;
}

/** The arrow between two consecutive top-level states, if one leads to the other. */
function drawBackboneLink(from, to) {
  const labels = labelsByTarget(labelTransitions(from)).get(to.id);
  if (!labels) return el('div', { class: 'backbone-gap', 'aria-hidden': 'true' });
  return el('div', { class: 'backbone-link', 'aria-hidden': 'true' },
    el('span', { class: 'backbone-arrow' }), el('span', { class: 'backbone-label' }, labels.join(' · ')));
}

function drawTopLevel(node) {
  if (node.type === 'parallel') return drawGroup(node);
  if (node.type === 'final' || node.children.length === 0) return drawFinalState(node);
  return drawStage(node, { topLevel: true });
}

/** A stage (or any compound state): header, its inner states, where it can leave to. */
function drawStage(node, { topLevel }) {
  const stage = app.stageNodes.get(node.key) === node ? node.key : undefined;
  const box = remember(node, el('section', {
    class: `state stage ${topLevel ? 'top' : 'region'}`,
    role: topLevel ? 'listitem' : undefined,
    'data-stage': stage,
    'data-status': stage ? 'pending' : undefined,
    'aria-label': node.key,
  }));
  return addTo(box,
    drawStageHead(node, stage, topLevel ? 'h3' : 'h4', stageKind(node)),
    drawDescription(node),
    drawFlow(node),
    drawExits(node, topLevel),
    drawTransitionDetails(node),
  );
}

function drawStageHead(node, stage, heading, kind) {
  return el('header', { class: 'state-head' },
    el(heading, { class: 'state-name' }, node.key),
    kind ? el('span', { class: 'kind' }, kind) : null,
    stage ? el('span', { class: 'badge', 'data-role': 'badge' }, 'pending') : null,
    el('span', { class: 'meta', 'data-role': 'meta' }),
    el('span', { class: 'duration mono', 'data-role': 'duration' }),
  );
}

function drawDescription(node) {
  if (!node.description) return null;
  const text = node.description.trim();
  return el('p', { class: 'desc', title: text }, text.split('\n')[0]);
}

/** What kind of loop a stage runs, read from its inner states. */
function stageKind(node) {
  const keys = new Set(node.children.map((child) => child.key));
  if (keys.has('review') && keys.has('work')) return 'review loop';
  if (keys.has('fix') && keys.has('run')) return 'acceptance loop';
  return '';
}

/**
 * The inner states: the working states in a row (check → work ⇄ review),
 * then the final states stacked in a column, like a statechart's exits.
 * Arrows between neighbours in the row are HTML (a loop reads as ⇄); the
 * fan into the final column and the arcs that skip a state are SVG, drawn
 * once the chips are laid out (see drawArcs).
 */
function drawFlow(node) {
  const children = node.children;
  const finals = children.filter((child) => child.type === 'final');
  const split = finals.length > 0 && finals.length < children.length;
  const row = split ? children.filter((child) => child.type !== 'final') : children;
  const column = split ? finals : [];
  // Where each state sits left to right: the final column counts as one place after the row.
  const place = new Map(row.map((child, position) => [child.id, position]));
  for (const child of column) place.set(child.id, row.length);

  const adjacent = new Map(); // `${from}>${to}` → labels, for neighbours in the row
  const fans = []; // from the row's last state into the final column
  const arcs = []; // everything else, over (forward) or under (back) the row
  for (const child of children) {
    const from = place.get(child.id);
    for (const [target, labels] of labelsByTarget(labelTransitions(child))) {
      const to = place.get(target);
      if (to === undefined || target === child.id) continue; // leaves the stage: listed under "exits"
      const intoColumn = column.some((final) => final.id === target);
      if (intoColumn && from === row.length - 1) fans.push({ from: child.id, to: target, labels });
      else if (!intoColumn && Math.abs(to - from) === 1) adjacent.set(`${from}>${to}`, labels);
      else arcs.push({ from, to, fromId: child.id, toId: target, labels });
    }
  }

  const line = el('div', { class: 'flow-row' });
  row.forEach((child, position) => {
    if (position > 0) line.append(drawLink(adjacent.get(`${position - 1}>${position}`), adjacent.get(`${position}>${position - 1}`)));
    line.append(drawChip(child, node));
  });
  if (column.length > 0) {
    // Room for the fan's labels, which sit just before the final states.
    const longest = Math.max(0, ...fans.map((fan) => fan.labels.join(' · ').length));
    const space = el('span', { class: 'fan-space' });
    space.style.width = `${fans.length === 0 ? 24 : Math.min(150, Math.max(40, longest * 6.2 + 26))}px`;
    line.append(space);
    line.append(el('span', { class: 'finals' }, column.map((child) => drawChip(child, node))));
  }

  const flow = el('div', { class: 'flow' }, line);
  flow.edges = { fans, arcs: placeArcs(arcs) };
  const above = Math.max(0, ...flow.edges.arcs.filter((arc) => !arc.under).map((arc) => arc.level));
  const below = Math.max(0, ...flow.edges.arcs.filter((arc) => arc.under).map((arc) => arc.level));
  // Room for the arcs and the labels on top of them.
  flow.style.paddingTop = `${above > 0 ? 14 + above * ARC_STEP : 4}px`;
  flow.style.paddingBottom = `${below > 0 ? 14 + below * ARC_STEP : 4}px`;
  return flow;
}

function drawChip(child, scope) {
  const transitions = labelTransitions(child)
    .map(({ transition, label }) => `${label} → ${transition.target.map((id) => shortName(id, scope)).join(', ') || '(stays)'}`);
  const title = [
    `${child.id} (${child.type})`,
    child.invokes.length > 0 ? `invokes ${child.invokes.join(', ')}` : '',
    ...transitions,
  ].filter(Boolean).join('\n');
  const chip = el('span', { class: `chip chip-${child.type}`, 'data-key': child.key, title, tabindex: '0' }, child.key);
  if (child.key === scope.initial) chip.classList.add('initial');
  if (child.invokes.length > 0) chip.append(el('span', { class: 'invoke-dot', 'aria-hidden': 'true' }));
  return remember(child, chip);
}

/** Both rows are always there (one may be empty) so the arrows stay centred on the chips. */
function drawLink(forward, backward) {
  const arrow = (direction, labels) => el('span', { class: `arrow arrow-${direction} ${labels ? '' : 'arrow-empty'}` },
    el('span', { class: 'arrow-label' }, labels ? labels.join(' · ') : ''));
  return el('span', { class: `link ${forward || backward ? '' : 'link-none'}`, 'aria-hidden': 'true' },
    arrow('forward', forward), arrow('back', backward));
}

const ARC_STEP = 16;

/**
 * Stacks arcs so one spanning another goes over it: shortest first, each one
 * level above the highest it overlaps. Back arcs go under the row.
 */
function placeArcs(arcs) {
  const placed = [];
  for (const arc of [...arcs].sort((a, b) => Math.abs(a.to - a.from) - Math.abs(b.to - b.from))) {
    const under = arc.to < arc.from;
    const [low, high] = [Math.min(arc.from, arc.to), Math.max(arc.from, arc.to)];
    const overlapping = placed.filter((other) => other.under === under
      && Math.min(other.from, other.to) <= high && Math.max(other.from, other.to) >= low);
    placed.push({ ...arc, under, level: 1 + Math.max(0, ...overlapping.map((other) => other.level)) });
  }
  return placed;
}

/** Draws (again) every flow's SVG arrows: their ends depend on where the chips were laid out. */
function drawAllArcs() {
  for (const flow of document.querySelectorAll('.flow')) drawArcs(flow);
}

function drawArcs(flow) {
  flow.querySelector(':scope > svg')?.remove();
  const { fans = [], arcs = [] } = flow.edges ?? {};
  if (fans.length + arcs.length === 0) return;
  const origin = flow.getBoundingClientRect();
  if (origin.width === 0) return; // not laid out (hidden); the resize observer comes back
  // Chip boxes in the flow's own coordinates (it may be scrolled sideways).
  const box = (id) => {
    const rect = app.elements.get(id)?.getBoundingClientRect();
    if (!rect) return undefined;
    const left = rect.left - origin.left + flow.scrollLeft;
    const top = rect.top - origin.top;
    return { left, top, right: left + rect.width, bottom: top + rect.height, middle: top + rect.height / 2, centre: left + rect.width / 2, width: rect.width };
  };
  const svg = svgEl('svg', { class: 'arcs', width: flow.scrollWidth, height: flow.scrollHeight, 'aria-hidden': 'true' });
  const label = (x, y, text, anchor) => {
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

function svgEl(tag, attributes) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** One arrowhead for every arc, in a hidden SVG of its own (ids must be unique in the page). */
function drawArrowheadDefinition() {
  const marker = svgEl('marker', { id: 'arrowhead', viewBox: '0 0 8 8', refX: '7', refY: '4', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }));
  const defs = svgEl('defs', {});
  defs.append(marker);
  const svg = svgEl('svg', { width: 0, height: 0, class: 'svg-defs', 'aria-hidden': 'true' });
  svg.append(defs);
  return svg;
}

/**
 * Where a state can go outside itself, grouped by target: "→ halted: error ·
 * rejected, out of iterations". The top-level state's own arrow to the next
 * one is already drawn on the backbone, so it is left out here.
 */
function drawExits(node, topLevel) {
  const parent = app.nodes.get(node.id)?.parent;
  const next = topLevel ? parent.children[parent.children.indexOf(node) + 1] : undefined;
  const exits = new Map();
  const add = (target, labels) => {
    if (target === node.id || target.startsWith(`${node.id}.`) || target === next?.id) return;
    const known = exits.get(target) ?? [];
    for (const label of labels) if (!known.includes(label)) known.push(label);
    exits.set(target, known);
  };
  for (const state of [node, ...node.children]) {
    for (const [target, labels] of labelsByTarget(labelTransitions(state))) add(target, labels);
  }
  if (exits.size === 0) return null;
  return el('p', { class: 'exits' },
    [...exits].map(([target, labels]) => el('span', { class: `exit ${target === haltedNode()?.id ? 'exit-halt' : ''}` },
      `→ ${shortName(target)}`, el('span', { class: 'exit-when' }, ` on ${labels.join(' · ')}`))));
}

/** Every transition of the state and its children, folded away: the complete "→ target" list. */
function drawTransitionDetails(node) {
  const rows = [node, ...node.children].flatMap((state) => labelTransitions(state).map(({ transition, label }) =>
    el('li', {},
      el('span', { class: 'td-from' }, state === node ? node.key : state.key),
      el('span', { class: 'td-label' }, label),
      el('span', { class: 'td-to' }, `→ ${transition.target.map((id) => shortName(id, node)).join(', ') || '(stays)'}`),
      transition.actions?.length ? el('span', { class: 'td-actions' }, transition.actions.join(', ')) : null,
    )));
  if (rows.length === 0) return null;
  return el('details', { class: 'transitions' },
    el('summary', {}, `${rows.length} transitions`), el('ul', { class: 'td-list' }, rows));
}

/** A parallel state: its regions side by side, each drawn as a stage. */
function drawGroup(node) {
  const group = groupName(node);
  const box = remember(node, el('section', {
    class: 'state group top', role: 'listitem', 'data-group': group, 'data-status': 'pending', 'aria-label': `parallel group ${group}`,
  }));
  const regions = el('div', { class: 'regions' },
    node.children.map((region) => drawStage(region, { topLevel: false })));
  return addTo(box,
    el('header', { class: 'state-head' },
      el('span', { class: 'parallel-mark', 'aria-hidden': 'true' }, '‖'),
      el('h3', { class: 'state-name' }, group),
      el('span', { class: 'kind' }, `parallel · ${node.children.length} regions`),
      el('span', { class: 'badge', 'data-role': 'badge' }, 'pending'),
      el('span', { class: 'meta', 'data-role': 'meta' }),
      el('span', { class: 'duration mono', 'data-role': 'duration' })),
    drawDescription(node),
    regions,
    drawExits(node, true),
    drawTransitionDetails(node),
  );
}

/** A top-level final state: COMPLETE (a stage) or halted (where failures go). */
function drawFinalState(node) {
  const stage = app.stageNodes.get(node.key) === node ? node.key : undefined;
  const box = remember(node, el('section', {
    class: `state final-state top ${node.key === 'halted' ? 'halted' : ''}`,
    role: 'listitem',
    'data-stage': stage,
    'data-status': stage ? 'pending' : undefined,
    'aria-label': node.key,
  }));
  addTo(box, drawStageHead(node, stage, 'h3', node.type === 'final' ? 'final' : ''), drawDescription(node));
  const incoming = incomingTransitions(node);
  if (node.key === 'halted' && incoming.length > 0) {
    const reasons = [...new Set(incoming.map(({ label }) => label))];
    const sources = new Set(incoming.map(({ from }) => stageOf(from)?.key ?? from.key));
    box.append(el('p', { class: 'exits' }, `← from ${sources.size} states on ${reasons.join(' · ')}`));
  }
  return box;
}

/** Every transition in the graph that targets `node`, with its source. */
function incomingTransitions(node) {
  const result = [];
  for (const { node: from } of app.nodes.values()) {
    for (const { transition, label } of labelTransitions(from)) {
      if (transition.target.includes(node.id)) result.push({ from, label });
    }
  }
  return result;
}

/** The stage a state belongs to (itself, or its nearest stage ancestor). */
function stageOf(node) {
  if (app.stageNodes.get(node.key) === node) return node;
  return ancestorsOf(node.id).find((ancestor) => app.stageNodes.get(ancestor.key) === ancestor);
}

// ── Deriving the run from its events ─────────────────────────────────────────
//
// Everything shown about the run is recomputed from the first `count` events,
// so moving the replay slider backwards is as simple as forwards, and a live
// page and a replay of the same log agree.

function deriveRun(events, count) {
  const view = {
    status: null, // the run's status: running, complete, error, …
    startedAt: null, // epoch ms of run.started
    elapsedBefore: 0, // seconds of earlier sessions (resume)
    lastAt: null, // epoch ms of the last applied event
    finished: null, // the run.completed event, once applied
    stages: new Map(),
    groups: new Map(),
  };
  const completedBefore = new Set(app.run.completed_before);
  for (const stage of app.run.stage_order) {
    view.stages.set(stage, { status: completedBefore.has(stage) ? 'completed' : 'pending', earlier: completedBefore.has(stage) });
  }
  for (const group of groupIds()) view.groups.set(group, { status: 'pending' });
  for (let index = 0; index < count && index < events.length; index += 1) applyEvent(view, events[index]);
  return view;
}

/** Group ids: from /api/run, and any the graph has that it does not name. */
function groupIds() {
  const fromGraph = app.graph.children.filter((child) => child.type === 'parallel').map(groupName);
  return [...new Set([...Object.keys(app.run.groups), ...fromGraph])];
}

function applyEvent(view, event) {
  const at = Date.parse(event.ts);
  if (Number.isFinite(at)) view.lastAt = at;
  const stage = view.stages.get(event.stage ?? '');
  switch (event.type) {
    case 'run.started':
      view.status = 'running';
      view.startedAt = at;
      view.elapsedBefore = Number(event.elapsed_seconds) || 0;
      break;
    case 'stage.started':
      if (!stage) break;
      Object.assign(stage, {
        status: 'running', role: event.role ?? 'work', agent: event.agent ?? null,
        startedAt: stage.startedAt ?? at, resumed: event.resumed === true,
        iteration: typeof event.iteration === 'number' ? event.iteration : stage.iteration,
        endedAt: undefined, durationMs: undefined, error: undefined,
      });
      break;
    case 'stage.completed':
      if (stage) endStage(stage, 'completed', at, event.duration_ms);
      break;
    case 'stage.failed':
      if (stage) endStage(stage, 'failed', at, undefined, String(event.error ?? 'failed'));
      break;
    case 'stage.aborted':
      if (stage) endStage(stage, 'aborted', at);
      break;
    case 'stage.skipped':
      if (stage) stage.status = 'skipped';
      break;
    case 'review.iteration':
      if (!stage) break;
      Object.assign(stage, { iteration: event.iteration, max: event.max, verdict: event.verdict });
      // A rejected review sends the work back (the next iteration starts at once).
      if (event.verdict === 'rejected' && stage.status === 'running') {
        stage.role = 'work';
        if (typeof event.iteration === 'number' && event.iteration < Number(event.max)) stage.iteration = event.iteration + 1;
      }
      break;
    case 'acceptance.iteration':
      if (!stage) break;
      Object.assign(stage, { iteration: event.iteration, acceptance: { passed: event.passed, failed: event.failed, total: event.total } });
      // A failed round is followed by a fix (the log says nothing when the next run starts).
      if (Number(event.failed) > 0 && stage.status === 'running') stage.role = 'fix';
      break;
    case 'group.started':
      view.groups.set(String(event.group), { status: 'running', startedAt: at });
      break;
    case 'group.completed':
    case 'group.failed': {
      const group = view.groups.get(String(event.group)) ?? {};
      view.groups.set(String(event.group), {
        ...group, status: event.type === 'group.completed' ? 'completed' : 'failed', endedAt: at,
      });
      break;
    }
    case 'run.completed':
      completeRun(view, event, at);
      break;
    default:
      break; // stage.output and unknown events change no status
  }
}

function endStage(stage, status, at, durationMs, error) {
  stage.status = status;
  stage.endedAt = at;
  const measured = Number.isFinite(Number(durationMs)) && durationMs !== undefined
    ? Number(durationMs)
    : stage.startedAt !== undefined ? at - stage.startedAt : undefined;
  stage.durationMs = measured;
  stage.error = error;
}

/**
 * Ends the run as the terminal UI does: a stopped session logs nothing for
 * the stages it interrupts, so they end here (failed when the run names them,
 * otherwise aborted), and the terminal stage completes with a complete run.
 */
function completeRun(view, event, at) {
  view.finished = event;
  view.status = String(event.status ?? 'error');
  const failed = Array.isArray(event.failed) ? event.failed.map(String) : [];
  for (const [name, stage] of view.stages) {
    if (stage.status === 'running') {
      endStage(stage, failed.includes(name) ? 'failed' : 'aborted', at, undefined, event.error ?? view.status);
    }
  }
  const terminal = view.stages.get(terminalStage());
  if (terminal && view.status === 'complete' && terminal.status === 'pending') terminal.status = 'completed';
  for (const group of view.groups.values()) if (group.status === 'running') Object.assign(group, { status: 'failed', endedAt: at });
}

const terminalStage = () => app.run.stage_order[app.run.stage_order.length - 1];

/** Seconds the run has taken up to the applied events (or now, while a live run runs). */
function elapsedSeconds(view) {
  if (view.startedAt === null) return null;
  if (view.finished && Number.isFinite(Number(view.finished.elapsed_seconds))) return Number(view.finished.elapsed_seconds);
  const until = !isReplay() && !view.finished ? Date.now() : view.lastAt ?? view.startedAt;
  return view.elapsedBefore + Math.max(0, until - view.startedAt) / 1000;
}

// ── Active states ────────────────────────────────────────────────────────────

/** Live, once the root actor has sent a snapshot, that is the truth; otherwise the events tell. */
function currentActiveIds() {
  if (!isReplay() && app.snapshotIds) return app.snapshotIds;
  return app.derived ? activeFromEvents(app.derived) : new Set();
}

/**
 * The states active after the applied events: each running stage, the
 * states around it (its group), and the child its agent role runs in. A
 * running group is active even between its stages (sequential groups).
 */
function activeFromEvents(view) {
  const ids = new Set();
  const addWithAncestors = (node) => {
    if (!node) return;
    ids.add(node.id);
    for (const ancestor of ancestorsOf(node.id)) ids.add(ancestor.id);
  };
  if (view.finished) {
    addWithAncestors(view.status === 'complete' ? app.stageNodes.get(terminalStage()) : haltedNode());
    return ids;
  }
  for (const [name, stage] of view.stages) {
    if (stage.status !== 'running') continue;
    const node = app.stageNodes.get(name);
    addWithAncestors(node);
    addWithAncestors(node && childForRole(node, stage.role));
  }
  for (const [group, info] of view.groups) {
    if (info.status === 'running') addWithAncestors(groupNode(group));
  }
  return ids;
}

function groupNode(group) {
  return app.graph.children.find((child) => child.type === 'parallel' && groupName(child) === group);
}

/** The inner state an agent role runs in: `work`/`review` in a review loop, `run`/`fix` in acceptance, else `running`. */
function childForRole(node, role) {
  const byKey = new Map(node.children.map((child) => [child.key, child]));
  for (const key of ROLE_CHILDREN[role] ?? ROLE_CHILDREN.work) if (byKey.has(key)) return byKey.get(key);
  return node.children.find((child) => child.invokes.length > 0);
}

/**
 * An XState state value as the ids of its active states:
 * `{ "G": { "A": "running" } }` → `teambot.G`, `teambot.G.A`, `teambot.G.A.running`.
 */
function stateValueToIds(value, prefix) {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [`${prefix}.${key}`, ...stateValueToIds(inner, `${prefix}.${key}`)]);
}

// ── Rendering ────────────────────────────────────────────────────────────────

/** Coalesces bursts (agent output can come by the hundred per second) into one render per frame. */
function scheduleRender() {
  if (app.renderQueued) return;
  app.renderQueued = true;
  requestAnimationFrame(() => {
    app.renderQueued = false;
    render();
  });
}

function render() {
  const count = appliedCount();
  app.derived = deriveRun(app.events, count);
  renderHeader(app.derived);
  renderStages(app.derived);
  renderActive(currentActiveIds());
  syncEventList(count);
  if (isReplay()) renderTimeline();
}

function describeRunInHeader() {
  const { title, feature, mode } = app.run;
  document.title = `${title} · teambot inspector`;
  $('run-title').textContent = title;
  $('run-feature').textContent = feature || '—';
  $('run-mode').textContent = mode;
  $('run-mode').dataset.mode = mode;
}

function renderHeader(view) {
  const status = view.status ?? app.run.status ?? (isReplay() ? 'no events' : 'waiting');
  $('run-status').textContent = status.replaceAll('_', ' ');
  $('run-status').dataset.status = status;
  const seconds = elapsedSeconds(view);
  $('run-elapsed').textContent = seconds === null ? '—' : formatDuration(seconds * 1000);

  const finished = $('finished');
  finished.hidden = !view.finished;
  if (view.finished) {
    const error = view.finished.error ? ` · ${view.finished.error}` : '';
    finished.textContent = `Run finished: ${String(view.finished.status).replaceAll('_', ' ')}${error}`;
    finished.dataset.status = String(view.finished.status);
  }
}

function renderStages(view) {
  for (const [name, stage] of view.stages) {
    const node = app.stageNodes.get(name);
    const box = node && app.elements.get(node.id);
    if (!box) continue;
    setStatus(box, STAGE_STATUSES.includes(stage.status) ? stage.status : 'pending');
    slot(box, 'meta').textContent = stageMeta(stage);
    slot(box, 'meta').title = stage.error ?? '';
    slot(box, 'duration').textContent = stageDuration(stage, view);
  }
  for (const [group, info] of view.groups) {
    const box = app.elements.get(groupNode(group)?.id);
    if (!box) continue;
    setStatus(box, info.status);
    const ended = info.endedAt ?? (info.status === 'running' ? nowFor(view) : undefined);
    slot(box, 'duration').textContent = info.startedAt !== undefined && ended !== undefined ? formatDuration(ended - info.startedAt) : '';
  }
}

/** The stage's own header slot (not one of a region's inside a group box). */
function slot(box, role) {
  return box.querySelector(`:scope > .state-head [data-role="${role}"]`) ?? document.createElement('span');
}

function setStatus(box, status) {
  if (box.dataset.status === status) return;
  box.dataset.status = status;
  const badge = slot(box, 'badge');
  badge.textContent = status;
}

/** "agent ba · iteration 2/4 · rejected" or "3/5 passed" or the error. */
function stageMeta(stage) {
  if (stage.status === 'failed' && stage.error) return stage.error;
  if (stage.earlier) return 'completed in an earlier session';
  const parts = [];
  if (stage.agent && stage.status === 'running') parts.push(stage.agent);
  if (stage.status === 'running' && stage.role && stage.role !== 'work') parts.push(stage.role);
  if (stage.max !== undefined && stage.iteration !== undefined) parts.push(`iteration ${stage.iteration}/${stage.max}`);
  else if (stage.iteration > 1) parts.push(`iteration ${stage.iteration}`);
  if (stage.verdict) parts.push(String(stage.verdict));
  if (stage.acceptance) parts.push(`${stage.acceptance.passed}/${stage.acceptance.total} passed`);
  if (stage.resumed && stage.status === 'running') parts.push('resumed');
  return parts.join(' · ');
}

function stageDuration(stage, view) {
  if (stage.durationMs !== undefined && stage.status !== 'running') return formatDuration(stage.durationMs);
  if (stage.status === 'running' && stage.startedAt !== undefined) return formatDuration(nowFor(view) - stage.startedAt);
  return '';
}

/** "Now" as the page shows it: the wall clock live, the last applied event in a replay. */
const nowFor = (view) => (!isReplay() && !view.finished ? Date.now() : view.lastAt ?? Date.now());

function renderActive(ids) {
  const newlyActive = [];
  for (const id of app.shownActive) if (!ids.has(id)) app.elements.get(id)?.classList.remove('active');
  for (const id of ids) {
    const element = app.elements.get(id);
    if (!element) continue;
    element.classList.add('active');
    if (!app.shownActive.has(id)) newlyActive.push(element);
  }
  app.shownActive = new Set(ids);
  followActive(newlyActive);
}

/** Keeps a newly entered stage in view, unless the user turned that off. */
function followActive(newlyActive) {
  if (!$('follow').checked || newlyActive.length === 0) return;
  const box = newlyActive.map((element) => element.closest('.state.top')).find(Boolean);
  box?.scrollIntoView({ block: 'nearest', behavior: app.playing || !isReplay() ? 'smooth' : 'auto' });
}

function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

// ── The event stream ─────────────────────────────────────────────────────────
//
// Rows are appended as events are applied; going back in a replay rebuilds
// the list. Consecutive stage.output events fold into one dimmed group, so a
// chatty agent does not push the stage and review events out of sight.

const stream = { rendered: 0, group: null, first: null };

function syncEventList(count) {
  const list = $('events');
  // Fewer events (the slider went back) or another run (live): start the list over.
  if (count < stream.rendered || app.events[0] !== stream.first) {
    stream.first = app.events[0];
    list.replaceChildren();
    stream.rendered = 0;
    stream.group = null;
  }
  const pinned = isReplay() || list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  for (let index = stream.rendered; index < count; index += 1) appendEventRow(list, app.events[index], index);
  stream.rendered = count;
  list.querySelector('.current')?.classList.remove('current');
  list.lastElementChild?.classList.add('current');
  if (pinned) list.scrollTop = list.scrollHeight;
  $('event-count').textContent = `${count}${isReplay() ? ` of ${app.events.length}` : ''} events`;
}

function appendEventRow(list, event, index) {
  if (event.type === 'stage.output') {
    appendOutputLine(list, event, index);
    return;
  }
  stream.group = null;
  list.append(el('li', { class: `event ev-${event.type.replace('.', '-')} ${eventTone(event)}`, 'data-index': index },
    el('time', { class: 'ev-time mono', datetime: event.ts, title: event.ts }, relativeTime(event)),
    el('span', { class: 'ev-type' }, event.type),
    el('span', { class: 'ev-body' },
      event.stage ? el('span', { class: 'ev-stage' }, event.stage) : null,
      el('span', { class: 'ev-text' }, describeEvent(event)))));
}

function appendOutputLine(list, event, index) {
  if (!stream.group) {
    const summary = el('summary', {}, el('span', { class: 'og-count' }), el('span', { class: 'og-last' }));
    const lines = el('ol', { class: 'og-lines' });
    const details = el('details', {}, summary, lines);
    stream.group = { count: 0, stages: new Set(), details, summary, lines };
    list.append(el('li', { class: 'event output-group', 'data-index': index }, details));
  }
  const group = stream.group;
  group.count += 1;
  group.stages.add(event.stage ?? '');
  group.lines.append(el('li', { class: 'og-line', 'data-index': index },
    el('span', { class: 'og-stage' }, event.stage ?? ''), ` ${String(event.line ?? '')}`));
  if (group.lines.childElementCount > OUTPUT_LINES_SHOWN) group.lines.firstElementChild.remove();
  group.summary.firstChild.textContent = `${group.count} output line${group.count === 1 ? '' : 's'} · ${[...group.stages].join(', ')}`;
  group.summary.lastChild.textContent = String(event.line ?? '');
  group.details.parentElement.dataset.index = String(index);
}

/** Seconds since the run started, so the stream reads like a stopwatch. */
function relativeTime(event) {
  const start = Date.parse(app.events[0]?.ts);
  const at = Date.parse(event.ts);
  if (!Number.isFinite(start) || !Number.isFinite(at)) return event.ts ?? '';
  return `+${((at - start) / 1000).toFixed(1)}s`;
}

function eventTone(event) {
  if (event.type.endsWith('.failed') || event.type === 'stage.aborted') return 'tone-bad';
  if (event.type === 'run.completed') return event.status === 'complete' ? 'tone-good' : 'tone-bad';
  if (event.type === 'review.iteration') return event.verdict === 'approved' ? 'tone-good' : 'tone-warn';
  if (event.type === 'acceptance.iteration') return Number(event.failed) > 0 ? 'tone-warn' : 'tone-good';
  if (event.type.endsWith('.completed')) return 'tone-good';
  if (event.type.endsWith('.started')) return 'tone-start';
  return '';
}

/** The readable part of an event, as the plain reporter (`--no-ui`) prints it. */
function describeEvent(event) {
  const seconds = (ms) => `${(Number(ms) / 1000).toFixed(1)} s`;
  switch (event.type) {
    case 'run.started':
      return `${event.feature ?? ''} · ${event.stages ?? '?'} stages · runner ${event.runner ?? '?'}${event.resumed ? ' · resumed' : ''}${event.sequential ? ' · sequential' : ''}`;
    case 'stage.started':
      return `agent ${event.agent ?? '—'}${event.role && event.role !== 'work' ? ` (${event.role})` : ''}${event.iteration > 1 ? ` · iteration ${event.iteration}` : ''}${event.resumed ? ' · resumed' : ''}`;
    case 'stage.completed':
      return event.duration_ms !== undefined ? seconds(event.duration_ms) : '';
    case 'stage.failed':
      return String(event.error ?? '');
    case 'stage.skipped':
    case 'stage.aborted':
      return '';
    case 'review.iteration':
      return `${event.iteration}/${event.max} ${event.verdict}${event.verdict === 'rejected' && event.feedback ? `: ${firstLine(String(event.feedback))}` : ''}`;
    case 'group.started':
    case 'group.completed':
      return `${event.group} · ${(Array.isArray(event.stages) ? event.stages : []).join(' ‖ ')}`;
    case 'group.failed':
      return `${event.group} · failed: ${(Array.isArray(event.failed) ? event.failed : []).join(', ')}`;
    case 'acceptance.iteration':
      return `round ${event.iteration}: ${event.passed}/${event.total} passed, ${event.failed} failed`;
    case 'run.completed':
      return `${event.status} in ${seconds(event.duration_ms)}${event.error ? ` · ${event.error}` : ''}`;
    default: {
      const { ts: _ts, type: _type, stage: _stage, ...fields } = event;
      return JSON.stringify(fields);
    }
  }
}

function firstLine(text) {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

// ── Replay ───────────────────────────────────────────────────────────────────

function setUpReplay() {
  $('replay').hidden = false;
  document.body.classList.add('is-replay');
  $('events').title = 'Click an event to move the replay to it';
  const timeline = $('timeline');
  timeline.max = String(app.events.length);
  // A finished run opens on its final state.
  app.position = app.events.length;
  timeline.value = String(app.position);
  timeline.addEventListener('input', () => {
    pause();
    setPosition(Number(timeline.value));
  });
  $('play').addEventListener('click', () => (app.playing ? pause() : play()));
  // Clicking an event in the stream moves the replay to just after it.
  $('events').addEventListener('click', (click) => {
    if (click.target.closest('summary')) return;
    const row = click.target.closest('[data-index]');
    if (!row) return;
    pause();
    setPosition(Number(row.dataset.index) + 1);
  });
}

function setPosition(position) {
  app.position = Math.max(0, Math.min(app.events.length, position));
  $('timeline').value = String(app.position);
  scheduleRender();
}

function renderTimeline() {
  const start = Date.parse(app.events[0]?.ts);
  const end = Date.parse(app.events[app.events.length - 1]?.ts);
  const current = app.position > 0 ? Date.parse(app.events[app.position - 1].ts) : start;
  const text = Number.isFinite(start)
    ? `${formatDuration(current - start)} / ${formatDuration(end - start)} · event ${app.position} of ${app.events.length}`
    : 'no events';
  $('time-label').textContent = text;
  $('timeline').setAttribute('aria-valuetext', text);
}

/**
 * Plays the log back on a virtual clock, fast enough that a long run takes
 * about REPLAY_TARGET_MS, and skipping long quiet stretches.
 */
function play() {
  if (app.events.length === 0) return;
  if (app.position >= app.events.length) setPosition(0);
  const times = app.events.map((event) => Date.parse(event.ts));
  const speed = Math.max(1, (times[times.length - 1] - times[0]) / REPLAY_TARGET_MS);
  let virtual = app.position > 0 ? times[app.position - 1] : times[0];
  let last = performance.now();
  app.playing = true;
  showPlaying(true);
  const tick = (now) => {
    if (!app.playing) return;
    virtual += (now - last) * speed;
    last = now;
    const next = times[app.position];
    if (next - virtual > REPLAY_MAX_IDLE_MS * speed) virtual = next - REPLAY_MAX_IDLE_MS * speed;
    let position = app.position;
    while (position < times.length && !(times[position] > virtual)) position += 1;
    if (position !== app.position) setPosition(position);
    if (position >= times.length) pause();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function pause() {
  app.playing = false;
  showPlaying(false);
}

function showPlaying(playing) {
  const button = $('play');
  button.setAttribute('aria-label', playing ? 'Pause the replay' : 'Play the replay');
  button.querySelector('.play-icon').textContent = playing ? '❚❚' : '▶';
  button.querySelector('.play-text').textContent = playing ? 'Pause' : 'Play';
}

// ── Live ─────────────────────────────────────────────────────────────────────
//
// Events are loaded over HTTP first, then the WebSocket brings the rest. Each
// (re)connection loads /api/events again, so nothing sent while the socket
// was down is missed; socket messages that arrive meanwhile wait in a buffer
// and are applied once, after the events they may repeat.

let reconnectAttempt = 0;

function connectLive() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  let buffer = [];
  setConnection('connecting');

  socket.addEventListener('open', async () => {
    reconnectAttempt = 0;
    // The server may have restarted with a new actor: recognise the root again.
    app.rootSession = null;
    setConnection('connected');
    try {
      const events = currentRunEvents(await fetchJson(API.events));
      const known = new Set(events.map(eventKey));
      app.events = events;
      const waiting = buffer;
      buffer = null;
      for (const message of waiting) {
        if (message.type === 'teambot.event' && known.has(eventKey(message.event))) continue;
        handleMessage(message);
      }
      scheduleRender();
    } catch (error) {
      console.warn('inspector: could not reload events', error);
      const waiting = buffer ?? [];
      buffer = null;
      waiting.forEach(handleMessage);
    }
  });
  socket.addEventListener('message', (message) => {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // not ours
    }
    if (buffer) buffer.push(data);
    else handleMessage(data);
  });
  socket.addEventListener('close', () => {
    if (app.derived?.finished || app.liveFinished) {
      setConnection('run finished');
      return;
    }
    // Back off, with jitter, so a restarting server is not hammered.
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** reconnectAttempt) * (0.8 + Math.random() * 0.4);
    reconnectAttempt += 1;
    setConnection(`reconnecting in ${Math.ceil(delay / 1000)} s`);
    setTimeout(connectLive, delay);
  });
}

function setConnection(text) {
  $('connection-fact').hidden = false;
  $('connection').textContent = text;
  $('connection').dataset.state = text.split(' ')[0];
}

function handleMessage(message) {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'teambot.event' && message.event && typeof message.event.type === 'string') {
    applyLiveEvent(message.event);
  } else if (message.type === '@xstate.snapshot') {
    applySnapshot(message);
  }
}

function applyLiveEvent(event) {
  if (event.type === 'run.started') {
    // A new run of the feature: start over, and forget the old run's actor.
    app.events = [];
    app.snapshotIds = null;
    app.rootSession = null;
    app.liveFinished = false;
  }
  app.events.push(event);
  if (event.type === 'run.completed') app.liveFinished = true;
  scheduleRender();
}

/**
 * Only the root actor's snapshots say where the workflow is; its children
 * (the agents, promise actors) have no state value, and a snapshot of
 * another system is not this run.
 */
function applySnapshot(message) {
  const value = message.snapshot?.value;
  if (typeof value !== 'string' && (value === null || typeof value !== 'object')) return;
  const system = message.rootId ?? message.sessionId;
  app.rootSession ??= system;
  if (system !== app.rootSession) return;
  if (message.rootId && message.sessionId && message.sessionId !== message.rootId) return;
  app.snapshotIds = new Set(stateValueToIds(value, app.graph.id));
  scheduleRender();
}

/** Identifies an event across /api/events and the socket, whatever order its fields came in. */
function eventKey(event) {
  return JSON.stringify(Object.keys(event ?? {}).sort().map((key) => [key, event[key]]));
}
