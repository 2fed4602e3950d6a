import { resolve } from 'node:path';
import { DEFAULT_MAX_HOURS } from '../../loader/durationLimits.js';
import { shownPath } from '../../loader/shownPath.js';
import { printedCommand } from './invocation.js';

/** What decides how a run is resumed, as far as the printed command goes. */
export interface ResumeTarget {
  readonly featureDir: string;
  readonly featureName: string;
  /** Where the command will be pasted. */
  readonly cwd: string;
  /** Where `teambot resume <feature>` looks for runs: the project's teambot_dir, absolute. */
  readonly runsDirectory: string;
  readonly status: string;
  readonly elapsedSeconds: number;
  readonly maxSeconds: number;
  /** The stages configuration differs from the one the run was saved with: resume needs --force. */
  readonly configurationChanged?: boolean | undefined;
}

/**
 * The command that resumes a run, complete enough to work when pasted: the
 * feature name when that finds the run from anywhere in the project, else its
 * directory; `--max-hours` with room to go on when the time limit is used up
 * (resume keeps the saved limit otherwise, and would stop at once); `--force`
 * when the configuration changed. The runner and its options are recorded in
 * the state, so resume reuses them without being told.
 *
 * @example resumeCommandLine(target, 'npx teambot') // 'npx teambot resume csv-export --max-hours 16'
 */
export function resumeCommandLine(target: ResumeTarget, invocation: string): string {
  const byName = resolve(target.runsDirectory, target.featureName) === resolve(target.featureDir);
  const args = ['resume', byName ? target.featureName : shownPath(target.cwd, target.featureDir)];
  if (target.status === 'timeout' || target.elapsedSeconds >= target.maxSeconds) {
    args.push('--max-hours', String(Math.ceil(target.maxSeconds / 3600) + DEFAULT_MAX_HOURS));
  }
  if (target.configurationChanged) args.push('--force');
  return printedCommand(invocation, args);
}
