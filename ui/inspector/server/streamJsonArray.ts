import type { Writable } from 'node:stream';

/**
 * Writes a JSON array made of `items` (each already JSON text) to `out` and
 * ends it, an item at a time and waiting whenever `out` is full, so an array of
 * any size goes out without being built as one string. Stops reading `items`
 * (closing a file it reads) if `out` is closed first.
 *
 * @example await streamJsonArray(response, ['{"type":"run.started"}']) // writes [{"type":"run.started"}]
 */
export async function streamJsonArray(out: Writable, items: Iterable<string> | AsyncIterable<string>): Promise<void> {
  let separator = '[';
  for await (const item of items) {
    if (out.destroyed) return;
    if (!out.write(separator + item)) await drained(out);
    separator = ',';
  }
  if (!out.destroyed) out.end(separator === '[' ? '[]' : ']');
}

/** Resolves when `out` can take more, or is gone. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
