import { basename, dirname } from 'node:path';
import type { RunOutcome } from '../../machines/session/runSession.js';
import type { RunSink } from '../../machines/session/runSink.js';
import { resumeCommandLine } from './resumeCommand.js';
import { terminalLine, terminalText } from './terminalText.js';

/** What the quiet line needs besides the outcome: where the user is and how they run teambot. */
export interface QuietLineContext {
  /** Where the resume command will be pasted. */
  readonly cwd: string;
  readonly invocation?: string | undefined;
  /** The run's total time limit, which decides whether resuming needs `--max-hours`. */
  readonly maxSeconds: number;
}

/**
 * The one line `run --quiet` prints: the run's status, and when it did not complete, the
 * command that resumes it.
 *
 * @example quietLine(outcome, { cwd, maxSeconds: 28_800 }) // 'csv-export: timeout; resume: teambot resume csv-export --max-hours 16'
 */
export function quietLine(outcome: RunOutcome, context: QuietLineContext): string {
  const feature = basename(outcome.featureDir);
  if (outcome.status === 'complete') return `${terminalLine(feature)}: complete`;
  const resume = resumeCommandLine({
    featureDir: outcome.featureDir, featureName: feature, cwd: context.cwd, runsDirectory: dirname(outcome.featureDir),
    status: outcome.status, elapsedSeconds: outcome.elapsedSeconds, maxSeconds: context.maxSeconds,
  }, context.invocation ?? 'teambot');
  return `${terminalLine(feature)}: ${outcome.status}; resume: ${terminalLine(resume)}`;
}

/**
 * `run --quiet` as a run sink: nothing while the run goes; when it ends, the error that stopped
 * it (if any) to `error`, then {@link quietLine} to `write`.
 */
export function quietReporter(
  out: { write: (line: string) => void; error: (line: string) => void }, context: QuietLineContext,
): RunSink {
  return {
    onRunEnd(outcome) {
      if (outcome.error && outcome.status !== 'cancelled') out.error(`teambot: ${terminalText(outcome.error)}`);
      out.write(quietLine(outcome, context));
    },
  };
}
