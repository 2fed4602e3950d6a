/**
 * Splits text that arrives in chunks into lines (`\n` or `\r\n`, without the
 * ending), holding at most `maxLineChars` of an unfinished line: a longer one
 * is passed on in pieces of that size, so output without newlines cannot grow
 * memory without bound.
 *
 * @example
 * const splitter = createLineSplitter(1000, (line) => lines.push(line));
 * splitter.write('a\nb'); splitter.write('c\n'); splitter.end(); // lines: ['a', 'bc']
 */
export function createLineSplitter(maxLineChars: number, onLine: (line: string) => void) {
  let partial = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    write(text: string): void {
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        emit(partial + text.slice(start, end));
        partial = '';
        start = end + 1;
      }
      partial += text.slice(start);
      while (partial.length > maxLineChars) {
        onLine(partial.slice(0, maxLineChars));
        partial = partial.slice(maxLineChars);
      }
    },
    /** Passes on the last line if the text did not end with a newline. */
    end(): void {
      if (partial !== '') emit(partial);
      partial = '';
    },
  };
}
