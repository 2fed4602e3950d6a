/// <reference lib="dom" />
// The replay controls: the time slider, Play/Pause, and clicking an event to
// move the replay to just after it. The arithmetic is in replayClock.ts.
import { byId } from './dom.js';
import type { PageState } from './pageState.js';
import { clampPosition, openingPosition, ReplayClock, timelineText } from './replayClock.js';

/**
 * Wires the replay controls; `changed` is called whenever the position moves.
 * The replay opens just after the first stage failure (see openingPosition);
 * `openedAt` is that stage, for the page to bring into view.
 */
export function setUpReplay(app: PageState, changed: () => void): { renderTimeline(): void; readonly openedAt: string | undefined } {
  byId('replay').hidden = false;
  document.body.classList.add('is-replay');
  const events = byId('events');
  events.title = 'Click an event to move the replay to it';
  const timeline = byId<HTMLInputElement>('timeline');
  timeline.max = String(app.events.length);
  // Position 0 is before the first session: nothing done. A run opens where it first failed, else on its final state.
  const opening = openingPosition(app.events);
  app.position = opening.position;
  timeline.value = String(app.position);

  const setPosition = (position: number) => {
    app.position = clampPosition(position, app.events.length);
    timeline.value = String(app.position);
    changed();
  };
  const pause = () => {
    app.playing = false;
    showPlaying(false);
  };
  const play = () => {
    if (app.events.length === 0) return;
    if (app.position >= app.events.length) setPosition(0);
    const clock = new ReplayClock(app.events, app.position);
    let last = performance.now();
    app.playing = true;
    showPlaying(true);
    const tick = (now: number) => {
      if (!app.playing) return;
      const position = clock.advance(app.position, now - last);
      last = now;
      if (position !== app.position) setPosition(position);
      if (position >= app.events.length) pause();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };

  timeline.addEventListener('input', () => {
    pause();
    setPosition(Number(timeline.value));
  });
  byId('play').addEventListener('click', () => (app.playing ? pause() : play()));
  events.addEventListener('click', (click) => {
    const target = click.target instanceof Element ? click.target : null;
    if (!target || target.closest('summary')) return;
    const row = target.closest<HTMLElement>('[data-index]');
    if (!row) return;
    pause();
    setPosition(Number(row.dataset.index) + 1);
  });

  return {
    openedAt: opening.stage,
    renderTimeline() {
      const text = timelineText(app.events, app.position);
      byId('time-label').textContent = text;
      timeline.setAttribute('aria-valuetext', text);
    },
  };
}

function showPlaying(playing: boolean): void {
  const button = byId('play');
  button.setAttribute('aria-label', playing ? 'Pause the replay' : 'Play the replay');
  const icon = button.querySelector('.play-icon');
  const text = button.querySelector('.play-text');
  if (icon) icon.textContent = playing ? '❚❚' : '▶';
  if (text) text.textContent = playing ? 'Pause' : 'Play';
}
