/**
 * The last lines of a stream, at most `maxChars` characters of them: what is
 * kept in memory of an agent's output (for its error message and the stage's
 * result) while the whole of it goes to the output file. A single line longer
 * than the cap is kept by its end.
 */
export interface LineTail {
  push(line: string): void;
  /** The lines kept, oldest first. */
  lines(): string[];
  /** Whether any line (or part of one) was dropped to stay within the cap. */
  readonly truncated: boolean;
}

/**
 * @example const tail = createLineTail(10); tail.push('12345'); tail.push('67890'); tail.push('x'); tail.lines() // ['67890', 'x']
 */
export function createLineTail(maxChars: number): LineTail {
  // A queue with a moving head: shift() on a long array would copy it on every line.
  let kept: string[] = [];
  let head = 0;
  let chars = 0;
  let truncated = false;
  return {
    push(line) {
      const fitted = line.length > maxChars ? line.slice(-maxChars) : line;
      if (fitted !== line) truncated = true;
      kept.push(fitted);
      chars += fitted.length;
      while (chars > maxChars) {
        chars -= kept[head]!.length;
        // Released at once: the slot lives on until the array is compacted.
        kept[head] = '';
        head += 1;
        truncated = true;
      }
      if (head > 1024 && head * 2 > kept.length) {
        kept = kept.slice(head);
        head = 0;
      }
    },
    lines: () => kept.slice(head),
    get truncated() {
      return truncated;
    },
  };
}
