// The one rule for text teambot did not write itself (agent output, errors, anything read from a
// state, configuration or objective file) on its way to a terminal. Such text must not act on the
// terminal: an escape sequence can set the window title (OSC 0), write the clipboard (OSC 52),
// clear the screen (CSI 2J) or hide what follows; a bidi override reorders what the user reads.
// Control characters are made visible rather than dropped, so a user can see what an agent
// printed. Colours (SGR) alone are dropped: they only style text, and agents print many.
// Pure: no Node or DOM APIs. Colour that teambot adds goes around the result, never into it.

/** Select Graphic Rendition (colours, bold…): CSI, parameters, `m`. */
const COLOUR = /\u001b\[[0-9;:]*m/g;

/**
 * Everything that can act on a terminal or reorder text: C0 controls but tab and line feed,
 * DEL, C1 controls, bidi embeddings, overrides and isolates. ESC alone is enough: once it is
 * visible, the rest of its sequence (CSI, OSC, DCS, SOS, PM, APC, two-byte) is plain text.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * How an unsafe character is shown: as it would be written in a JavaScript or JSON string,
 * ASCII only, so it reads the same in every font and log viewer and can be searched for.
 *
 * @example visible('\u001b') // '\\x1b'
 */
function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text from outside teambot made safe to print, line breaks kept: colours removed, every
 * other escape sequence and control character shown as `\x1b[2J`, `\x07`, `\x9b`, `\u202e`.
 * A CR before a line feed is dropped (Windows line ends); a lone CR is shown, since it would
 * let the rest of a line overwrite its start. Tabs and all printable Unicode stay as they are.
 *
 * @example terminalText('\u001b]0;pwned\u0007done\r\n\u001b[31mred\u001b[0m') // '\\x1b]0;pwned\\x07done\nred'
 */
export function terminalText(text: string): string {
  return text.replace(COLOUR, '').replace(/\r\n/g, '\n').replace(UNSAFE, visible);
}

/**
 * Like {@link terminalText} for text that must stay on one line (a table cell, a path, a
 * name): line breaks are shown as `\n` too.
 *
 * @example terminalLine('boom\n\u001b[2J') // 'boom\\n\\x1b[2J'
 */
export function terminalLine(text: string): string {
  return terminalText(text).replace(/\n/g, '\\n');
}

/** The same set as UNSAFE, less what JSON.stringify already escapes (all of C0). */
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1 controls and
 * bidi controls raw; these are written as `\u` escapes too. The same value when parsed, so
 * what a program reads is unchanged.
 *
 * @example terminalJson({ error: '\u009b2J' }) // '{"error":"\\u009b2J"}'
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNESCAPED_BY_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
