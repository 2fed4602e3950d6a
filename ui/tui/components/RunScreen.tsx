import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { RunView } from '../../run-view/runViewModel.js';
import { FULL_OUTPUT_HINT, LIST_HINT } from '../keyHelp.js';
import type { LiveScreenContext } from '../liveScreen.js';
import { INITIAL_LIVE_UI, type LiveUiState } from '../liveUiState.js';
import { outputWindow } from '../outputWindow.js';
import { headerRows, liveRows, stageListRows, tailRows } from '../screenRows.js';
import { planColumns, planStageList } from '../stageListLayout.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { OutputPane } from './OutputPane.js';
import { StageList } from './StageList.js';
import { StageRow } from './StageRow.js';

export interface RunScreenProps {
  /** Everything known about the run, built from its events. */
  readonly view: RunView;
  /** The frame's clock (epoch ms): elapsed times and spinner frames derive from it. */
  readonly now: number;
  /** What the keys chose: focus, full output, scroll, search, help. */
  readonly ui?: LiveUiState;
  /** The shown stage, its lines and the page size (liveScreenContext), shared with the keys. */
  readonly context: LiveScreenContext;
  /** Terminal columns and rows the screen must fit in (it takes at most rows − 1, see liveRows). */
  readonly width: number;
  readonly height: number;
  /** The inspector's address, shown in the header. */
  readonly inspectorUrl?: string | undefined;
  /** Where a stage's whole output is kept, for the note when earlier lines were dropped. */
  readonly outputFile?: ((stage: string) => string) | undefined;
  /**
   * The frame left in the scrollback when the run is over: header and stage
   * list only, no output pane and no key hint (the summary follows it).
   */
  readonly final?: boolean;
}

/**
 * The live view of a run, a pure function of the view and the UI state:
 * header, stage list, the tail of one stage's output, and a key hint, in at
 * most `height − 1` rows and never padded with blank lines. In full-output
 * mode the output pane takes the stage list's place and scrolls; `?` shows
 * the keys instead.
 */
export function RunScreen({ view, now, ui = INITIAL_LIVE_UI, context, width, height, inspectorUrl, outputFile, final = false }: RunScreenProps) {
  const { stage } = context;
  const header = headerRows(inspectorUrl);
  const headerBlock = <Header view={view} now={now} width={width} inspectorUrl={inspectorUrl} />;

  if (final) {
    const plan = planStageList(view, stage?.id ?? null, Math.max(1, liveRows(height) - header), width);
    return (
      <Screen rows={header + plan.rows} height={height} width={width}>
        {headerBlock}
        <StageList plan={plan} now={now} focusedStage={null} width={width} />
      </Screen>
    );
  }

  if (ui.help) {
    return (
      <Box flexDirection="column" width={width}>
        {headerBlock}
        <HelpOverlay rows={liveRows(height) - header} width={width} />
      </Box>
    );
  }

  if (ui.expanded) {
    const columns = stage ? planColumns([stage], width) : undefined;
    const window = outputWindow(ui, context);
    return (
      <Box flexDirection="column" width={width}>
        {headerBlock}
        {stage && columns && <StageRow stage={stage} focused={stage.id === ui.focusedStage} now={now} width={width} gutter=" " {...columns} />}
        <OutputPane stage={stage} window={window} outputFile={stage ? outputFile?.(stage.id) : undefined} width={width} />
        <Footer hint={FULL_OUTPUT_HINT} search={ui.search} width={width} />
      </Box>
    );
  }

  const plan = planStageList(view, ui.focusedStage ?? stage?.id ?? null, stageListRows(height, header), width);
  const window = outputWindow({ scrollTop: null, search: null }, { ...context, pageRows: tailRows(height, header, plan.rows) });
  return (
    <Screen rows={header + plan.rows + 1 + Math.max(1, window.rows.length) + 1} height={height} width={width}>
      {headerBlock}
      <StageList plan={plan} now={now} focusedStage={ui.focusedStage} width={width} />
      <OutputPane stage={stage} window={window} width={width} />
      <Footer hint={LIST_HINT} search={null} width={width} />
    </Screen>
  );
}

/**
 * The frame's box. Its content is planned to fit in liveRows; only on a tiny
 * terminal (a parallel group taller than the room) can it not, and then the
 * box is cut at liveRows, as a frame as tall as the terminal makes Ink clear
 * the scrollback. Never given a height otherwise: that would pad it with blank lines.
 */
function Screen({ rows, height, width, children }: { rows: number; height: number; width: number; children: ReactNode }) {
  const limit = liveRows(height);
  return rows > limit
    ? <Box flexDirection="column" width={width} height={limit} overflowY="hidden">{children}</Box>
    : <Box flexDirection="column" width={width}>{children}</Box>;
}
