// Acting on a run's progress instead of on the clock, for the crash-loop test and its benchmark
// alike (bench/crashLoop.mjs runs under plain node, hence JavaScript; runProgress.d.mts types it).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** mulberry32: the same sequence for the same seed, on every machine (kill points that replay). */
export function seededRandom(seed) {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let t = Math.imul(value ^ (value >>> 15), value | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The size of a file in bytes, 0 when it does not exist yet: where a session's events begin in events.jsonl. */
export function fileSize(path) {
  return existsSync(path) ? statSync(path).size : 0;
}

/**
 * Waits until events.jsonl (`path`) holds, after byte `fromByte`, the `nth` complete line for
 * which `matches` holds, and returns that event: for acting on a run's progress (kill it after
 * its third stage.started) instead of on wall-clock time. Polls every 5 ms, reading only what was
 * appended; lines that do not parse (cut short by an earlier crash) never match.
 */
export async function waitForEventLine(path, options) {
  const { nth = 1, matches = () => true, what, timeoutMs, gaveUp } = options;
  const deadline = Date.now() + timeoutMs;
  let offset = options.fromByte ?? 0;
  let partial = '';
  let seen = 0;
  let lastLine = '(none)';
  for (;;) {
    const size = fileSize(path);
    if (size > offset) {
      const buffer = Buffer.alloc(size - offset);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, offset);
      } finally {
        closeSync(fd);
      }
      offset = size;
      const lines = (partial + buffer.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        lastLine = line;
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        if (matches(event) && ++seen === nth) return event;
      }
    }
    const reason = gaveUp?.();
    if (reason !== undefined) throw new Error(`${what}: stopped waiting after ${seen} of ${nth} matching lines, ${reason}; last line: ${lastLine.slice(0, 300)}`);
    if (Date.now() > deadline) throw new Error(`${what}: not there within ${timeoutMs} ms (${seen} of ${nth} matching lines in ${path}; last line: ${lastLine.slice(0, 300)})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
