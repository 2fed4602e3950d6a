import { InputError, type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';
import { MAX_DURATION_HOURS, MIN_MAX_SECONDS } from '../../loader/durationLimits.js';

// Numbers given on the command line, read strictly: Number() would take `0x10` as 16, `1e400` as
// Infinity and `` as 0, and a value bent into range (or replaced by a default) is a silent
// surprise. Kept free of heavy imports: commander calls these while it parses.

/** A plain decimal number: digits, an optional fraction, an optional exponent (`8`, `0.5`, `.25`, `1e-3`). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** The indentations `teambot schema --indent` accepts: whole numbers of spaces. */
export const MAX_INDENT = 10;

/**
 * `--max-hours`: a decimal number of hours, at least MIN_MAX_SECONDS and at most ten years.
 *
 * @throws InputError `invalid-max-hours`
 * @example parseMaxHours('0.5') // 0.5
 */
export function parseMaxHours(text: string): number {
  const hours = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
  const issue = maxHoursIssue(hours, text);
  if (issue) throw new InputError([issue]);
  return hours;
}

/**
 * The issue with a time limit in hours, if any. The minimum is one second: a shorter limit
 * stops a run before its first stage can do anything, is shown as "0 s", and is saved in the
 * state, so the run could never be resumed as it is.
 */
export function maxHoursIssue(hours: number, given: string = String(hours)): InputIssue | undefined {
  if (Number.isFinite(hours) && hours * 3600 >= MIN_MAX_SECONDS && hours <= MAX_DURATION_HOURS) return undefined;
  return wholeFileIssue({
    file: 'command line', rule: 'invalid-max-hours',
    message: `--max-hours ${given}: must be a decimal number of hours, at least 0.0003 (one second) and at most ${MAX_DURATION_HOURS} (ten years)`,
    fix: 'e.g. --max-hours 8, or --max-hours 0.5 for half an hour',
  });
}

/**
 * `schema --indent`: a whole number of spaces from 0 to MAX_INDENT.
 *
 * @throws InputError `invalid-indent`
 * @example parseIndent('4') // 4
 */
export function parseIndent(text: string): number {
  const spaces = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (spaces >= 0 && spaces <= MAX_INDENT) return spaces;
  throw new InputError([wholeFileIssue({
    file: 'command line', rule: 'invalid-indent',
    message: `--indent ${text}: must be a whole number of spaces from 0 to ${MAX_INDENT}`,
    fix: 'e.g. --indent 2 (the default), or --indent 0 for one line',
  })]);
}
