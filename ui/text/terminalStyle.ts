import { Chalk } from 'chalk';
import type { TextOutput } from '../commandIo.js';

/**
 * How text for one stream is styled: coloured on an interactive terminal unless NO_COLOR
 * (no-color.org) is set, and wrapped to the terminal's width. A pipe or a file gets the text
 * as it is: no escape codes, and lines a program can match whole.
 */
export interface TextStyle {
  readonly color: boolean;
  /** Columns to wrap at; undefined: do not wrap. */
  readonly width?: number | undefined;
}

/** Text as it is: for pipes, files and tests. */
export const PLAIN_STYLE: TextStyle = { color: false };

/** Narrower than this, wrapping would leave a word or two per line: the terminal wraps instead. */
const MIN_WRAP_WIDTH = 30;

/**
 * The style for a stream in an environment.
 *
 * @example styleFor(process.stderr, process.env) // { color: true, width: 120 } on a terminal
 */
export function styleFor(stream: TextOutput, env: Readonly<Record<string, string | undefined>>): TextStyle {
  if (stream.isTTY !== true) return PLAIN_STYLE;
  const width = stream.columns !== undefined && stream.columns >= MIN_WRAP_WIDTH ? stream.columns : undefined;
  return { color: !env.NO_COLOR, width };
}

/** The tones errors and warnings use, each the identity when the style has no colour. */
export function tonesFor(style: TextStyle) {
  const chalk = new Chalk({ level: style.color ? 1 : 0 });
  return { bold: chalk.bold, dim: chalk.dim, red: chalk.red, green: chalk.green, yellow: chalk.yellow };
}

/**
 * The words of a line for wrapping: split at spaces, but a command in backquotes stays one
 * word, so a wrapped line never breaks a command the user will copy.
 *
 * @example wordsOf('run `teambot resume x` now') // ['run', '`teambot resume x`', 'now']
 */
export function wordsOf(text: string): string[] {
  return text.match(/(?:`[^`]*`|[^\s`])+|`[^`]*$/g) ?? [];
}

/** Colours and other SGR sequences, which take no room on the screen. */
const SGR = /\u001b\[[0-9;]*m/g;

/** The columns text takes on a terminal, its colours left out. */
function visibleLength(text: string): number {
  return text.replace(SGR, '').length;
}

/**
 * Words set in lines of at most `width` columns, the first starting with `first`, the rest with
 * `indent`; a word longer than a line (a path, a URL) gets a line of its own and is not cut.
 * Words may be coloured: they are measured without their colours. Without a width, one line.
 *
 * @example wrapWords(['fix:', 'add', '--runner', 'simulated'], { width: 16, first: '  ', indent: '       ' })
 * // ['  fix: add', '       --runner', '       simulated']
 */
export function wrapWords(words: readonly string[], layout: { width: number | undefined; first?: string; indent: string }): string[] {
  const first = layout.first ?? '';
  if (layout.width === undefined) return [`${first}${words.join(' ')}`];
  const lines: string[] = [];
  let line = first;
  let length = visibleLength(first);
  let empty = true;
  for (const word of words) {
    const wordLength = visibleLength(word);
    if (!empty && length + 1 + wordLength > layout.width) {
      lines.push(line);
      line = layout.indent;
      length = visibleLength(layout.indent);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    length += (empty ? 0 : 1) + wordLength;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * One line of text wrapped to the style's width, the continuation indented by `indent`;
 * leading spaces stay.
 *
 * @example wrapLine('error: too many arguments for run', { width: 20 }, '  ') // ['error: too many', '  arguments for run']
 */
export function wrapLine(line: string, style: TextStyle, indent: string): string[] {
  if (style.width === undefined || visibleLength(line) <= style.width) return [line];
  const leading = /^ */.exec(line)![0];
  return wrapWords(wordsOf(line), { width: style.width, first: leading, indent });
}
