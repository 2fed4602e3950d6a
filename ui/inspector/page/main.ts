/// <reference lib="dom" />
// teambot statechart inspector: draws the compiled workflow's statechart and
// shows where a run is in it, live (events + XState inspection snapshots over
// a WebSocket) or as a replay of a recorded run (a time slider over its events).
// The entry point: fetch, draw, then render on every change. Bundled by tsup
// for the browser into dist/inspector/inspector.js (see tsup.config.ts).
import { drawAllArcs, drawArrowheadDefinition } from './arcsView.js';
import { byId, el } from './dom.js';
import { EventList } from './eventList.js';
import { drawChart } from './graphView.js';
import { groupStages, indexGraph, stageKinds } from './graphIndex.js';
import type { GraphNode } from './model.js';
import { connectLive } from './live.js';
import { appliedCount, type PageState } from './pageState.js';
import { setUpReplay } from './replay.js';
import { deriveRun, isFinished, type RunSetup } from './runState.js';
import { serverAddresses } from './serverAddress.js';
import { allRunEvents, currentRunEvents, normaliseRun } from './serverData.js';
import { bringStageIntoView, currentActiveIds, describeRunInHeader, eventCountText, renderActive, renderHeader, renderStages } from './statusView.js';

const API = serverAddresses(location);

/** What the browser tests ask the page (test/e2e/inspector.test.ts). */
interface InspectorHooks {
  activeStateIds(): string[];
  stageStatus(stage: string): string;
  eventCount(): number;
  /** Resolves once the page has drawn the graph and the first events. */
  ready: Promise<void>;
}

let app: PageState | undefined;
let markReady: () => void = () => {};
(window as unknown as { __inspector: InspectorHooks }).__inspector = {
  activeStateIds: () => (app ? [...currentActiveIds(app)].sort() : []),
  stageStatus: (stage) => app?.derived.view.stages.find((candidate) => candidate.id === stage)?.status ?? 'unknown',
  eventCount: () => (app ? appliedCount(app) : 0),
  ready: new Promise<void>((resolve) => { markReady = resolve; }),
};

boot().catch((error: unknown) => {
  console.error(error);
  byId('chart').replaceChildren(el('p', { class: 'error-note' }, `Could not load the inspector: ${error instanceof Error ? error.message : String(error)}`));
});

async function boot(): Promise<void> {
  const [graphJson, runJson, eventsJson] = await Promise.all([fetchJson(API.graph), fetchJson(API.run), fetchJson(API.events)]);
  const run = normaliseRun(runJson);
  const graph = indexGraph(graphJson as GraphNode, run.stage_order);
  const setup: RunSetup = {
    stageOrder: run.stage_order, groups: groupStages(graph, run.groups), completedBefore: run.completed_before, kinds: stageKinds(graph),
  };
  // A replay shows every session of the feature as one timeline; a live page, the session that runs.
  const events = run.mode === 'replay' ? allRunEvents(eventsJson) : currentRunEvents(eventsJson);
  const state: PageState = {
    graph, run, events, position: events.length, snapshotIds: null, rootSession: null,
    derived: deriveRun(setup, events, 0), elements: new Map(), shownActive: new Set(), playing: false, liveFinished: false,
  };
  app = state;

  describeRunInHeader(state);
  const chart = byId('chart');
  chart.replaceChildren(drawArrowheadDefinition(), drawChart(graph, state.elements));
  drawAllArcs(chart, state.elements);
  new ResizeObserver(() => drawAllArcs(chart, state.elements)).observe(chart);

  const eventList = new EventList(byId('events'));
  let renderQueued = false;
  const replay = run.mode === 'replay' ? setUpReplay(state, () => scheduleRender()) : undefined;

  function render(): void {
    const count = appliedCount(state);
    state.derived = deriveRun(setup, state.events, count);
    renderHeader(state);
    renderStages(state);
    renderActive(state, currentActiveIds(state));
    eventList.sync(state.events, count, { alwaysPinned: run.mode === 'replay' });
    byId('event-count').textContent = eventCountText(state);
    replay?.renderTimeline();
  }
  /** Coalesces bursts (agent output can come by the hundred per second) into one render per frame. */
  function scheduleRender(): void {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      render();
    });
  }

  render();
  // Open where the reader looks first: the stage that failed (a replay), or the one running now (live).
  bringStageIntoView(state, replay ? replay.openedAt : state.derived.view.stages.find((stage) => stage.status === 'running')?.id);
  document.body.dataset.ready = 'true';
  markReady();

  if (run.mode === 'live') {
    connectLive(state, { webSocketUrl: API.webSocket, fetchEvents: () => fetchJson(API.events) }, scheduleRender);
    // The elapsed time and running stages' clocks move between events.
    setInterval(() => { if (!isFinished(state.derived)) render(); }, 1000);
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json() as Promise<unknown>;
}
