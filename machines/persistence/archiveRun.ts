import { renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { shownPath } from '../../loader/shownPath.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { currentStateJson } from '../../loader/currentStateJson.js';
import { journalPathFor } from '../../loader/stateJournal.js';
import { EVENTS_FILE_NAME } from './eventLog.js';
import { kindOfEntry, notAFileError, runPathError, statRunPath } from './runDirectoryErrors.js';


/**
 * A finished run is archived so a new run can start: its state as
 * orchestration_state.<time>.json and its event log as events.<time>.jsonl, the
 * same time in both names, so the new run's log holds only the new run and the
 * old one stays readable beside its state. An unfinished run is only archived
 * with --fresh. A checkpoint journal a crash left beside the state goes with
 * it. Called with the run lock held, so no live run's files are moved.
 *
 * @returns what was archived, for the user (undefined when there was no previous run)
 * @throws InputError `run-exists`; or, with nothing moved, when the files cannot be archived
 */
export function archivePreviousRun(featureDir: string, options: { cwd: string; fresh: boolean }): string | undefined {
  const statePath = join(featureDir, STATE_FILE_NAME);
  const look = (path: string) => statRunPath({ path, doing: 'archive the previous run', cwd: options.cwd });
  if (!look(statePath)) return undefined;
  const status = previousStatus(statePath);
  if (status !== 'complete' && !options.fresh) {
    throw new InputError([wholeFileIssue({
      file: shownPath(options.cwd, statePath), rule: 'run-exists',
      message: `this feature already has a run that did not complete (status ${status ?? 'unreadable'})`,
      fix: `resume it with \`teambot resume ${basename(featureDir)}\`, or start over with --fresh (the old state is kept as an archive)`,
    })]);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const eventsPath = join(featureDir, EVENTS_FILE_NAME);
  const moves = [{ from: statePath, to: join(featureDir, `orchestration_state.${stamp}.json`) }];
  const journalPath = journalPathFor(statePath);
  if (look(journalPath)) moves.push({ from: journalPath, to: journalPathFor(moves[0]!.to) });
  const events = look(eventsPath);
  if (events) {
    // A new run appends to events.jsonl: what is there must be a file, or the new run would fail after the move.
    if (!events.isFile()) {
      throw notAFileError(kindOfEntry(events), { path: eventsPath, doing: 'archive the previous run\'s event log', cwd: options.cwd });
    }
    moves.push({ from: eventsPath, to: join(featureDir, `events.${stamp}.jsonl`) });
  }
  moveAllOrNone(moves, options.cwd);
  return `the previous run (status ${status ?? 'unreadable'}) was archived as ${moves.map(({ to }) => shownPath(options.cwd, to)).join(' and ')}`;
}

/** Renames each file; when one rename fails, the ones done are undone, so the run is archived whole or not at all. */
function moveAllOrNone(moves: readonly { from: string; to: string }[], cwd: string): void {
  const done: { from: string; to: string }[] = [];
  for (const move of moves) {
    try {
      renameSync(move.from, move.to);
      done.push(move);
    } catch (error) {
      for (const undo of done.reverse()) renameSync(undo.to, undo.from);
      throw runPathError(error, { path: move.from, doing: 'archive the previous run (rename its files)', writes: true, cwd });
    }
  }
}

/** The status of the run's last checkpoint: the state file's, or its journal's when a crash left one. */
function previousStatus(statePath: string): string | undefined {
  try {
    const { status } = currentStateJson(statePath);
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}
