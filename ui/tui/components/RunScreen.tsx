import { Box } from 'ink';
import type { RunView } from '../../run-view/runViewModel.js';
import { displayWidth } from '../format.js';
import { Header } from './Header.js';
import { OutputPane } from './OutputPane.js';
import { shownStage } from '../shownStage.js';
import { agentsLabel, planStageList } from '../stageListLayout.js';
import { StageList } from './StageList.js';
import { StageRow } from './StageRow.js';
import { StyledLine } from './StyledLine.js';

export interface RunScreenProps {
  /** Everything known about the run, built from its events. */
  readonly view: RunView;
  /** The frame's clock (epoch ms): elapsed times and spinner frames derive from it. */
  readonly now: number;
  /** The stage the user moved the focus to, or null to follow the latest running stage. */
  readonly focusedStage: string | null;
  /** Show the shown stage's whole buffered output instead of the stage list. */
  readonly expanded: boolean;
  /** Terminal columns and rows the screen must fit in. */
  readonly width: number;
  readonly height: number;
}

const HEADER_ROWS = 2;
const HELP_ROWS = 1;
const PANE_TITLE_ROWS = 1;
/** Output lines kept visible even when the stage list is long (it scrolls instead). */
export const MIN_OUTPUT_LINES = 3;

const EMPTY: readonly string[] = [];
const HELP = 'tab/↑↓ focus · enter output · q cancel';
const HELP_EXPANDED = 'tab/↑↓ focus · enter stages · q cancel';

/**
 * The live view of a run, a pure function of the view and the UI state:
 * header, stage list, the tail of one stage's output, and a key help line,
 * sized to `height` rows. Expanded, the output pane takes the stage list's
 * place and shows as much of the buffered output as fits.
 */
export function RunScreen({ view, now, focusedStage, expanded, width, height }: RunScreenProps) {
  const stage = shownStage(view, focusedStage);
  const lines = stage ? (view.output[stage.id] ?? EMPTY) : EMPTY;
  const fixedRows = HEADER_ROWS + PANE_TITLE_ROWS + HELP_ROWS;

  if (expanded) {
    const stageRows = stage ? 1 : 0;
    return (
      <Box flexDirection="column" width={width}>
        <Header view={view} now={now} width={width} />
        {stage && <StageRow stage={stage} focused={stage.id === focusedStage} now={now} width={width} gutter=" " idWidth={displayWidth(stage.id)} agentWidth={displayWidth(agentsLabel(stage))} />}
        <OutputPane stage={stage} lines={lines} rows={Math.max(0, height - fixedRows - stageRows)} width={width} />
        <StyledLine segments={[{ text: HELP_EXPANDED, dim: true }]} width={width} />
      </Box>
    );
  }

  const plan = planStageList(view, focusedStage ?? stage?.id ?? null, Math.max(1, height - fixedRows - MIN_OUTPUT_LINES), width);
  return (
    <Box flexDirection="column" width={width}>
      <Header view={view} now={now} width={width} />
      <StageList plan={plan} now={now} focusedStage={focusedStage} width={width} />
      <OutputPane stage={stage} lines={lines} rows={Math.max(0, height - fixedRows - plan.rows)} width={width} />
      <StyledLine segments={[{ text: HELP, dim: true }]} width={width} />
    </Box>
  );
}
