import { Text } from 'ink';
import { fitSegments, type Segment } from '../segments.js';

export interface StyledLineProps {
  /** The line's styled runs, in order. */
  readonly segments: readonly Segment[];
  /** Terminal columns available; the line is cut to fit, ending in `…`. */
  readonly width: number;
}

/** One line of styled text that never wraps: cut to the width instead. */
export function StyledLine({ segments, width }: StyledLineProps) {
  const fitted = fitSegments(segments, width);
  if (fitted.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {fitted.map((segment, index) => (
        <Text key={index} color={segment.color} dimColor={segment.dim} bold={segment.bold} inverse={segment.inverse}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
