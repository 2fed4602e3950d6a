import { closeSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { RunEvent } from '../session/runEvents.js';
import { kindOfEntry, notAFileError, runPathError, statRunPath } from './runDirectoryErrors.js';
import { assertWritablePlace, endsMidLine, makePrivateDirectory, openForAppend, writeAll } from './safeFiles.js';

/** The run's event log, beside its state file. */
export const EVENTS_FILE_NAME = 'events.jsonl';

const failureListeners = new Set<(path: string, error: unknown) => void>();

/**
 * Calls `listener` when batched output cannot be written to an event log, so
 * the run writing it stops even while no other event comes (an agent printing
 * to a full disk for an hour). The recorder between the session and its log
 * keeps the log to itself, hence a listener here.
 *
 * @returns a function that removes the listener
 */
export function onEventLogFailure(listener: (path: string, error: unknown) => void): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

/** How long agent output may wait in memory before it is written. */
const OUTPUT_FLUSH_MS = 200;

/**
 * Appends events to the run's events.jsonl (0600, never through a symbolic
 * link: opened once, O_NOFOLLOW), one JSON object per line. Events are written synchronously, so the
 * log's order is the order things happened and a crash loses at most the line
 * being written; when a crash left the last line cut short, this session's
 * first write starts a new line, so the broken line never swallows its event.
 * Agent output lines, which can come by the thousand per second, are batched
 * and written at the latest after OUTPUT_FLUSH_MS, and always before the next
 * event. A batch that cannot be written (disk full) is not thrown where it is
 * flushed (a timer, an agent's output handler): it is told to the
 * onEventLogFailure listeners, and thrown by the next append.
 */
export function openEventLog(path: string) {
  makePrivateDirectory(dirname(path), dirname(dirname(path)));
  assertWritablePlace(path, dirname(path));
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let batchFailure: unknown;
  /** Open from the first write until close(): opening the log for every event cost more than writing it. */
  let fd: number | undefined;
  let firstWrite = true;
  const write = (text: string) => {
    if (firstWrite && endsMidLine(path)) text = `\n${text}`;
    fd ??= openForAppend(path);
    writeAll(fd, Buffer.from(text));
    firstWrite = false;
  };
  /** Writes what is batched; a failure is kept for the next append to throw. */
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || batchFailure !== undefined) return;
    const text = pending.join('');
    pending = [];
    try {
      write(text);
    } catch (error) {
      batchFailure = error;
      for (const listener of failureListeners) listener(path, error);
    }
  };
  return {
    path,
    append(event: RunEvent): void {
      flush();
      if (batchFailure !== undefined) throw batchFailure;
      write(`${JSON.stringify(event)}\n`);
    },
    /** For high-volume events (agent output): written soon, in order. */
    appendBatched(event: RunEvent): void {
      if (batchFailure !== undefined) return;
      pending.push(`${JSON.stringify(event)}\n`);
      timer ??= setTimeout(flush, OUTPUT_FLUSH_MS).unref();
    },
    flush,
    /** Closes the file, dropping what is batched (flush first); a later event opens it again. */
    close(): void {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * The events of an events.jsonl, none when it does not exist; a line that does
 * not parse (cut short by a crash, wherever it is in the file) is skipped.
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
      const event: unknown = JSON.parse(line);
      // A line cut short can still parse (`12`, `"a`…): only objects with a type are events.
      return typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string' ? [event as RunEvent] : [];
    } catch {
      return [];
    }
  });
}
