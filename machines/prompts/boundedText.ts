/** How much of each piece of evidence a prompt quotes (diff stat, status, test results, work output). */
export const EVIDENCE_MAX_BYTES = 8 * 1024;

/** Text cut to a size, and whether anything was left out. */
export interface BoundedText {
  readonly text: string;
  readonly truncated: boolean;
  /** The size of the whole text, in bytes. */
  readonly totalBytes: number;
}

/**
 * At most `maxBytes` of UTF-8 text, cut at a line break when one is near and
 * never inside a character: the start (`head`, where a listing begins) or the
 * end (`tail`, where an agent puts its summary).
 *
 * @example boundedText('a\nb\nc\n', 4) // { text: 'a\nb', truncated: true, totalBytes: 6 }
 * @example boundedText('a\nb\nc', 4, 'tail') // { text: 'b\nc', truncated: true, totalBytes: 5 }
 */
export function boundedText(text: string, maxBytes: number, keep: 'head' | 'tail' = 'head'): BoundedText {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false, totalBytes: bytes.length };
  const slice = keep === 'head' ? bytes.subarray(0, maxBytes) : bytes.subarray(bytes.length - maxBytes);
  // A cut inside a multi-byte character decodes to U+FFFD at the cut: drop it.
  let kept = slice.toString('utf8').replace(keep === 'head' ? /\uFFFD+$/ : /^\uFFFD+/, '');
  if (keep === 'head') {
    const lastBreak = kept.lastIndexOf('\n');
    if (lastBreak > kept.length / 2) kept = kept.slice(0, lastBreak);
  } else {
    const firstBreak = kept.indexOf('\n');
    if (firstBreak !== -1 && firstBreak < kept.length / 2) kept = kept.slice(firstBreak + 1);
  }
  return { text: kept, truncated: true, totalBytes: bytes.length };
}

/**
 * The line that tells the agent what was left out, or '' when nothing was.
 *
 * @example truncationNote({ text: '…', truncated: true, totalBytes: 20480 }, 'the end', 'artifacts/x.md')
 * // '(truncated: only the end of 20 KiB is shown; all of it is in artifacts/x.md)'
 */
export function truncationNote(bounded: BoundedText, shownPart: 'the start' | 'the end', where?: string): string {
  if (!bounded.truncated) return '';
  const whole = where ? `; all of it is in ${where}` : '';
  return `(truncated: only ${shownPart} of ${kibibytes(bounded.totalBytes)} is shown${whole})`;
}

function kibibytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}
