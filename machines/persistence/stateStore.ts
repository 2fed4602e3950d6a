import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, fdatasyncSync, ftruncateSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LEGACY_BACKUP_NAME, type StateFileV2 } from '../../loader/stateFile.js';
import { journalPathFor, type JournalRecord } from '../../loader/stateJournal.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { crashPoint } from './crashPoints.js';
import { openForAppend, syncDirectory, writeAll, writeFileAtomically } from './safeFiles.js';
import { createStateBuilder, type CheckpointInput, type RunMetadata } from './stateSnapshot.js';

/** The journal is never rewritten into the state file before it holds this much, however small the state. */
const MIN_COMPACTION_BYTES = 16 * 1024;

/**
 * Persists a run's checkpoints: orchestration_state.json, written whole and
 * atomically (0600 temporary file, fsync, rename) when the session starts, when
 * it ends, and when the journal beside it has outgrown it; in between, each
 * checkpoint is one record appended to orchestration_state.journal.jsonl and
 * fsynced (loader/stateJournal.ts). Bytes written therefore grow linearly
 * with the run: a checkpoint writes what changed, and a rewrite comes only
 * after at least as many journal bytes. The stages fingerprint and the rest of
 * the metadata are written once per rewrite, never per checkpoint.
 *
 * Crash safety: a record is written before the event log says what it
 * records, so it survives the process being killed at any moment; a SIGKILL
 * mid-record leaves a torn last line, which readers ignore. Each record is
 * also fsynced, in the background with the records that follow it (group
 * commit), so a power cut loses at most the checkpoints of the last fsync's
 * few milliseconds (the stages they record run again on resume), never the
 * state file, which is fsynced before it is renamed into place;
 * a rewrite gets a new `journal_id` before the journal is emptied, so a crash
 * between the two leaves records of the old generation, which readers ignore.
 * A failed write (disk full) throws, and the state on disk stays the last
 * checkpoint written whole. A symbolic link in the state's or journal's place
 * is refused, never followed.
 *
 * @param legacyOriginal set when the state was migrated from a TeamBot file:
 *   before the first write that file is kept beside it as orchestration_state.v1.json.
 */
export function createStateStore(path: string, options: {
  stages: StagesConfig;
  metadata: RunMetadata;
  legacyOriginal?: string;
  /** A background fsync of the journal failed (EIO, ENOSPC at write-back): the run must stop. */
  onSyncFailure?: (error: unknown) => void;
}) {
  const featureDir = dirname(path);
  const journalPath = journalPathFor(path);
  const builder = createStateBuilder(options.stages, options.metadata);
  let backupPending = options.legacyOriginal !== undefined;
  let journal: number | undefined;
  let generation = '';
  let seq = 0;
  let journalBytes = 0;
  let stateBytes = 0;
  /** After finish(): a late checkpoint rewrites the state file alone, with no journal left behind. */
  let finished = false;
  /** An fdatasync of the journal is running in the thread pool; `syncAgain`: records came meanwhile. */
  let syncing = false;
  let syncAgain = false;
  /** release() came while a sync was running: the descriptor is closed when it ends (never under it). */
  let closeWhenSynced: number | undefined;

  /**
   * Makes the journal's records durable off the event loop: one fdatasync at a
   * time, and the records appended while it runs share the next one (group
   * commit), so checkpoints never wait for the disk.
   */
  const syncJournal = (fd: number): void => {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    fdatasync(fd, (error) => {
      syncing = false;
      if (error && closeWhenSynced === undefined) options.onSyncFailure?.(error);
      if (closeWhenSynced !== undefined) {
        closeSync(closeWhenSynced);
        closeWhenSynced = undefined;
      } else if (syncAgain) {
        syncAgain = false;
        syncJournal(fd);
      }
    });
  };

  /** Writes the whole state under a new generation, then empties the journal (in that order: see above). */
  const rewrite = (state: StateFileV2): void => {
    if (backupPending) {
      const backup = join(featureDir, LEGACY_BACKUP_NAME);
      if (!lstatSync(backup, { throwIfNoEntry: false })) writeFileAtomically(backup, readFileSync(options.legacyOriginal!, 'utf8'), { root: featureDir });
      backupPending = false;
    }
    generation = randomBytes(6).toString('hex');
    const text = `${JSON.stringify({ ...state, journal_id: generation }, null, 2)}\n`;
    writeFileAtomically(path, text, { root: featureDir });
    syncDirectory(featureDir);
    crashPoint('compaction');
    seq = 0;
    if (finished) return;
    journal ??= openForAppend(journalPath);
    ftruncateSync(journal, 0);
    fdatasyncSync(journal);
    journalBytes = 0;
    stateBytes = Buffer.byteLength(text);
  };

  return {
    path,
    journalPath,
    /** Saves one checkpoint: the first of a session rewrites the state file, the others append to the journal. */
    checkpoint(input: CheckpointInput): void {
      const { state, ops } = builder.checkpoint(input);
      if (journal === undefined) {
        if (finished && ops.length === 0) return;
        rewrite(state);
        return;
      }
      if (ops.length === 0) return;
      const record: JournalRecord = { journal: generation, seq: seq + 1, ops };
      const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
      crashPoint('journal-record', () => writeAll(journal!, bytes.subarray(0, bytes.length >> 1)));
      writeAll(journal, bytes);
      syncJournal(journal);
      seq += 1;
      journalBytes += bytes.length;
      if (journalBytes > Math.max(stateBytes, MIN_COMPACTION_BYTES)) rewrite(state);
    },
    /**
     * The session's end, after its last checkpoint: the state file is made
     * current (TeamBot's fields included) and the journal removed.
     */
    finish(): void {
      const state = builder.latest();
      finished = true;
      if (state !== undefined && journalBytes > 0) rewrite(state);
      if (journal !== undefined) rmSync(journalPath, { force: true });
      this.release();
    },
    /** Closes the journal without writing (after a write failed, nothing more is written). */
    release(): void {
      if (journal === undefined) return;
      if (syncing) closeWhenSynced = journal;
      else closeSync(journal);
      journal = undefined;
    },
  };
}
