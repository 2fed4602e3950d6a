import { isUtf8 } from 'node:buffer';
import { type InputIssue, wholeFileIssue } from './inputIssue.js';

/** A 1-based position in a source file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A path into parsed data: object keys and array indexes, as zod reports them. */
export type DataPath = readonly PropertyKey[];

/**
 * Parsed configuration text that still knows where each value came from, so
 * validation errors can point at the line the user has to change.
 */
export interface SourceDocument {
  readonly file: string;
  /** The parsed data; undefined when the text could not be parsed at all. */
  readonly value: unknown;
  /** Syntax problems (including duplicate keys). */
  readonly syntaxIssues: readonly InputIssue[];
  /**
   * Where the value at `path` starts; with `key: true`, where its key starts.
   * Falls back to the deepest part of the path that exists.
   */
  locate(path: DataPath, options?: { key?: boolean }): SourcePosition;
}

/** No hand-written configuration file reaches this size. */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * Refuses input that cannot be a configuration file before any parser sees it:
 * binary content or a size no hand-written configuration reaches.
 */
export function checkIsConfigText(file: string, text: string, maxBytes = MAX_TEXT_BYTES): InputIssue | undefined {
  if (text.includes('\u0000')) {
    return wholeFileIssue({
      file, rule: 'not-text',
      message: 'the file contains NUL bytes; it is not a text file',
      fix: 'point teambot at the YAML or JSON configuration file itself',
    });
  }
  if (Buffer.byteLength(text) > maxBytes) return tooLargeIssue(file, maxBytes);
  return undefined;
}

/** `too-large`: also said when a reader stopped at the limit, before decoding any of the file. */
export function tooLargeIssue(file: string, maxBytes = MAX_TEXT_BYTES): InputIssue {
  return wholeFileIssue({
    file, rule: 'too-large',
    message: `the file is larger than ${maxBytes / 1024 / 1024} MiB`,
    fix: 'check that this is the right file; configuration files are a few kilobytes',
  });
}

/**
 * Converts a character offset to a 1-based line and column. Fast when called
 * many times on one text (a file with thousands of problems): the line starts
 * of the last text seen are kept and searched, not rescanned for each offset.
 */
export function positionAt(text: string, offset: number): SourcePosition {
  if (lastIndexed?.text !== text) lastIndexed = { text, lines: lineIndex(text) };
  return lastIndexed.lines.positionAt(offset);
}

let lastIndexed: { readonly text: string; readonly lines: LineIndex } | undefined;

/** Where each line of a text starts, built once, for offset → line:column by binary search. */
export interface LineIndex {
  positionAt(offset: number): SourcePosition;
}

/**
 * @example lineIndex('a\nbc').positionAt(3) // { line: 2, column: 2 }
 */
export function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return {
    positionAt(offset) {
      const clamped = Math.min(Math.max(offset, 0), text.length);
      // The last line starting at or before the offset.
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]! <= clamped) low = middle;
        else high = middle - 1;
      }
      return { line: low + 1, column: offset - starts[low]! + 1 };
    },
  };
}

/** Where the first byte that is not UTF-8 sits, or undefined when all of it is UTF-8 text. */
export function invalidUtf8Position(bytes: Buffer): SourcePosition | undefined {
  if (isUtf8(bytes)) return undefined;
  // A newline byte never occurs inside a multi-byte sequence, so each line can be checked alone.
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const text = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (!isUtf8(text)) return { line, column: Math.max(0, text.toString('utf8').indexOf('\uFFFD')) + 1 };
    start = end < 0 ? bytes.length + 1 : end + 1;
  }
  return { line: 1, column: 1 };
}

/**
 * Decodes a configuration or objective file, refusing bytes that are not UTF-8
 * (a Latin-1 file would otherwise turn names into "Set\uFFFDup" silently).
 */
export function decodeUtf8(file: string, bytes: Buffer): { text: string } | { issue: InputIssue } {
  // NUL bytes mean binary (or UTF-16): say that rather than "not UTF-8".
  if (bytes.includes(0)) return { issue: checkIsConfigText(file, '\u0000')! };
  const at = invalidUtf8Position(bytes);
  if (!at) return { text: bytes.toString('utf8') };
  return {
    issue: {
      file, ...at, rule: 'not-utf8',
      message: 'the file contains bytes that are not UTF-8 text',
      fix: 'save the file as UTF-8 (most editors: "Save with encoding" → UTF-8)',
    },
  };
}
