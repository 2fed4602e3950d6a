import { terminalLine } from '../text/terminalText.js';

/**
 * Text helpers for the live view: cutting text to a number of terminal
 * columns (not string length, which miscounts wide characters and escape codes).
 * Durations are in ui/text/duration.ts, shared with every other view.
 */

// East Asian wide and emoji blocks: two columns each. Rough on purpose; the
// rare character it misjudges costs one column, and Ink truncates as a backstop.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
const ZERO_WIDTH = /[\p{Mark}\u200b-\u200f\ufe00-\ufe0f\u0000-\u001f\u007f-\u009f]/u;

/** Terminal columns one character takes: 0, 1 or 2. */
function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  const code = char.codePointAt(0) ?? 0;
  return WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}

/**
 * Columns a string takes in a terminal.
 *
 * @example displayWidth('日本') // 4
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/**
 * Cuts text to at most `width` columns, ending in `…` when something was cut.
 *
 * @example truncate('reading the docs', 8) // 'reading…'
 */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const char of text) {
    const next = charWidth(char);
    if (used + next > width - 1) break;
    kept += char;
    used += next;
  }
  return `${kept}…`;
}

/**
 * Pads with spaces to `width` columns (cutting first if longer).
 *
 * @example padEnd('SPEC', 6) // 'SPEC  '
 */
export function padEnd(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/**
 * The first line of text an agent or an error produced, safe to draw: colours
 * removed, every other escape sequence and control character shown as text
 * (ui/text/terminalText.ts, the rule of every view), tabs as spaces.
 *
 * @example oneLine('\u001b[31mboom\u001b[0m\nstack…') // 'boom'
 */
export function oneLine(text: string): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  return terminalLine(first.replace(/\t/g, '  ')).trimEnd();
}
