import { useEffect, useState } from 'react';
import type { ViewStore } from '../viewStore.js';

/** Frames per second the live view renders at most. */
export const MAX_FPS = 20;

/**
 * The view and the time to draw it at, refreshed at most MAX_FPS times a
 * second: when the view changed, or while something runs (spinners, elapsed).
 */
export function useFrame(store: ViewStore): { view: ReturnType<ViewStore['snapshot']>['view']; now: number } {
  const [frame, setFrame] = useState(() => ({ ...store.snapshot(), now: Date.now() }));
  useEffect(() => {
    const timer = setInterval(() => {
      const next = store.snapshot();
      const running = next.view.stages.some((stage) => stage.status === 'running');
      setFrame((current) => (next.version !== current.version || running ? { ...next, now: Date.now() } : current));
    }, 1000 / MAX_FPS);
    return () => clearInterval(timer);
  }, [store]);
  return frame;
}
