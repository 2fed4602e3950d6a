import { memo } from 'react';
import type { StageView } from '../../run-view/runViewModel.js';
import { stageRowSegments } from '../stageRowSegments.js';
import { StyledLine } from './StyledLine.js';

export interface StageRowProps {
  readonly stage: StageView;
  /** Marked with `›` and its id drawn inverse. */
  readonly focused: boolean;
  /** The frame's clock (epoch ms): spinner frame and elapsed. Read only while the stage runs. */
  readonly now: number;
  /** Columns for the whole row, gutter included. */
  readonly width: number;
  /** One character before the row: ' ' for a lone stage, '│' inside a parallel group. */
  readonly gutter: string;
  /** Columns of the id and agent columns, shared by all rows so they line up. */
  readonly idWidth: number;
  readonly agentWidth: number;
}

/** One stage on one line: status mark, id, agents, then status details cut to the width. */
function StageRowLine({ stage, focused, now, width, gutter, idWidth, agentWidth }: StageRowProps) {
  return <StyledLine segments={stageRowSegments(stage, { now, focused, gutter, idWidth, agentWidth, width })} width={width} />;
}

/**
 * Rows only redraw when their own props change; the clock only matters to a
 * running row, so a finished or pending row ignores it. (This relies on the
 * view reducer keeping unchanged StageView objects identical.)
 */
export function sameStageRow(previous: StageRowProps, next: StageRowProps): boolean {
  return previous.stage === next.stage
    && previous.focused === next.focused
    && previous.width === next.width
    && previous.gutter === next.gutter
    && previous.idWidth === next.idWidth
    && previous.agentWidth === next.agentWidth
    && (next.stage.status !== 'running' || previous.now === next.now);
}

/** A memoized StageRowLine: see sameStageRow. */
export const StageRow = memo(StageRowLine, sameStageRow);
