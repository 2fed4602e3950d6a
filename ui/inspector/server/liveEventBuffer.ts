import type { RunEvent } from '../../../machines/session/runEvents.js';

/** Agent output lines kept per stage for pages that connect later (events.jsonl has them all). */
export const OUTPUT_TAIL_LINES = 200;

interface Entry {
  /** Order of arrival across all events. */
  readonly seq: number;
  /** The event's JSON, made once, as every page is sent it. */
  readonly json: string;
}

/**
 * What a live run's inspector keeps of its events for a page that opens (or
 * reconnects) later: every event but agent output in full, which a run has a
 * few hundred of, and of each stage's output lines only the last `tailLines`,
 * since output can run to millions of lines and events.jsonl already holds
 * every one. Events are kept as their JSON text, serialised once.
 *
 * @example const buffer = liveEventBuffer(); buffer.add(event); [...buffer.jsonItems()]
 */
export function liveEventBuffer(tailLines = OUTPUT_TAIL_LINES) {
  const events: Entry[] = [];
  const outputTails = new Map<string, Entry[]>();
  let seq = 0;
  return {
    add(event: RunEvent, json = JSON.stringify(event)): void {
      const entry = { seq: seq++, json };
      if (event.type !== 'stage.output') {
        events.push(entry);
        return;
      }
      const tail = outputTails.get(event.stage) ?? [];
      tail.push(entry);
      // Dropping in batches keeps adding cheap: at most twice the tail is held.
      if (tail.length >= 2 * tailLines) tail.splice(0, tail.length - tailLines);
      outputTails.set(event.stage, tail);
    },
    /** The kept events' JSON, in the order they happened. */
    jsonItems(): string[] {
      const tails = [...outputTails.values()].flatMap((tail) => tail.slice(-tailLines));
      return [...events, ...tails].sort((a, b) => a.seq - b.seq).map((entry) => entry.json);
    },
  };
}
