import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { shownPath } from '../../loader/shownPath.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';

/** The run's event log, beside its state file (machines/session/runSession.ts writes it). */
const EVENTS_FILE_NAME = 'events.jsonl';

/**
 * A finished run is archived so a new run can start: its state as
 * orchestration_state.<time>.json and its event log as events.<time>.jsonl, the
 * same time in both names, so the new run's log holds only the new run and the
 * old one stays readable beside its state. An unfinished run is only archived
 * with --fresh. Called with the run lock held, so no live run's files are moved.
 *
 * @returns what was archived, for the user (undefined when there was no previous run)
 */
export function archivePreviousRun(featureDir: string, options: { cwd: string; fresh: boolean }): string | undefined {
  const statePath = join(featureDir, STATE_FILE_NAME);
  if (!existsSync(statePath)) return undefined;
  const status = previousStatus(statePath);
  if (status !== 'complete' && !options.fresh) {
    throw new InputError([wholeFileIssue({
      file: shownPath(options.cwd, statePath), rule: 'run-exists',
      message: `this feature already has a run that did not complete (status ${status ?? 'unreadable'})`,
      fix: `resume it with \`teambot resume ${basename(featureDir)}\`, or start over with --fresh (the old state is kept as an archive)`,
    })]);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const archivePath = join(featureDir, `orchestration_state.${stamp}.json`);
  renameSync(statePath, archivePath);
  const archived = [shownPath(options.cwd, archivePath)];
  const eventsPath = join(featureDir, EVENTS_FILE_NAME);
  if (existsSync(eventsPath)) {
    const eventsArchivePath = join(featureDir, `events.${stamp}.jsonl`);
    renameSync(eventsPath, eventsArchivePath);
    archived.push(shownPath(options.cwd, eventsArchivePath));
  }
  return `the previous run (status ${status ?? 'unreadable'}) was archived as ${archived.join(' and ')}`;
}

function previousStatus(statePath: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(statePath, 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}
