import { displayWidth, truncate } from './format.js';

/** A run of text in one style; a line is a list of them. */
export interface Segment {
  readonly text: string;
  /** An Ink/chalk colour name. */
  readonly color?: string;
  readonly dim?: boolean;
  readonly bold?: boolean;
  readonly inverse?: boolean;
}

/** Columns a line of segments takes. */
export function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
}

/**
 * Cuts a styled line to `width` columns; the segment that is cut ends in `…`
 * and keeps its style, later ones are dropped.
 *
 * @example fitSegments([{ text: '✗ ' }, { text: 'agent exited', color: 'red' }], 8)
 * // [{ text: '✗ ' }, { text: 'agent…', color: 'red' }]
 */
export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
  if (segmentsWidth(segments) <= width) return [...segments];
  const fitted: Segment[] = [];
  let left = width;
  for (const segment of segments) {
    const columns = displayWidth(segment.text);
    if (columns < left) {
      fitted.push(segment);
      left -= columns;
      continue;
    }
    // This segment reaches the edge: keep what fits before the ellipsis.
    if (left > 0) fitted.push({ ...segment, text: truncate(`${segment.text}…`, left) });
    break;
  }
  return fitted;
}

/**
 * Pads a styled line with plain spaces to exactly `width` columns (cutting first).
 *
 * @example padSegments([{ text: 'ba', color: 'cyan' }], 4) // [{ text: 'ba', color: 'cyan' }, { text: '  ' }]
 */
export function padSegments(segments: readonly Segment[], width: number): Segment[] {
  const fitted = fitSegments(segments, width);
  const gap = width - segmentsWidth(fitted);
  return gap > 0 ? [...fitted, { text: ' '.repeat(gap) }] : fitted;
}
