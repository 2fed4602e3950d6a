import { readEventLogLines } from '../../../machines/persistence/eventLogStream.js';
import { stageOf } from '../../../machines/session/runEvents.js';

/** What `teambot inspect` needs to know of an events.jsonl before serving it. */
export interface RecordedRunLog {
  /** Events in the whole file: every session of the feature, each from its run.started. */
  readonly eventCount: number;
  /** Sessions the file records (its run.started events). */
  readonly sessions: number;
  /** Stages any event mentions; completed stages none mentions were done before the log began (an older log, cut or lost). */
  readonly stagesMentioned: ReadonlySet<string>;
  /** The objective path the first session's run.started names, when there is one. */
  readonly objective: string | undefined;
}

/**
 * Reads an events.jsonl once, a line at a time, keeping only counts and names,
 * so a log of any size can be inspected.
 *
 * @throws InputError when it is not a file or cannot be read
 */
export async function scanRecordedRun(eventsPath: string): Promise<RecordedRunLog> {
  let eventCount = 0;
  let sessions = 0;
  let objective: string | undefined;
  const stagesMentioned = new Set<string>();
  for await (const { event } of readEventLogLines(eventsPath)) {
    eventCount += 1;
    if (event.type === 'run.started') {
      sessions += 1;
      if (typeof event.objective === 'string' && objective === undefined) objective = event.objective;
    }
    const stage = stageOf(event);
    if (stage !== undefined) stagesMentioned.add(stage);
  }
  return { eventCount, sessions, stagesMentioned, objective };
}

/**
 * The JSON text of every event of the log, all sessions in order, read from
 * the file again each time it is asked for: the replay is one timeline from
 * the first session's run.started to the last event.
 */
export async function* recordedEventJson(eventsPath: string): AsyncGenerator<string> {
  for await (const { text } of readEventLogLines(eventsPath)) yield text;
}
