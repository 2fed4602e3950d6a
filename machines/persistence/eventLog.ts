import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { RunEvent } from '../session/runEvents.js';
import { kindOfEntry, notAFileError, runPathError, statRunPath } from './runDirectoryErrors.js';

/** How long agent output may wait in memory before it is written. */
const OUTPUT_FLUSH_MS = 200;

/**
 * Appends events to the run's events.jsonl, one JSON object per line. Events
 * are written synchronously, so the log's order is the order things happened
 * and a crash loses at most the line being written. Agent output lines, which
 * can come by the thousand per second, are batched and written at the latest
 * after OUTPUT_FLUSH_MS, and always before the next event.
 */
export function openEventLog(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    appendFileSync(path, text);
  };
  return {
    path,
    append(event: RunEvent): void {
      flush();
      appendFileSync(path, `${JSON.stringify(event)}\n`);
    },
    /** For high-volume events (agent output): written soon, in order. */
    appendBatched(event: RunEvent): void {
      pending.push(`${JSON.stringify(event)}\n`);
      timer ??= setTimeout(flush, OUTPUT_FLUSH_MS).unref();
    },
    flush,
  };
}

/**
 * The events of an events.jsonl, none when it does not exist; a line that does
 * not parse (cut short by a crash) is skipped.
 *
 * @throws InputError when it is not a file or cannot be read
 */
export function readEventLog(path: string): RunEvent[] {
  const action = { path, doing: 'read the run\'s event log' };
  const stats = statRunPath(action);
  if (!stats) return [];
  // A FIFO would block the read, a device never end it.
  if (!stats.isFile()) throw notAFileError(kindOfEntry(stats), action);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw runPathError(error, { ...action, writes: false });
  }
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as RunEvent];
    } catch {
      return [];
    }
  });
}
