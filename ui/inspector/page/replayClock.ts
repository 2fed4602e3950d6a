// The replay's arithmetic: where the slider may go, what its label says, and
// how far a virtual clock has got through the events. Pure: no DOM, no timers.
import { formatDuration } from './eventText.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';

/** Replays should take about this long, however long the run was. */
export const REPLAY_TARGET_MS = 30_000;
/** …but never wait longer than this (wall time) for the next event. */
export const REPLAY_MAX_IDLE_MS = 1_200;

/** A slider position kept within 0…count (how many events are applied). */
export function clampPosition(position: number, count: number): number {
  return Math.max(0, Math.min(count, Number.isFinite(position) ? Math.trunc(position) : 0));
}

/**
 * The timeline's label at `position` events applied.
 * @example timelineText(events, 1) // '0.0 s / 4.0 s · event 1 of 3'
 */
export function timelineText(events: readonly RunEvent[], position: number): string {
  const start = Date.parse(events[0]?.ts ?? '');
  const end = Date.parse(events[events.length - 1]?.ts ?? '');
  const current = position > 0 ? Date.parse(events[position - 1]?.ts ?? '') : start;
  return Number.isFinite(start)
    ? `${formatDuration(current - start)} / ${formatDuration(end - start)} · event ${position} of ${events.length}`
    : 'no events';
}

/**
 * A virtual clock over the events' timestamps, fast enough that the whole run
 * takes about REPLAY_TARGET_MS, skipping quiet stretches longer than
 * REPLAY_MAX_IDLE_MS of wall time.
 */
export class ReplayClock {
  private readonly times: readonly number[];
  private readonly speed: number;
  private virtual: number;

  /** Starts the clock at `position` events applied. */
  constructor(events: readonly RunEvent[], position: number) {
    this.times = events.map((event) => Date.parse(event.ts ?? ''));
    const first = this.times[0] ?? 0;
    const last = this.times[this.times.length - 1] ?? first;
    this.speed = Math.max(1, (last - first) / REPLAY_TARGET_MS || 1);
    this.virtual = (position > 0 ? this.times[position - 1] : first) ?? first;
  }

  /**
   * Moves the clock on by `wallMs` from `position` events applied, and returns
   * how many events are applied then.
   */
  advance(position: number, wallMs: number): number {
    this.virtual += wallMs * this.speed;
    const next = this.times[position];
    if (next !== undefined && next - this.virtual > REPLAY_MAX_IDLE_MS * this.speed) this.virtual = next - REPLAY_MAX_IDLE_MS * this.speed;
    let reached = position;
    // An event whose time cannot be read is passed over at once (NaN > virtual is false).
    while (reached < this.times.length && !((this.times[reached] ?? 0) > this.virtual)) reached += 1;
    return reached;
  }
}

/**
 * Where a replay opens: just after the first stage failure, with that stage to
 * show, since that is what someone inspecting a run comes to see; a run that
 * never failed opens on its final state.
 * @example openingPosition([started, failedA, completed]) // { position: 2, stage: 'A' }
 */
export function openingPosition(events: readonly RunEvent[]): { readonly position: number; readonly stage?: string } {
  const failure = events.findIndex((event) => event.type === 'stage.failed');
  const failed = events[failure];
  if (failed?.type === 'stage.failed') return { position: failure + 1, stage: failed.stage };
  return { position: events.length };
}
