import type { LiveKey } from './liveKeys.js';

/** What the person at the terminal chose to see; everything else comes from the run. */
export interface LiveUiState {
  /** The stage moved to with Tab/arrows, or null to follow the stage running latest. */
  readonly focusedStage: string | null;
  /** The shown stage's whole kept output instead of the stage list. */
  readonly expanded: boolean;
  /**
   * Number of the first output line shown, counted from the stage's first line ever
   * (lines no longer kept included, so the place holds while old lines are dropped);
   * null follows the end as output arrives.
   */
  readonly scrollTop: number | null;
  readonly search: SearchState | null;
  /** The key help overlay is open. */
  readonly help: boolean;
  /** q or Ctrl+C was pressed once: the run is being stopped. */
  readonly cancelled: boolean;
}

export interface SearchState {
  readonly query: string;
  /** The query is being typed (keys go to it, not to the view). */
  readonly editing: boolean;
  /** Number of the matching line jumped to (counted like scrollTop); null before a jump or when nothing matched. */
  readonly matchLine: number | null;
  /** The last jump found nothing. */
  readonly notFound: boolean;
}

/** What the keys need to know of the screen at the moment they arrive. */
export interface LiveKeyContext {
  /** Stage ids in run order. */
  readonly stageIds: readonly string[];
  /** The stage shown when nothing is focused (see shownStage), or null. */
  readonly followedStage: string | null;
  /** The shown stage's kept output, oldest first. */
  readonly lines: readonly string[];
  /** Number of lines[0] (how many earlier lines are no longer kept). */
  readonly firstLine: number;
  /** Output lines the full-output pane shows at once. */
  readonly pageRows: number;
}

/** What a key asks of the run, beyond the view. */
export type LiveEffect = 'cancel' | 'quitNow';

export const INITIAL_LIVE_UI: LiveUiState = { focusedStage: null, expanded: false, scrollTop: null, search: null, help: false, cancelled: false };

/**
 * The live view's keys as a pure reducer: the next state and what the run
 * must do. Applied once per key, so keys arriving together all count.
 *
 * @example reduceLiveKey(INITIAL_LIVE_UI, { name: 'tab' }, context).state.focusedStage // the stage after the followed one
 */
export function reduceLiveKey(state: LiveUiState, key: LiveKey, context: LiveKeyContext): { state: LiveUiState; effects: LiveEffect[] } {
  if (key.name === 'ctrlC') {
    return state.cancelled ? { state, effects: ['quitNow'] } : { state: { ...state, cancelled: true }, effects: ['cancel'] };
  }
  if (state.search?.editing) return { state: typing(state, state.search, key, context), effects: [] };
  if (state.help) {
    // Any key closes the help; q still cancels.
    const closed = { ...state, help: false };
    return isChar(key, 'q') ? reduceLiveKey(closed, key, context) : { state: closed, effects: [] };
  }
  if (isChar(key, 'q')) return state.cancelled ? { state, effects: [] } : { state: { ...state, cancelled: true }, effects: ['cancel'] };
  return { state: viewing(state, key, context), effects: [] };
}

const isChar = (key: LiveKey, char: string) => key.name === 'char' && key.char === char;

/** Keys while looking at the run (no query being typed, no help open). */
function viewing(state: LiveUiState, key: LiveKey, context: LiveKeyContext): LiveUiState {
  switch (key.name) {
    case 'tab': return moveFocus(state, 1, context);
    case 'backtab': return moveFocus(state, -1, context);
    case 'up': return state.expanded ? scrollBy(state, -1, context) : moveFocus(state, -1, context);
    case 'down': return state.expanded ? scrollBy(state, 1, context) : moveFocus(state, 1, context);
    // Paging opens the full output: the small pane has nothing worth paging through.
    case 'pageUp': return scrollBy({ ...state, expanded: true }, -context.pageRows, context);
    case 'pageDown': return scrollBy({ ...state, expanded: true }, context.pageRows, context);
    case 'home': return { ...state, expanded: true, scrollTop: clampTop(context.firstLine, context) };
    case 'end': return { ...state, expanded: true, scrollTop: null };
    case 'return': return { ...state, expanded: !state.expanded, scrollTop: null, search: null };
    case 'escape':
      if (state.search) return { ...state, search: null };
      return { ...state, expanded: false, scrollTop: null };
    case 'backspace':
    case 'ctrlC':
      return state;
    case 'char':
      if (key.char === '?') return { ...state, help: true };
      if (key.char === '/') return { ...state, expanded: true, search: { query: '', editing: true, matchLine: null, notFound: false } };
      if (state.search && (key.char === 'n' || key.char === 'N')) return jumpToMatch(state, state.search, key.char === 'n' ? 1 : -1, context);
      return state;
  }
}

