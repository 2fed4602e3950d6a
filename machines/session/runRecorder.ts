import { openEventLog } from '../persistence/eventLog.js';
import { stamped, type RunEventBody } from './runEvents.js';
import type { RunOutcome } from './runSession.js';
import type { RunSink } from './runSink.js';

/**
 * Where a run's events go: each is time-stamped with the run's clock, written
 * to events.jsonl (agent output batched), then handed to every sink in order.
 *
 * @example const recorder = createRunRecorder({ eventsPath, sinks, now: Date.now }); recorder.record({ type: 'stage.skipped', stage: 'SPEC' });
 */
export function createRunRecorder(options: { readonly eventsPath: string; readonly sinks: readonly RunSink[]; readonly now: () => number }) {
  const eventLog = openEventLog(options.eventsPath);
  return {
    path: eventLog.path,
    /** Logs an event now and publishes it. */
    record(body: RunEventBody): void {
      const event = stamped(body, new Date(options.now()));
      eventLog.append(event);
      for (const sink of options.sinks) sink.onEvent?.(event);
    },
    /** A line an agent printed: published at once, written soon and in order (agents print thousands a second). */
    output(stage: string, line: string): void {
      const event = stamped({ type: 'stage.output', stage, line }, new Date(options.now()));
      eventLog.appendBatched(event);
      for (const sink of options.sinks) sink.onEvent?.(event);
    },
    /** Writes what is still batched. */
    flush: eventLog.flush,
    /** Each sink's run-end hook; a hook that fails (a notifier offline) never changes how the run ended. */
    async runEnded(outcome: RunOutcome): Promise<void> {
      await Promise.allSettled(options.sinks.map(async (sink) => sink.onRunEnd?.(outcome)));
    },
  };
}
