import { dirname, join } from 'node:path';
import { closeSync } from 'node:fs';
import { makePrivateDirectory, openForAppend, writeAll } from '../../persistence/safeFiles.js';

/** Bytes of output held before they are written: the writer's whole memory. */
const BUFFER_BYTES = 64 * 1024;

/**
 * Where everything a stage's agents print is kept in full: `<featureDir>/output/<STAGE>.log`
 * (every call of the stage, appended). The state file and the events keep only part of it.
 *
 * @example stageOutputPath('/p/.teambot/dark-mode', 'SPEC') // '/p/.teambot/dark-mode/output/SPEC.log'
 */
export function stageOutputPath(featureDir: string, stage: string): string {
  return join(featureDir, 'output', `${stage}.log`);
}

/** Appends lines to one output file; see openStageOutputFile. */
export interface StageOutputFile {
  readonly path: string;
  /** Adds a line (a newline is added); written once 64 KiB are held, or at flush. */
  append(line: string): void;
  /** Writes what is held. */
  flush(): void;
  /** Writes what is held and closes the file (a later line opens it again). */
  close(): void;
}

/**
 * A line appender for an agent's output file, bounded in memory: lines are
 * held up to 64 KiB, then appended in one write. The file is opened at the
 * first write (safeFiles.openForAppend: never through a symbolic link,
 * readable by the user only, since an agent's output can hold what it read)
 * and kept open until close(), when the stage ends: opening a file for each
 * write cost more than the writes.
 *
 * @param options.directoryMade the output directory exists already (made by an earlier call)
 * @throws the file system's error when the file cannot be written (at append, flush or close)
 * @example const file = openStageOutputFile(stageOutputPath(featureDir, 'SPEC')); file.append('line'); file.close();
 */
export function openStageOutputFile(path: string, options: { directoryMade?: boolean } = {}): StageOutputFile {
  // <featureDir>/output/<STAGE>.log: its directory is made private inside the feature directory
  // (once per run: the caller says when it already has).
  if (!options.directoryMade) makePrivateDirectory(dirname(path), dirname(dirname(path)));
  let held: string[] = [];
  let heldBytes = 0;
  let fd: number | undefined;
  const flush = () => {
    if (held.length === 0) return;
    const text = held.join('');
    held = [];
    heldBytes = 0;
    fd ??= openForAppend(path);
    writeAll(fd, Buffer.from(text));
  };
  return {
    path,
    append(line) {
      held.push(`${line}\n`);
      heldBytes += line.length + 1;
      if (heldBytes >= BUFFER_BYTES) flush();
    },
    flush,
    close() {
      try {
        flush();
      } finally {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      }
    },
  };
}