/** Keys while a query is typed: text, Backspace, Enter to jump, Esc to cancel. */
function typing(state: LiveUiState, search: SearchState, key: LiveKey, context: LiveKeyContext): LiveUiState {
  switch (key.name) {
    case 'char': return { ...state, search: { ...search, query: search.query + key.char } };
    case 'backspace':
      return search.query === '' ? { ...state, search: null } : { ...state, search: { ...search, query: [...search.query].slice(0, -1).join('') } };
    case 'escape': return { ...state, search: null };
    case 'return':
      if (search.query === '') return { ...state, search: null };
      return jumpToMatch(state, { ...search, editing: false }, 1, context);
    default: return state;
  }
}

/**
 * The next stage in run order (or the previous one), wrapping around. While
 * following, "current" is the followed stage, so the first Tab goes to the
 * stage after the one on screen. Scrolling starts again at the end.
 */
function moveFocus(state: LiveUiState, step: 1 | -1, context: LiveKeyContext): LiveUiState {
  const { stageIds } = context;
  if (stageIds.length === 0) return state;
  const current = state.focusedStage ?? context.followedStage;
  const index = current === null ? (step > 0 ? -1 : 0) : stageIds.indexOf(current);
  const next = stageIds[(index + step + stageIds.length) % stageIds.length] ?? null;
  return { ...state, focusedStage: next, scrollTop: null, search: state.search && { ...state.search, matchLine: null, notFound: false } };
}

/** The last possible top line: the end of the output fills the page. */
function bottomTop(context: LiveKeyContext): number {
  return context.firstLine + Math.max(0, context.lines.length - context.pageRows);
}

/** A top line within the output; the bottom one becomes null, so the view follows new output again. */
function clampTop(top: number, context: LiveKeyContext): number | null {
  const bottom = bottomTop(context);
  const clamped = Math.min(Math.max(top, context.firstLine), bottom);
  return clamped >= bottom ? null : clamped;
}

/** The top line shown now: scrollTop, or the bottom while following (or when scrollTop fell out of the kept lines). */
export function currentTop(state: Pick<LiveUiState, 'scrollTop'>, context: LiveKeyContext): number {
  if (state.scrollTop === null) return bottomTop(context);
  return Math.min(Math.max(state.scrollTop, context.firstLine), bottomTop(context));
}

function scrollBy(state: LiveUiState, lines: number, context: LiveKeyContext): LiveUiState {
  return { ...state, scrollTop: clampTop(currentTop(state, context) + lines, context) };
}

/** Lines matching a query: case-insensitive, plain text (no patterns to escape). */
export function matchesQuery(line: string, query: string): boolean {
  return query !== '' && line.toLowerCase().includes(query.toLowerCase());
}

/**
 * Jumps to the next (or previous) line matching the query, wrapping around;
 * from the last match, else from the top line shown. The match goes to the
 * top of the page (or as high as the end of the output allows).
 */
function jumpToMatch(state: LiveUiState, search: SearchState, step: 1 | -1, context: LiveKeyContext): LiveUiState {
  const { lines, firstLine } = context;
  const from = (search.matchLine ?? (step > 0 ? currentTop(state, context) - 1 : currentTop(state, context))) - firstLine;
  for (let offset = 1; offset <= lines.length; offset++) {
    const index = (((from + step * offset) % lines.length) + lines.length) % lines.length;
    if (matchesQuery(lines[index]!, search.query)) {
      const matchLine = firstLine + index;
      return { ...state, expanded: true, scrollTop: clampTop(matchLine, context), search: { ...search, matchLine, notFound: false } };
    }
  }
  return { ...state, search: { ...search, matchLine: null, notFound: true } };
}
