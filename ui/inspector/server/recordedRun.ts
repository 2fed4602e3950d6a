import { readEventLogLines } from '../../../machines/persistence/eventLogStream.js';
import { stageOf } from '../../../machines/session/runEvents.js';

/** What `teambot inspect` needs to know of an events.jsonl before serving it. */
export interface RecordedRunLog {
  /** Events in the whole file (every run of the feature). */
  readonly eventCount: number;
  /** Byte offset of the last run.started line: the page shows that run only (0 when there is none). */
  readonly lastRunStart: number;
  /** Stages the last run's events mention; completed stages they do not mention were done by an earlier session. */
  readonly stagesMentioned: ReadonlySet<string>;
}

/**
 * Reads an events.jsonl once, a line at a time, keeping only counts and where
 * the last run starts, so a log of any size can be inspected.
 *
 * @throws InputError when it is not a file or cannot be read
 */
export async function scanRecordedRun(eventsPath: string): Promise<RecordedRunLog> {
  let eventCount = 0;
  let lastRunStart = 0;
  let stagesMentioned = new Set<string>();
  for await (const { event, offset } of readEventLogLines(eventsPath)) {
    eventCount += 1;
    if (event.type === 'run.started') {
      lastRunStart = offset;
      stagesMentioned = new Set();
    }
    const stage = stageOf(event);
    if (stage !== undefined) stagesMentioned.add(stage);
  }
  return { eventCount, lastRunStart, stagesMentioned };
}

/** The JSON text of the last run's events, read from the file again each time it is asked for. */
export async function* recordedEventJson(eventsPath: string, log: RecordedRunLog): AsyncGenerator<string> {
  for await (const { text } of readEventLogLines(eventsPath, { start: log.lastRunStart })) yield text;
}
