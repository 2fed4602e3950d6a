import { useEffect, useState } from 'react';
import type { ViewStore } from '../../run-view/viewStore.js';
import { SPINNER_INTERVAL_MS } from '../spinner.js';

/** Frames per second the live view renders at most. */
export const MAX_FPS = 20;

/**
 * The view and the time to draw it at, refreshed at most MAX_FPS times a
 * second when the view changed; while stages run but nothing else happens,
 * only when the spinner turns (elapsed times show whole seconds, which change
 * less often), so an idle run costs a few frames a second.
 */
export function useFrame(store: ViewStore): { view: ReturnType<ViewStore['snapshot']>['view']; now: number } {
  const [frame, setFrame] = useState(() => ({ ...store.snapshot(), now: Date.now() }));
  useEffect(() => {
    const timer = setInterval(() => {
      const next = store.snapshot();
      const running = next.view.stages.some((stage) => stage.status === 'running');
      const now = Date.now();
      setFrame((current) => {
        const spinnerTurned = running && Math.floor(now / SPINNER_INTERVAL_MS) !== Math.floor(current.now / SPINNER_INTERVAL_MS);
        return next.version !== current.version || spinnerTurned ? { ...next, now } : current;
      });
    }, 1000 / MAX_FPS);
    return () => clearInterval(timer);
  }, [store]);
  return frame;
}
