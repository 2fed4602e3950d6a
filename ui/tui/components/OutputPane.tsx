import { Box } from 'ink';
import type { StageView } from '../../run-view/runViewModel.js';
import { agentColor } from '../agentColor.js';
import { oneLine, truncate } from '../format.js';
import type { OutputWindow } from '../outputWindow.js';
import { segmentsWidth, type Segment } from '../segments.js';
import { StyledLine } from './StyledLine.js';

export interface OutputPaneProps {
  /** The stage whose output is shown; null when no stage has started yet. */
  readonly stage: StageView | null;
  /** The lines to draw and where they are in the whole output (outputWindow). */
  readonly window: OutputWindow;
  /** Where the stage's whole output is kept, shown when earlier lines were dropped; undefined: no note. */
  readonly outputFile?: string | undefined;
  readonly width: number;
}

/** A titled pane with some lines of one stage's output, each cut to the width; no blank filler. */
export function OutputPane({ stage, window, outputFile, width }: OutputPaneProps) {
  const placeholder = stage === null ? '(no stage has started)' : '(no output yet)';
  return (
    <Box flexDirection="column">
      <StyledLine segments={titleSegments(stage, window, width)} width={width} />
      {outputFile !== undefined && window.dropped > 0 && (
        <StyledLine segments={[{ text: `${window.dropped} earlier lines are in ${outputFile}`, dim: true }]} width={width} />
      )}
      {window.total === 0 && <StyledLine segments={[{ text: placeholder, dim: true }]} width={width} />}
      {window.rows.map((row) => (
        <StyledLine
          key={row.number}
          segments={[{ text: truncate(oneLine(row.text), width) || ' ', ...(row.current ? { inverse: true } : row.matches ? { color: 'yellow' } : {}) }]}
          width={width}
        />
      ))}
    </Box>
  );
}

/** `── output · RESEARCH · builder-1 · lines 12–40 of 340 ─────` (the range only when not all shows). */
function titleSegments(stage: StageView | null, window: OutputWindow, width: number): Segment[] {
  const segments: Segment[] = [{ text: '── output', dim: true }];
  if (stage) {
    segments.push({ text: ' · ', dim: true }, { text: stage.id, bold: true });
    if (stage.agent) segments.push({ text: ' · ', dim: true }, { text: stage.agent, color: agentColor(stage.agent) });
  }
  const first = window.rows[0]?.number;
  const last = window.rows.at(-1)?.number;
  if (first !== undefined && last !== undefined && window.rows.length < window.total) {
    segments.push({ text: ` · lines ${first}–${last} of ${window.total}${window.atEnd ? '' : ' ↓'}`, dim: true });
  }
  const rule = width - segmentsWidth(segments) - 1;
  if (rule > 0) segments.push({ text: ` ${'─'.repeat(rule)}`, dim: true });
  return segments;
}
