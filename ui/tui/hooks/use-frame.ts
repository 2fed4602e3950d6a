import { useEffect, useRef, useState } from 'react';
import type { RunView } from '../../run-view/runViewModel.js';
import type { ViewStore } from '../../run-view/viewStore.js';
import type { OutputLineCounts } from '../outputLineCounts.js';
import { SPINNER_INTERVAL_MS } from '../spinner.js';

/** Frames per second the live view renders at most. */
export const MAX_FPS = 20;

/** One frame's facts: the view, the lines each stage printed in all, and the time to draw them at. */
export interface Frame {
  readonly view: RunView;
  readonly version: number;
  readonly printed: Readonly<Record<string, number>>;
  readonly now: number;
}

/**
 * The view and the time to draw it at, refreshed at most MAX_FPS times a
 * second when the view changed; while stages run but nothing else happens,
 * only when the spinner turns (SPINNER_INTERVAL_MS; elapsed times show whole
 * seconds, which change less often), so an idle run costs a few frames a
 * second. The store is polled (a version number, no copy) and React is told
 * of a new frame only when one is due, so a poll that finds nothing new
 * renders nothing. `final`: the latest view at once (the last frame must show
 * how the run ended).
 */
export function useFrame(store: ViewStore, counts: OutputLineCounts, final: boolean): Frame {
  const read = (): Frame => ({ ...store.snapshot(), printed: counts.snapshot(), now: Date.now() });
  const [frame, setFrame] = useState(read);
  const shown = useRef(frame);
  shown.current = frame;
  useEffect(() => {
    if (final) return;
    const timer = setInterval(() => {
      const current = shown.current;
      const { view, version } = store.snapshot();
      const now = Date.now();
      const spinnerTurned = Math.floor(now / SPINNER_INTERVAL_MS) !== Math.floor(current.now / SPINNER_INTERVAL_MS)
        && view.stages.some((stage) => stage.status === 'running');
      if (version === current.version && !spinnerTurned) return;
      const next: Frame = { view, version, printed: counts.snapshot(), now };
      shown.current = next;
      setFrame(next);
    }, 1000 / MAX_FPS);
    return () => clearInterval(timer);
  }, [store, counts, final]);
  return final ? read() : frame;
}
