import { Box } from 'ink';
import type { StageListPlan } from '../stageListLayout.js';
import { ParallelGroupBlock } from './ParallelGroupBlock.js';
import { StageRow } from './StageRow.js';
import { StyledLine } from './StyledLine.js';

export interface StageListProps {
  /** What to draw, from planStageList: the entries that fit and the column widths. */
  readonly plan: StageListPlan;
  /** The frame's clock (epoch ms). */
  readonly now: number;
  readonly focusedStage: string | null;
  readonly width: number;
}

/** The stages in run order, each parallel group as one block, with notes for stages scrolled out of sight. */
export function StageList({ plan, now, focusedStage, width }: StageListProps) {
  const { idWidth, agentWidth } = plan;
  return (
    <Box flexDirection="column">
      {plan.hiddenAbove > 0 && <StyledLine segments={[{ text: `   ↑ ${plan.hiddenAbove} more`, dim: true }]} width={width} />}
      {plan.entries.map((entry) =>
        entry.kind === 'stage' ? (
          <StageRow
            key={entry.stage.id}
            stage={entry.stage}
            focused={entry.stage.id === focusedStage}
            now={now}
            width={width}
            gutter=" "
            idWidth={idWidth}
            agentWidth={agentWidth}
          />
        ) : (
          <ParallelGroupBlock
            key={`group:${entry.group.id}`}
            group={entry.group}
            stages={entry.stages}
            now={now}
            focusedStage={focusedStage}
            width={width}
            idWidth={idWidth}
            agentWidth={agentWidth}
          />
        ),
      )}
      {plan.hiddenBelow > 0 && <StyledLine segments={[{ text: `   ↓ ${plan.hiddenBelow} more`, dim: true }]} width={width} />}
    </Box>
  );
}
