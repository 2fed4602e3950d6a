import type { SearchState } from '../liveUiState.js';
import type { Segment } from '../segments.js';
import { StyledLine } from './StyledLine.js';

export interface FooterProps {
  /** The key hint for the current mode. */
  readonly hint: string;
  /** The search being typed or last run, if any: it takes the hint's place. */
  readonly search: SearchState | null;
  readonly width: number;
}

/** The bottom line: the key hint, or the search prompt and its result. */
export function Footer({ hint, search, width }: FooterProps) {
  return <StyledLine segments={search ? searchSegments(search) : [{ text: hint, dim: true }]} width={width} />;
}

function searchSegments(search: SearchState): Segment[] {
  if (search.editing) return [{ text: '/', bold: true }, { text: search.query }, { text: '▏' }, { text: '  enter find · esc cancel', dim: true }];
  return [
    { text: '/', bold: true },
    { text: search.query },
    search.notFound ? { text: '  no match', color: 'yellow' } : { text: '  n next · N previous · esc clear', dim: true },
  ];
}
