/// <reference lib="dom" />
// The event stream. Rows are appended as events are applied; going back in a
// replay rebuilds the list. Consecutive stage.output events fold into one
// dimmed group, so a chatty agent does not push the stage and review events
// out of sight.
import { el } from './dom.js';
import { describeEvent, eventTone, relativeTime } from './eventText.js';
import { stageOf, type RunEvent, type RunEventOf } from '../../../machines/session/runEvents.js';

/** Output lines kept in the DOM per output group (the log keeps all of them). */
const OUTPUT_LINES_SHOWN = 200;

interface OutputGroup {
  count: number;
  readonly stages: Set<string>;
  readonly row: HTMLElement;
  readonly summary: HTMLElement;
  readonly lines: HTMLElement;
}

/** The rows of one `<ol>`, kept in step with the applied events. */
export class EventList {
  private rendered = 0;
  private group: OutputGroup | null = null;
  private first: RunEvent | undefined;

  constructor(private readonly list: HTMLElement) {}

  /** Shows the first `count` of `events`; `alwaysPinned` keeps the list scrolled to its end (else only when it was). */
  sync(events: readonly RunEvent[], count: number, { alwaysPinned }: { readonly alwaysPinned: boolean }): void {
    const list = this.list;
    // Fewer events (the slider went back) or another run (live): start the list over.
    if (count < this.rendered || events[0] !== this.first) {
      this.first = events[0];
      list.replaceChildren();
      this.rendered = 0;
      this.group = null;
    }
    const pinned = alwaysPinned || list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    for (let index = this.rendered; index < count; index += 1) {
      const event = events[index];
      if (event) this.append(event, index, events[0]);
    }
    this.rendered = count;
    list.querySelector('.current')?.classList.remove('current');
    list.lastElementChild?.classList.add('current');
    if (pinned) list.scrollTop = list.scrollHeight;
  }

  private append(event: RunEvent, index: number, first: RunEvent | undefined): void {
    if (event.type === 'stage.output') {
      this.appendOutputLine(event, index);
      return;
    }
    this.group = null;
    this.list.append(el('li', { class: `event ev-${event.type.replace('.', '-')} ${eventTone(event)}`, 'data-index': index },
      el('time', { class: 'ev-time mono', datetime: event.ts, title: event.ts }, relativeTime(event, first)),
      el('span', { class: 'ev-type' }, event.type),
      el('span', { class: 'ev-body' },
        stageOf(event) ? el('span', { class: 'ev-stage' }, stageOf(event)) : null,
        el('span', { class: 'ev-text' }, describeEvent(event)))));
  }

  private appendOutputLine(event: RunEventOf<'stage.output'>, index: number): void {
    if (!this.group) {
      const summary = el('summary', {}, el('span', { class: 'og-count' }), el('span', { class: 'og-last' }));
      const lines = el('ol', { class: 'og-lines' });
      const row = el('li', { class: 'event output-group', 'data-index': index }, el('details', {}, summary, lines));
      this.group = { count: 0, stages: new Set(), row, summary, lines };
      this.list.append(row);
    }
    const group = this.group;
    group.count += 1;
    group.stages.add(event.stage);
    group.lines.append(el('li', { class: 'og-line', 'data-index': index }, el('span', { class: 'og-stage' }, event.stage), ` ${event.line}`));
    if (group.lines.childElementCount > OUTPUT_LINES_SHOWN) group.lines.firstElementChild?.remove();
    const [countSlot, lastSlot] = [group.summary.firstChild, group.summary.lastChild];
    if (countSlot) countSlot.textContent = `${group.count} output line${group.count === 1 ? '' : 's'} · ${[...group.stages].join(', ')}`;
    if (lastSlot) lastSlot.textContent = event.line;
    group.row.dataset.index = String(index);
  }
}
