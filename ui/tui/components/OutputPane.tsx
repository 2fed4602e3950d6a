import { Box } from 'ink';
import type { StageView } from '../../run-view/runViewModel.js';
import { agentColor } from '../agentColor.js';
import { oneLine, truncate } from '../format.js';
import { segmentsWidth, type Segment } from '../segments.js';
import { StyledLine } from './StyledLine.js';

export interface OutputPaneProps {
  /** The stage whose output is shown; null when no stage has started yet. */
  readonly stage: StageView | null;
  /** That stage's buffered output, oldest first. */
  readonly lines: readonly string[];
  /** Lines of output to show (the pane's title line comes on top). */
  readonly rows: number;
  readonly width: number;
}

/** A titled pane with the last `rows` lines of one stage's output, each cut to the width. */
export function OutputPane({ stage, lines, rows, width }: OutputPaneProps) {
  const shown = rows > 0 ? lines.slice(-rows) : [];
  const first = lines.length - shown.length;
  const placeholder = stage === null ? '(no stage has started)' : '(no output yet)';
  return (
    <Box flexDirection="column" height={rows + 1}>
      <StyledLine segments={titleSegments(stage, lines.length, shown.length, width)} width={width} />
      {shown.length === 0 && rows > 0 && <StyledLine segments={[{ text: placeholder, dim: true }]} width={width} />}
      {shown.map((line, index) => (
        <StyledLine key={first + index} segments={[{ text: truncate(oneLine(line), width) || ' ' }]} width={width} />
      ))}
    </Box>
  );
}

/** `── output · RESEARCH · builder-1 · last 12 of 340 lines ─────` */
function titleSegments(stage: StageView | null, total: number, shown: number, width: number): Segment[] {
  const segments: Segment[] = [{ text: '── output', dim: true }];
  if (stage) {
    segments.push({ text: ' · ', dim: true }, { text: stage.id, bold: true });
    if (stage.agent) segments.push({ text: ' · ', dim: true }, { text: stage.agent, color: agentColor(stage.agent) });
  }
  if (shown < total) segments.push({ text: ` · last ${shown} of ${total} lines`, dim: true });
  const rule = width - segmentsWidth(segments) - 1;
  if (rule > 0) segments.push({ text: ` ${'─'.repeat(rule)}`, dim: true });
  return segments;
}
