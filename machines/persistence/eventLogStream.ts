import { open, type FileHandle } from 'node:fs/promises';

import type { RunEvent } from '../session/runEvents.js';
import { kindOfEntry, notAFileError, runPathError, statRunPath } from './runDirectoryErrors.js';

/** How much of the file is read at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Longer lines are skipped unread rather than gathered: a log is written one
 * event per line, so such a line is damage (a file with no newline at all), and
 * gathering it could exhaust memory or exceed what a string can hold (512 MB).
 */
export const MAX_LINE_BYTES = 64 << 20;

/** One event of an events.jsonl, with where its line is. */
export interface LoggedLine {
  readonly event: RunEvent;
  /** The line as written (without its newline): JSON text of `event`, sent on as is. */
  readonly text: string;
  /** Byte offset of the line's first byte in the file. */
  readonly offset: number;
}

/**
 * The events of an events.jsonl, one line at a time, from byte `start` (a
 * line's first byte; default the beginning), none when the file does not
 * exist. Memory holds one chunk and one line, never the file, so a log of any
 * size can be read (readEventLog reads it whole). As readEventLog does, a line
 * that does not parse (cut short by a crash) is skipped, and a last line
 * without its newline counts when it parses.
 *
 * @example for await (const { event } of readEventLogLines(path)) count += 1;
 * @throws InputError when it is not a file or cannot be read
 */
export async function* readEventLogLines(path: string, options: { start?: number } = {}): AsyncGenerator<LoggedLine> {
  const action = { path, doing: 'read the run\'s event log' };
  const stats = statRunPath(action);
  if (!stats) return;
  // A FIFO would block the read, a device never end it.
  if (!stats.isFile()) throw notAFileError(kindOfEntry(stats), action);
  const failed = (error: unknown) => runPathError(error, { ...action, writes: false });
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw failed(error);
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const splitter = lineSplitter(options.start ?? 0);
    for (let position = options.start ?? 0; ;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, position));
      } catch (error) {
        throw failed(error);
      }
      if (bytesRead === 0) break;
      position += bytesRead;
      for (const line of splitter.push(chunk.subarray(0, bytesRead))) {
        const logged = parsedLine(line);
        if (logged) yield logged;
      }
    }
    const last = splitter.end();
    const logged = last && parsedLine(last);
    if (logged) yield logged;
  } finally {
    await file.close();
  }
}

/** A line's event, or nothing for a blank line or one that is not a JSON object with a type. */
function parsedLine({ bytes, offset }: { bytes: Buffer; offset: number }): LoggedLine | undefined {
  const text = bytes.toString('utf8').replace(/\r$/, '');
  if (text.trim() === '') return undefined;
  try {
    const event = JSON.parse(text) as unknown;
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') return undefined;
    return { event: event as RunEvent, text, offset };
  } catch {
    return undefined;
  }
}

/**
 * Cuts chunks of bytes into lines at each newline (0x0A, never inside a UTF-8
 * character), keeping each line's byte offset; lines over MAX_LINE_BYTES are
 * dropped as they grow. Pure: no I/O.
 */
export function lineSplitter(start = 0, maxLineBytes = MAX_LINE_BYTES) {
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let lineStart = start;
  let overlong = false;
  let consumed = start;
  const take = (bytes: Buffer) => {
    if (overlong) return;
    if (pieceBytes + bytes.length > maxLineBytes) {
      overlong = true;
      pieces = [];
      pieceBytes = 0;
      return;
    }
    // The caller reuses its buffer: keep a copy.
    pieces.push(Buffer.from(bytes));
    pieceBytes += bytes.length;
  };
  const finish = (): { bytes: Buffer; offset: number } | undefined => {
    const line = overlong ? undefined : { bytes: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), offset: lineStart };
    pieces = [];
    pieceBytes = 0;
    overlong = false;
    return line;
  };
  return {
    /** The lines `bytes` completes. */
    push(bytes: Buffer): { bytes: Buffer; offset: number }[] {
      const lines: { bytes: Buffer; offset: number }[] = [];
      let from = 0;
      for (let newline = bytes.indexOf(0x0a); newline !== -1; newline = bytes.indexOf(0x0a, from)) {
        take(bytes.subarray(from, newline));
        const line = finish();
        if (line) lines.push(line);
        from = newline + 1;
        lineStart = consumed + from;
      }
      take(bytes.subarray(from));
      consumed += bytes.length;
      return lines;
    },
    /** The last line, when the bytes did not end with a newline. */
    end(): { bytes: Buffer; offset: number } | undefined {
      if (pieceBytes === 0 && !overlong) return undefined;
      return finish();
    },
  };
}
