import { basename, dirname, resolve } from 'node:path';
import { shownPath } from '../../loader/shownPath.js';
import type { RunOutcome } from '../../machines/session/runSession.js';
import type { RunView } from '../run-view/runViewModel.js';
import { renderRunSummary } from '../text/runSummary.js';
import { resumeCommandLine } from '../text/resumeCommand.js';

/** What a run prints when it ends: the summary, where its files are, and how to resume it. */
export function closingLines(
  view: RunView, outcome: RunOutcome, cwd: string, options: { color: boolean; width: number | undefined; invocation?: string | undefined },
): string {
  const resumeCommand = outcome.status === 'complete' ? undefined : resumeCommandLine({
    featureDir: outcome.featureDir, featureName: basename(outcome.featureDir), cwd, runsDirectory: dirname(outcome.featureDir),
    status: outcome.status, elapsedSeconds: outcome.elapsedSeconds, maxSeconds: view.maxSeconds,
  }, options.invocation ?? 'teambot');
  return `\n${renderRunSummary(view, {
    width: Math.min(options.width || 100, 120),
    color: options.color,
    paths: {
      artifacts: `${shownPath(cwd, resolve(outcome.featureDir, 'artifacts'))}/`,
      state: shownPath(cwd, outcome.statePath),
      events: shownPath(cwd, outcome.eventsPath),
    },
    ...(resumeCommand ? { resumeCommand } : {}),
  })}`;
}
