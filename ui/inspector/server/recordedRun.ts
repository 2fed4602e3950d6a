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
  /** Whether the log's first session resumed a run (its earlier sessions were not logged here: a TeamBot run, a log begun later). */
  readonly startsResumed: boolean;
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
  let startsResumed = false;
  const stagesMentioned = new Set<string>();
  for await (const { event } of readEventLogLines(eventsPath)) {
    eventCount += 1;
    if (event.type === 'run.started') {
      if (sessions === 0) startsResumed = event.resumed === true;
      sessions += 1;
    }
    const stage = stageOf(event);
    if (stage !== undefined) stagesMentioned.add(stage);
  }
  return { eventCount, sessions, stagesMentioned, startsResumed };
}

/**
 * The stages done before the log's first event, as the replay shows them at
 * event 0: none when the log holds the run from its first session; when it
 * starts with a resumed session, the completed stages no event mentions (the
 * terminal stage completes with the run, which mentions no stage).
 * @example stagesDoneBeforeLog(log, ['SPEC', 'COMPLETE'], ['SPEC', 'COMPLETE']) // [] for a log of every session
 */
export function stagesDoneBeforeLog(log: RecordedRunLog, completed: readonly string[], stageOrder: readonly string[]): string[] {
  if (!log.startsResumed) return [];
  return completed.filter((stage) => !log.stagesMentioned.has(stage) && stage !== stageOrder.at(-1));
}

/**
 * The JSON text of every event of the log, all sessions in order, read from
 * the file again each time it is asked for: the replay is one timeline from
 * the first session's run.started to the last event.
 */
export async function* recordedEventJson(eventsPath: string): AsyncGenerator<string> {
  for await (const { text } of readEventLogLines(eventsPath)) yield text;
}
