/** The live view's keys, for the help overlay (`?`); the README's table says the same. */
export const KEY_HELP: readonly (readonly [keys: string, what: string])[] = [
  ['Tab / Shift+Tab', 'next / previous stage (its output follows)'],
  ['↑ / ↓', 'stage list: move the focus · full output: scroll a line'],
  ['Enter', 'the focused stage’s full output, Enter again to go back'],
  ['PgUp / PgDn', 'scroll the full output a page'],
  ['Home / End', 'the first kept line / the end (follows new output)'],
  ['/', 'search the output: type, Enter jumps to the next match'],
  ['n / N', 'next / previous match'],
  ['Esc', 'cancel the search, leave the full output, close this help'],
  ['?', 'this help'],
  ['q or Ctrl+C', 'stop the run (state saved, resume command shown)'],
  ['Ctrl+C again', 'kill every agent at once and quit'],
];

/** The one-line hint under the stage list. */
export const LIST_HINT = 'tab/↑↓ focus · enter output · / search · ? keys · q cancel';
/** The one-line hint under the full output. */
export const FULL_OUTPUT_HINT = '↑↓ pgup/pgdn home/end scroll · / search · tab stage · enter back · ? keys · q cancel';
