/// <reference lib="dom" />
// Shows the derived run on the page: the header's status and clock, each
// stage's and group's badge, meta and duration, and the active states.
import { activeStateIds } from './activeStates.js';
import { byId } from './dom.js';
import { formatDuration, stageDuration, stageMeta } from './eventText.js';
import { groupNode } from './graphIndex.js';
import { appliedCount, type PageState } from './pageState.js';
import { clockFor, elapsedSeconds, isFinished, runStatusAt } from './runState.js';
import { groupWord, stageWord } from '../../text/stageWords.js';

/** The active state ids the page shows now. */
export const currentActiveIds = (app: PageState): Set<string> =>
  activeStateIds(app.graph, app.derived, app.run.mode === 'live' ? app.snapshotIds : null);

/** The run's title, feature and mode, which do not change. */
export function describeRunInHeader(app: PageState): void {
  const { title, feature, mode } = app.run;
  document.title = `${title} · teambot inspector`;
  byId('run-title').textContent = title;
  byId('run-feature').textContent = feature || '—';
  byId('run-mode').textContent = mode;
  byId('run-mode').dataset.mode = mode;
}

/** The header's status, elapsed time and "Run finished" note, as of the applied events. */
export function renderHeader(app: PageState): void {
  const run = app.derived;
  const status = runStatusAt(run, { mode: app.run.mode, serverStatus: app.run.status, eventCount: app.events.length });
  byId('run-status').textContent = status.replaceAll('_', ' ');
  byId('run-status').dataset.status = status;
  const seconds = elapsedSeconds(run, { live: app.run.mode === 'live', now: Date.now() });
  byId('run-elapsed').textContent = seconds === null ? '—' : formatDuration(seconds * 1000);

  const finished = byId('finished');
  finished.hidden = !isFinished(run);
  if (isFinished(run)) {
    const { status: ended, error } = run.view;
    finished.textContent = `Run finished: ${ended.replaceAll('_', ' ')}${error ? ` · ${error}` : ''}`;
    finished.dataset.status = ended;
  }
}

/** Each stage's and group's badge, meta line and clock. */
export function renderStages(app: PageState): void {
  const { view } = app.derived;
  const now = clockFor(app.derived, { live: app.run.mode === 'live', now: Date.now() });
  for (const stage of view.stages) {
    const node = app.graph.stageNodes.get(stage.id);
    const box = node && app.elements.get(node.id);
    if (!(box instanceof HTMLElement)) continue;
    setStatus(box, stage.status, stageWord(stage));
    slot(box, 'meta').textContent = stageMeta(stage);
    slot(box, 'meta').title = stage.error ?? '';
    slot(box, 'duration').textContent = stageDuration(stage, now);
  }
  for (const info of view.groups) {
    const node = groupNode(app.graph, info.id);
    const box = node && app.elements.get(node.id);
    if (!(box instanceof HTMLElement)) continue;
    setStatus(box, info.status, groupWord(info, view.stages));
    const ended = info.endedAt ?? (info.status === 'running' ? now : undefined);
    slot(box, 'duration').textContent = info.startedAt !== undefined && ended !== undefined ? formatDuration(ended - info.startedAt) : '';
  }
}

/** The box's own header slot (not one of a region's inside a group box). */
function slot(box: HTMLElement, role: string): HTMLElement {
  return box.querySelector<HTMLElement>(`:scope > .state-head [data-role="${role}"]`) ?? document.createElement('span');
}

/** The status the CSS styles by, and the word every view uses for it (ui/text/stageWords.ts). */
function setStatus(box: HTMLElement, status: string, word: string): void {
  const badge = slot(box, 'badge');
  if (box.dataset.status === status && badge.textContent === word) return;
  box.dataset.status = status;
  badge.textContent = word;
}

/** Highlights the active states, changing only what changed, and keeps a newly entered stage in view. */
export function renderActive(app: PageState, ids: ReadonlySet<string>): void {
  const newlyActive: Element[] = [];
  for (const id of app.shownActive) if (!ids.has(id)) app.elements.get(id)?.classList.remove('active');
  for (const id of ids) {
    const element = app.elements.get(id);
    if (!element) continue;
    element.classList.add('active');
    if (!app.shownActive.has(id)) newlyActive.push(element);
  }
  app.shownActive = new Set(ids);
  if (!byId<HTMLInputElement>('follow').checked || newlyActive.length === 0) return;
  const box = newlyActive.map((element) => element.closest('.state.top')).find(Boolean);
  box?.scrollIntoView({ block: 'nearest', behavior: app.playing || app.run.mode === 'live' ? 'smooth' : 'auto' });
}

/** The count shown above the event list. */
export function eventCountText(app: PageState): string {
  return `${appliedCount(app)}${app.run.mode === 'replay' ? ` of ${app.events.length}` : ''} events`;
}

/** Scrolls the chart so that the stage's box is in view (centred), when there is one. */
export function bringStageIntoView(app: PageState, stage: string | undefined): void {
  const node = stage === undefined ? undefined : app.graph.stageNodes.get(stage);
  const box = node && app.elements.get(node.id);
  box?.scrollIntoView({ block: 'center', behavior: 'auto' });
}
