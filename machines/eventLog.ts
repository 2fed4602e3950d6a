import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One line of `.teambot/<feature>/events.jsonl`: ISO time, type, then the event's fields. */
export interface LogEvent {
  readonly ts: string;
  readonly type: string;
  readonly stage?: string;
  readonly [field: string]: unknown;
}

/**
 * Appends events to the run's events.jsonl, one JSON object per line. Writes are
 * synchronous so the log's order is the order things happened, and a crash
 * loses at most the line being written.
 */
export function openEventLog(path: string): { path: string; append(event: LogEvent): void } {
  mkdirSync(dirname(path), { recursive: true });
  return {
    path,
    append(event) {
      appendFileSync(path, `${JSON.stringify(event)}\n`);
    },
  };
}
