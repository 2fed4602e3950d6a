import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { boundedText, type BoundedText } from './boundedText.js';

/**
 * The start of a regular file, at most `maxBytes` of it (cut as boundedText
 * cuts), with the whole file's size; null when it is missing, not a regular
 * file, a symbolic link, or unreadable. Never reads more than it keeps, and
 * never waits on a FIFO.
 *
 * @example readBoundedFile('artifacts/acceptance_test_results.md', 8192) // { text: '# Results…', truncated: false, totalBytes: 512 }
 */
export function readBoundedFile(path: string, maxBytes: number): BoundedText | null {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) return null;
    // A few bytes more than kept, so a character cut at the bound is seen whole.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes + 4));
    const length = readSync(descriptor, buffer, 0, buffer.length, 0);
    const bounded = boundedText(buffer.subarray(0, length).toString('utf8'), maxBytes);
    const totalBytes = Math.max(stat.size, bounded.totalBytes);
    return { ...bounded, truncated: bounded.truncated || totalBytes > maxBytes, totalBytes };
  } catch {
    return null;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
