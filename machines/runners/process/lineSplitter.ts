/**
 * Splits bytes that arrive in chunks into UTF-8 lines (`\n` or `\r\n`, without
 * the ending), holding at most `maxLineBytes` of an unfinished line: a longer
 * one is passed on in pieces of about that size (cut between characters), so
 * output without newlines cannot grow memory without bound.
 *
 * Each line is decoded from its own bytes. Slicing lines out of a decoded chunk
 * would be simpler, but V8 keeps a slice's whole parent string alive: a few
 * hundred short lines kept by a view would hold as many 64 KiB chunks.
 *
 * @example
 * const splitter = createLineSplitter(1000, (line) => lines.push(line));
 * splitter.write(Buffer.from('a\nb')); splitter.write(Buffer.from('c\n')); splitter.end(); // lines: ['a', 'bc']
 */
export function createLineSplitter(maxLineBytes: number, onLine: (line: string) => void) {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  const emit = (bytes: Buffer) => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    onLine(bytes.toString('utf8', 0, end));
  };
  const joined = (last: Buffer) => {
    if (partial.length === 0) return last;
    const line = Buffer.concat([...partial, last]);
    partial = [];
    partialBytes = 0;
    return line;
  };
  return {
    write(chunk: Buffer): void {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        emit(joined(chunk.subarray(start, end)));
        start = end + 1;
      }
      if (start >= chunk.length) return;
      // Copied: a held view would keep the whole chunk alive.
      const rest = Buffer.from(chunk.subarray(start));
      partial.push(rest);
      partialBytes += rest.length;
      while (partialBytes > maxLineBytes) {
        const held = joined(Buffer.alloc(0));
        const cut = characterBoundary(held, maxLineBytes);
        onLine(held.toString('utf8', 0, cut));
        const remainder = Buffer.from(held.subarray(cut));
        if (remainder.length > 0) partial = [remainder];
        partialBytes = remainder.length;
      }
    },
    /** Passes on the last line if the bytes did not end with a newline. */
    end(): void {
      if (partialBytes > 0) emit(joined(Buffer.alloc(0)));
    },
  };
}

/** The largest offset at or before `at` that does not fall inside a UTF-8 character. */
function characterBoundary(bytes: Buffer, at: number): number {
  let cut = at;
  // Continuation bytes are 10xxxxxx; a character is at most 4 bytes.
  while (cut > at - 4 && cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut;
}
