/**
 * How the live view's rows are shared out: pure, so the key handling (a page
 * is as many lines as the pane shows) and the drawing agree.
 */

/**
 * Rows the live view may take: one less than the terminal. Ink redraws by
 * erasing its previous output line by line, which keeps whatever the
 * terminal showed before (the inspector address, a resume plan) in the
 * scrollback; but once its output is as tall as the terminal it clears the
 * whole screen, scrollback included, on every frame (ink.js: `outputHeight >=
 * stdout.rows`). The view stays inline rather than on the alternate screen,
 * so the final frame stays in the scrollback with the summary below it, as a
 * record of the run, and nothing is lost if teambot is killed mid-run.
 */
export function liveRows(terminalRows: number): number {
  return Math.max(1, terminalRows - 1);
}

/** Header lines: the title, the status, and the inspector's address when there is one. */
export function headerRows(inspectorUrl: string | undefined): number {
  return inspectorUrl ? 3 : 2;
}

/** The output pane's title line, and the key hint (or search prompt) at the bottom. */
const PANE_TITLE_ROWS = 1;
const FOOTER_ROWS = 1;
/** The shown stage's own row above its full output. */
const STAGE_ROW_ROWS = 1;

/** Output lines kept visible under the stage list even when the list is long (it scrolls instead). */
export const MIN_OUTPUT_LINES = 3;

/** Rows the stage list may take above the output pane. */
export function stageListRows(terminalRows: number, header: number): number {
  return Math.max(1, liveRows(terminalRows) - header - PANE_TITLE_ROWS - FOOTER_ROWS - MIN_OUTPUT_LINES);
}

/** Output lines under a stage list of `listRows` lines. */
export function tailRows(terminalRows: number, header: number, listRows: number): number {
  return Math.max(0, liveRows(terminalRows) - header - listRows - PANE_TITLE_ROWS - FOOTER_ROWS);
}

/**
 * Output lines of the full-output mode: the page size. `cut`: a line goes to
 * the note saying where the earlier lines are.
 *
 * @example fullOutputRows(24, 2, false) // 18
 */
export function fullOutputRows(terminalRows: number, header: number, cut: boolean): number {
  return Math.max(1, liveRows(terminalRows) - header - STAGE_ROW_ROWS - PANE_TITLE_ROWS - (cut ? 1 : 0) - FOOTER_ROWS);
}
