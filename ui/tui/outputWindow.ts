import { currentTop, matchesQuery, type LiveKeyContext, type LiveUiState } from './liveUiState.js';

/** One output line on screen. */
export interface OutputRow {
  /** Its number counted from the stage's first line (1-based, as a person counts). */
  readonly number: number;
  readonly text: string;
  /** The line the search jumped to. */
  readonly current: boolean;
  /** It contains the query. */
  readonly matches: boolean;
}

/** What the output pane draws: the rows, and where they are in the whole output. */
export interface OutputWindow {
  readonly rows: readonly OutputRow[];
  /** Lines printed in all (kept or not). */
  readonly total: number;
  /** Earlier lines no longer kept (they are in the stage's output file). */
  readonly dropped: number;
  /** The window ends at the last line, so new output shows as it arrives. */
  readonly atEnd: boolean;
}

/**
 * The lines of output that fit in `rows`: the tail while following, else from
 * the scrolled-to line. No blank filler: a short output makes a short pane.
 *
 * @example outputWindow(state, { ...context, lines: ['a', 'b', 'c'], pageRows: 2 }).rows.map((row) => row.text) // ['b', 'c']
 */
export function outputWindow(state: Pick<LiveUiState, 'scrollTop' | 'search'>, context: Pick<LiveKeyContext, 'lines' | 'firstLine' | 'pageRows'>): OutputWindow {
  const { lines, firstLine, pageRows } = context;
  const rows = Math.max(0, pageRows);
  const top = currentTop(state, { ...context, pageRows: rows, stageIds: [], followedStage: null });
  const start = top - firstLine;
  const query = state.search && !state.search.editing ? state.search.query : '';
  const shown = lines.slice(start, start + rows).map((text, index): OutputRow => ({
    number: top + index + 1,
    text,
    current: state.search?.matchLine === top + index,
    matches: matchesQuery(text, query),
  }));
  return { rows: shown, total: firstLine + lines.length, dropped: firstLine, atEnd: start + shown.length >= lines.length };
}
