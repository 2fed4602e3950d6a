import type { RunView, StageView } from '../run-view/runViewModel.js';

/**
 * The stage whose output the screen shows: the focused one; else the running
 * stage that started last; else (run over, or between stages) the stage that
 * started last, so a failure's output stays on screen.
 *
 * @example shownStage(view, null)?.id // 'TEST_STRATEGY' while it and RESEARCH run, it started later
 */
export function shownStage(view: RunView, focusedStage: string | null): StageView | null {
  if (focusedStage !== null) {
    const focused = view.stages.find((stage) => stage.id === focusedStage);
    if (focused) return focused;
  }
  return latestStarted(view.stages.filter((stage) => stage.status === 'running'))
    ?? latestStarted(view.stages.filter((stage) => stage.startedAt !== undefined));
}

function latestStarted(stages: readonly StageView[]): StageView | null {
  let latest: StageView | null = null;
  for (const stage of stages) {
    if (latest === null || (stage.startedAt ?? 0) >= (latest.startedAt ?? 0)) latest = stage;
  }
  return latest;
}
