import { useEffect, useRef, useState } from 'react';
import type { RunView } from '../../run-view/runViewModel.js';
import type { ViewStore } from '../../run-view/viewStore.js';
import type { OutputLineCounts } from '../outputLineCounts.js';
import { SPINNER_INTERVAL_MS } from '../spinner.js';

/**
 * Frames per second the live view draws at most: one per spinner turn. A
 * person reads no more than a few frames a second of scrolling output, and a
 * frame costs Ink a full redraw (layout, every cell of the screen, the diff),
 * so drawing faster only costs CPU (the agents' CPU, on a busy machine).
 */
export const MAX_FPS = 1000 / SPINNER_INTERVAL_MS;

/** One frame's facts: the view, the lines each stage printed in all, and the time to draw it at. */
export interface Frame {
  readonly view: RunView;
  readonly version: number;
  readonly printed: Readonly<Record<string, number>>;
  readonly now: number;
}

/**
 * The view and the time to draw it at, refreshed when the spinner turns
 * (every SPINNER_INTERVAL_MS, on the clock's multiples of it) if the view
 * changed or a stage runs (its spinner moved): however fast agents print,
 * at most MAX_FPS frames, each with every line reduced since the last one;
 * nothing at all while nothing runs and nothing happens. The store is polled
 * (a version number, no copy) and React is told of a new frame only when
 * one is due. Keys redraw at once (their own state, see useRunKeys).
 * `final`: the latest view at once (the last frame must show how the run ended).
 */
export function useFrame(store: ViewStore, counts: OutputLineCounts, final: boolean): Frame {
  const read = (): Frame => ({ ...store.snapshot(), printed: counts.snapshot(), now: Date.now() });
  const [frame, setFrame] = useState(read);
  const shown = useRef(frame);
  shown.current = frame;
  useEffect(() => {
    if (final) return;
    let timer: NodeJS.Timeout;
    const tick = () => {
      const { view, version } = store.snapshot();
      const now = Date.now();
      const running = view.stages.some((stage) => stage.status === 'running');
      if (version !== shown.current.version || running) {
        const next: Frame = { view, version, printed: counts.snapshot(), now };
        shown.current = next;
        setFrame(next);
      }
      timer = setTimeout(tick, untilNextTurn(Date.now()));
    };
    timer = setTimeout(tick, untilNextTurn(Date.now()));
    return () => clearTimeout(timer);
  }, [store, counts, final]);
  return final ? read() : frame;
}

/** Milliseconds from `now` to just past the spinner's next turn (timers may fire a little early or late). */
function untilNextTurn(now: number): number {
  return SPINNER_INTERVAL_MS - (now % SPINNER_INTERVAL_MS) + 2;
}
