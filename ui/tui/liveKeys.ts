import type { Key } from 'ink';

/** One key the live view understands, whatever the terminal sent. */
export type LiveKey =
  | { readonly name: 'char'; readonly char: string }
  | { readonly name: 'tab' | 'backtab' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'backspace' | 'ctrlC' };

/** Plain control characters that arrive inside a chunk of typed text. */
const CONTROL: Readonly<Record<string, LiveKey>> = {
  '\t': { name: 'tab' },
  '\r': { name: 'return' },
  '\n': { name: 'return' },
  '\u007f': { name: 'backspace' },
  '\b': { name: 'backspace' },
  '\u0003': { name: 'ctrlC' },
  '\u001b': { name: 'escape' },
};

/**
 * The keys in one call of Ink's useInput. Ink 6 splits escape sequences
 * (arrows, Shift+Tab, PgUp) into calls of their own, even when several come
 * in one read, but hands a run of plain characters over as one `input`
 * string with no key flags: two Tabs typed quickly are "\t\t", not a tab.
 * So a multi-character input is split here, character by character.
 *
 * @example liveKeys('\t\t', inkKey) // [{ name: 'tab' }, { name: 'tab' }]
 * @example liveKeys('', { ...inkKey, pageUp: true }) // [{ name: 'pageUp' }]
 */
export function liveKeys(input: string, key: Key): LiveKey[] {
  const named = namedKey(key);
  // Esc read together with the next key reaches Ink as one Alt+key (ESC ESC [ F):
  // the view has no Alt bindings, so it is the two keys it was.
  if (named) return key.meta && named.name !== 'escape' ? [{ name: 'escape' }, named] : [named];
  if (key.backspace || key.delete) return [{ name: 'backspace' }];
  if (key.ctrl) return input === 'c' ? [{ name: 'ctrlC' }] : [];
  // Other escape sequences (function keys, Alt+letter): nothing the view uses.
  if (key.meta) return [];
  return [...input].map((char) => CONTROL[char] ?? { name: 'char', char });
}

/** The key Ink recognised by name, if any. */
function namedKey(key: Key): LiveKey | undefined {
  if (key.tab) return { name: key.shift ? 'backtab' : 'tab' };
  if (key.upArrow) return { name: 'up' };
  if (key.downArrow) return { name: 'down' };
  if (key.pageUp) return { name: 'pageUp' };
  if (key.pageDown) return { name: 'pageDown' };
  if (key.home) return { name: 'home' };
  if (key.end) return { name: 'end' };
  if (key.return) return { name: 'return' };
  if (key.escape) return { name: 'escape' };
  return undefined;
}
