import { Box } from 'ink';
import { padEnd } from '../format.js';
import { KEY_HELP } from '../keyHelp.js';
import { StyledLine } from './StyledLine.js';

export interface HelpOverlayProps {
  /** Lines it may take; the list is cut to them. */
  readonly rows: number;
  readonly width: number;
}

/** The keys and what they do (`?`); any key closes it. */
export function HelpOverlay({ rows, width }: HelpOverlayProps) {
  const keysWidth = Math.max(...KEY_HELP.map(([keys]) => keys.length)) + 2;
  const lines = [
    <StyledLine key="title" segments={[{ text: '── keys ', dim: true }, { text: '(any key closes this)', dim: true }]} width={width} />,
    ...KEY_HELP.map(([keys, what]) => (
      <StyledLine key={keys} segments={[{ text: ` ${padEnd(keys, keysWidth)}`, bold: true }, { text: what }]} width={width} />
    )),
  ];
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}
