import { InputError } from './inputIssue.js';

/**
 * The checkpoint journal beside orchestration_state.json: one JSON record per
 * line, each the changes of one checkpoint as JSON Patch operations (RFC 6902,
 * `add` and `remove` only) on the state file's JSON. A checkpoint appends a
 * few hundred bytes and fsyncs them instead of rewriting the whole state, so
 * what a run writes grows with what happens, not with stages × checkpoints.
 *
 * The state file names the journal generation it starts (`journal_id`); each
 * record carries it and its place in that generation (`seq`, from 1). When the
 * state file is rewritten (compaction) it gets a new id, so records of an
 * older generation, left by a crash between the rewrite and the truncation,
 * are recognised and ignored, never applied twice.
 *
 * Pure: parsing and applying text, no I/O.
 */

/**
 * The journal of a state file: orchestration_state.journal.jsonl beside
 * orchestration_state.json (an archived orchestration_state.<time>.json keeps
 * its orchestration_state.<time>.journal.jsonl).
 */
export function journalPathFor(statePath: string): string {
  return `${statePath.replace(/\.json$/, '')}.journal.jsonl`;
}

export interface JournalOperation {
  readonly op: 'add' | 'remove';
  /** A JSON Pointer (RFC 6901) into the state file's JSON. */
  readonly path: string;
  readonly value?: unknown;
}

export interface JournalRecord {
  /** The generation: the `journal_id` of the state file these changes apply to. */
  readonly journal: string;
  /** 1 for the first record after the state file was written, then 2, 3… */
  readonly seq: number;
  readonly ops: readonly JournalOperation[];
}

/** The JSON Pointer of a path of keys: `~` and `/` escaped as RFC 6901 says. */
export function jsonPointer(keys: readonly string[]): string {
  return keys.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Keys that would reach an object's prototype rather than its data. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Applies `ops` to `document` in place (the writer keeps its copy of the state
 * this way too, so the file and the journal can never disagree).
 *
 * @returns why an operation cannot apply (no such parent, not an object…), or undefined
 */
export function applyJournalOperations(document: Record<string, unknown>, ops: readonly JournalOperation[]): string | undefined {
  for (const operation of ops) {
    const keys = parsePointer(operation.path);
    if (keys === undefined || keys.length === 0) return `"${operation.path}" is not a path into the state`;
    let parent: unknown = document;
    for (const key of keys.slice(0, -1)) {
      parent = isPlainObject(parent) && Object.hasOwn(parent, key) ? parent[key] : undefined;
    }
    const last = keys.at(-1)!;
    if (!isPlainObject(parent)) return `"${operation.path}": its parent is not an object in the state`;
    if (operation.op === 'add') {
      if (!('value' in operation)) return `"${operation.path}": an add without a value`;
      parent[last] = operation.value;
    } else {
      delete parent[last];
    }
  }
  return undefined;
}

/** A journal line's record, or why it is not one. */
export function parseJournalLine(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || typeof value.journal !== 'string' || !Number.isSafeInteger(value.seq) || !Array.isArray(value.ops)) return undefined;
  const ops = value.ops as unknown[];
  const valid = ops.every((operation) => isPlainObject(operation) && (operation.op === 'add' || operation.op === 'remove')
    && typeof operation.path === 'string');
  return valid ? value as unknown as JournalRecord : undefined;
}

/** What replaying a journal onto its state file did. */
export interface JournalReplay {
  /** Records applied (of the state file's generation, in order). */
  readonly applied: number;
  /** Whole records of another generation: before a compaction the crash interrupted, or after one a reader raced. */
  readonly otherGeneration: number;
  /** Whether the last line was cut short (a crash mid-write, or a write in progress): ignored. */
  readonly tornTail: boolean;
}

/**
 * Replays the journal `text` onto `state` (parsed orchestration_state.json, in
 * place): the records of the state's generation, in order. A last line cut
 * short is ignored; a damaged line before it, or a record out of order, is an
 * error, since a crash can only cut the last one.
 *
 * @throws InputError `state-corrupt` naming the journal's line
 */
export function replayJournal(state: Record<string, unknown>, text: string, journalPath: string): JournalReplay {
  const generation = typeof state.journal_id === 'string' ? state.journal_id : undefined;
  const lines = text.split('\n');
  // Text ending with a newline leaves an empty last piece; anything else there is a line cut short.
  const tail = lines.pop()!;
  let applied = 0;
  let otherGeneration = 0;
  let tornTail = tail.trim() !== '';
  const corrupt = (index: number, why: string) => new InputError([{
    file: journalPath, line: index + 1, column: 1, rule: 'state-corrupt',
    message: `the checkpoint journal is damaged at line ${index + 1} (${why}); nothing was changed`,
    fix: `keep lines 1–${index} only (\`head -n ${index} ${journalPath}\` into a copy, then move it into place), which resumes from the checkpoint before, or start a new run with --fresh`,
  }]);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const record = parseJournalLine(line);
    if (record === undefined) {
      // The last line of a file read while a record was being written is whole JSON only once written.
      if (index === lines.length - 1 && tail === '') {
        tornTail = true;
        continue;
      }
      throw corrupt(index, 'not a journal record');
    }
    if (record.journal !== generation) {
      otherGeneration++;
      continue;
    }
    if (record.seq !== applied + 1) throw corrupt(index, `record ${record.seq} where ${applied + 1} belongs`);
    const failure = applyJournalOperations(state, record.ops);
    if (failure !== undefined) throw corrupt(index, failure);
    applied++;
  }
  return { applied, otherGeneration, tornTail };
}

function parsePointer(pointer: string): string[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const keys = pointer.slice(1).split('/').map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  return keys.some((key) => FORBIDDEN_KEYS.has(key)) ? undefined : keys;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
