import type { RunEvent } from '../../machines/session/runEvents.js';
import { markCancelling, markStoppingAgents, reduceRunView } from './runView.js';
import type { RunView } from './runViewModel.js';

/**
 * Holds the latest RunView. Events are reduced as they come (cheap); the
 * screen reads the view on its own clock, at most twice a second, so an
 * agent printing thousands of lines a second costs one render per frame.
 */
export function createViewStore(initial: RunView) {
  let view = initial;
  let version = 0;
  return {
    dispatch(event: RunEvent): void {
      view = reduceRunView(view, event);
      version++;
    },
    cancelling(): void {
      view = markCancelling(view);
      version++;
    },
    /** While cancelling, how many agents are still being stopped. */
    stoppingAgents(count: number): void {
      view = markStoppingAgents(view, count);
      version++;
    },
    snapshot(): { view: RunView; version: number } {
      return { view, version };
    },
  };
}

export type ViewStore = ReturnType<typeof createViewStore>;
