import type { RunView, StageView } from '../run-view/runViewModel.js';
import type { LiveKeyContext, LiveUiState } from './liveUiState.js';
import { fullOutputRows, headerRows } from './screenRows.js';
import { shownStage } from './shownStage.js';

/** Everything a key and a frame need to agree on: the shown stage, its lines and the page size. */
export interface LiveScreenContext extends LiveKeyContext {
  readonly stage: StageView | null;
}

const EMPTY: readonly string[] = [];

/**
 * The context of the screen as drawn for `view`: the stage shown, its kept
 * lines, how many earlier ones were dropped (`printed`: lines each stage
 * printed in all) and the full output's page size.
 */
export function liveScreenContext(
  view: RunView,
  ui: Pick<LiveUiState, 'focusedStage'>,
  printed: Readonly<Record<string, number>>,
  terminalRows: number,
  inspectorUrl: string | undefined,
): LiveScreenContext {
  const stage = shownStage(view, ui.focusedStage);
  const lines = stage ? (view.output[stage.id] ?? EMPTY) : EMPTY;
  const firstLine = stage ? Math.max(0, (printed[stage.id] ?? lines.length) - lines.length) : 0;
  return {
    stage,
    lines,
    firstLine,
    stageIds: view.stages.map((candidate) => candidate.id),
    followedStage: shownStage(view, null)?.id ?? null,
    pageRows: fullOutputRows(terminalRows, headerRows(inspectorUrl), firstLine > 0),
  };
}
