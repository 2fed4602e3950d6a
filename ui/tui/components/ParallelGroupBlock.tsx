import { Box } from 'ink';
import type { GroupView, StageView } from '../../run-view/runViewModel.js';
import { formatDuration, formatElapsed } from '../../text/duration.js';
import type { Segment } from '../segments.js';
import { StageRow } from './StageRow.js';
import { StyledLine } from './StyledLine.js';
import { groupHeadline } from '../../text/stageWords.js';

export interface ParallelGroupBlockProps {
  readonly group: GroupView;
  /** The group's stages in run order; they run at the same time. */
  readonly stages: readonly StageView[];
  /** The frame's clock (epoch ms). */
  readonly now: number;
  readonly focusedStage: string | null;
  readonly width: number;
  /** Column widths shared with the rest of the stage list. */
  readonly idWidth: number;
  readonly agentWidth: number;
}

const SEPARATOR: Segment = { text: ' · ', dim: true };

/**
 * A parallel group as one bracketed block: a title line with the group's id
 * and status, one row per concurrent stage, and a closing tally.
 *
 *     ┌ post_spec_review · running · 12 s · let_finish
 *     │  ⠋ RESEARCH       builder-1  12 s · reading the docs
 *     │  ⠋ TEST_STRATEGY  builder-2  8 s · listing risks
 *     └ 0/2 done · 2 running
 */
export function ParallelGroupBlock({ group, stages, now, focusedStage, width, idWidth, agentWidth }: ParallelGroupBlockProps) {
  return (
    <Box flexDirection="column">
      <StyledLine segments={titleSegments(group, stages, now)} width={width} />
      {stages.map((stage) => (
        <StageRow
          key={stage.id}
          stage={stage}
          focused={stage.id === focusedStage}
          now={now}
          width={width}
          gutter="│"
          idWidth={idWidth}
          agentWidth={agentWidth}
        />
      ))}
      <StyledLine segments={tallySegments(stages)} width={width} />
    </Box>
  );
}

function titleSegments(group: GroupView, stages: readonly StageView[], now: number): Segment[] {
  const segments: Segment[] = [{ text: '┌ ', dim: true }, { text: group.id, bold: true }, SEPARATOR, groupHeadline(group, stages)];
  if (group.startedAt !== undefined) {
    const time = group.endedAt !== undefined ? formatDuration(group.endedAt - group.startedAt) : formatElapsed(now - group.startedAt);
    segments.push(SEPARATOR, { text: time });
  }
  segments.push(SEPARATOR, { text: group.onFailure, dim: true });
  if (group.isolated) segments.push(SEPARATOR, { text: 'in git worktrees', dim: true });
  return segments;
}

function tallySegments(stages: readonly StageView[]): Segment[] {
  const count = (status: StageView['status']) => stages.filter((stage) => stage.status === status).length;
  const segments: Segment[] = [{ text: '└ ', dim: true }, { text: `${count('completed')}/${stages.length} done` }];
  for (const [status, color] of [['running', 'cyan'], ['failed', 'red'], ['aborted', 'yellow']] as const) {
    if (count(status) > 0) segments.push(SEPARATOR, { text: `${count(status)} ${status}`, color });
  }
  return segments;
}
