// The page's state, shared by its views: what the server sent, how far a
// replay is, what a live run's actor last said. Types and one helper; no DOM.
import type { GraphIndex } from './graphIndex.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { RunInfo } from './model.js';
import type { PageRun } from './runState.js';

export interface PageState {
  readonly graph: GraphIndex;
  readonly run: RunInfo;
  /** The current run's events: only those after the last run.started. */
  events: RunEvent[];
  /** Replay: how many events are applied (the slider's value). */
  position: number;
  /** Live: active state ids from the root actor's last snapshot, null until one arrives. */
  snapshotIds: Set<string> | null;
  /** Live: the session id of the root actor, the first one seen. */
  rootSession: string | null;
  /** The run as derived from the applied events. */
  derived: PageRun;
  /** node id → the element that draws it. */
  readonly elements: Map<string, Element>;
  /** The active ids drawn last, to change only what changed. */
  shownActive: Set<string>;
  playing: boolean;
  liveFinished: boolean;
}

/** How many events are applied: the slider's position in a replay, all of them live. */
export const appliedCount = (app: PageState): number => (app.run.mode === 'replay' ? app.position : app.events.length);
