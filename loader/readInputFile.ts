import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileErrorCode } from './fileProblems.js';
import { type InputIssue, wholeFileIssue } from './inputIssue.js';

/**
 * What reading one of the user's input files gave: its bytes (at most the
 * limit + 1, so a file over the limit is known to be without being loaded),
 * or why there are none. Each loader turns the problems into its own rules.
 */
export type InputFileRead =
  | { readonly kind: 'read'; readonly bytes: Buffer; readonly tooLarge: boolean; readonly size: number }
  /** ENOENT, or a part of the path that is a file (ENOTDIR). */
  | { readonly kind: 'missing' }
  | { readonly kind: 'directory' }
  /** A FIFO, device or socket: reading it could block forever or never end. */
  | { readonly kind: 'not-a-file'; readonly what: string }
  | { readonly kind: 'unreadable'; readonly code: string };

/**
 * Reads an input file safely: refuses anything that is not a regular file
 * (after following symbolic links) before opening it, never blocks on a FIFO,
 * and reads at most `maxBytes + 1` bytes, so /dev/zero, a pipe or a huge file
 * cannot hang teambot or fill its memory.
 *
 * @example
 * const read = await readInputFile('stages.yaml', 4 * 1024 * 1024);
 * if (read.kind === 'read' && !read.tooLarge) parse(read.bytes);
 */
export async function readInputFile(path: string, maxBytes: number): Promise<InputFileRead> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    return problemOf(error);
  }
  if (!stats.isFile()) return stats.isDirectory() ? { kind: 'directory' } : { kind: 'not-a-file', what: kindOf(stats) };

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return problemOf(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return opened.isDirectory() ? { kind: 'directory' } : { kind: 'not-a-file', what: kindOf(opened) };
    // A file's size may be 0 (files under /proc) or change while it is read: the limit is on what is read.
    if (opened.size > maxBytes) return { kind: 'read', bytes: Buffer.alloc(0), tooLarge: true, size: opened.size };
    const bytes = await readAtMost(handle, maxBytes + 1);
    return { kind: 'read', bytes, tooLarge: bytes.length > maxBytes, size: Math.max(opened.size, bytes.length) };
  } catch (error) {
    return problemOf(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The issue for a path that names a FIFO, device or socket, in every loader's words.
 *
 * @example notAFileIssue('stages.yaml', 'a FIFO (named pipe)', 'name the stages.yaml file itself')
 */
export function notAFileIssue(file: string, what: string, fix: string): InputIssue {
  return wholeFileIssue({ file, rule: 'not-a-file', message: `this is ${what}, not a file`, fix });
}

/** A few words for what a non-regular path is. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

async function readAtMost(handle: Awaited<ReturnType<typeof open>>, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.min(limit, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, limit - total), null);
    if (bytesRead === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

function problemOf(error: unknown): InputFileRead {
  const code = fileErrorCode(error);
  if (code === undefined) throw error;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'EISDIR') return { kind: 'directory' };
  return { kind: 'unreadable', code };
}
