import type { RunEvent } from './runEvents.js';
import type { RunOutcome } from './runSession.js';

/**
 * Something that follows a run: the live view's store, the line reporter, the
 * inspector, a notifier. The session hands every event to each sink in the
 * order they were given, as the event is logged, and calls each sink's
 * `onRunEnd` once the run has ended and its state is saved.
 *
 * @example startRun({ ...options, sinks: [{ onEvent: (event) => console.log(event.type) }] })
 */
export interface RunSink {
  /** Every event, in order, right after events.jsonl has it (agent output may reach the file later, batched). */
  onEvent?(event: RunEvent): void;
  /** Once per session, after the final checkpoint and run.completed; the session waits for it, and its failure changes nothing. */
  onRunEnd?(outcome: RunOutcome): void | Promise<void>;
}
