import { join } from 'node:path';
import { makePrivateDirectory, writeFileAtomically } from '../persistence/safeFiles.js';
import type { ReviewVerdict } from '../workflow/reviewVerdict.js';
import { fenced } from '../prompts/stagePrompt.js';

/** One review round as the `review.iteration` event tells it. */
export interface ReviewRound {
  readonly iteration: number;
  readonly verdict: ReviewVerdict;
  readonly feedback: string;
}

export interface ReviewFailureInput {
  /** The review stage that was not approved. */
  readonly stage: string;
  /** Its max_iterations, all used up. */
  readonly maxIterations: number;
  readonly iterations: readonly ReviewRound[];
  /** The work agent's last output, the one the final review rejected. */
  readonly lastWork?: string | undefined;
  /** The feature directory as the user should type it in the resume command; `<feature dir>` when absent. */
  readonly featureDir?: string | undefined;
}

/**
 * The markdown report of a review stage that ran out of iterations: what
 * happened, every iteration's feedback, the last work output and how to go on.
 *
 * @example
 * reviewFailureReport({ stage: 'SPEC_REVIEW', maxIterations: 1,
 *   iterations: [{ iteration: 1, verdict: 'rejected', feedback: 'add AT scenarios' }] })
 * // '# SPEC_REVIEW was not approved\n\nThe reviewer rejected … `teambot run --resume <feature dir> --rerun SPEC_REVIEW` …'
 */
export function reviewFailureReport(input: ReviewFailureInput): string {
  const { stage, maxIterations, iterations } = input;
  const resume = `teambot run --resume ${input.featureDir ?? '<feature dir>'} --rerun ${stage}`;
  const rejected = iterations.filter((round) => round.verdict === 'rejected').length;
  const rounds = [...iterations].sort((a, b) => a.iteration - b.iteration).map((round) =>
    `### Iteration ${round.iteration} of ${maxIterations}: ${round.verdict}\n${round.feedback.trim() ? fenced(round.feedback) : '(no feedback given)'}`);
  return [
    `# ${stage} was not approved`,
    `The reviewer rejected ${stage} in ${rejected} of ${maxIterations} iterations (max_iterations: ${maxIterations}), `
      + 'so the run stopped with status `review_failed`. An iteration is one round of work followed by a review; '
      + 'only an explicit `VERIFIED_APPROVED:` verdict approves.',
    '## Feedback, iteration by iteration',
    ...(rounds.length > 0 ? rounds : ['(no review iterations were recorded in this session; see events.jsonl)']),
    '## The last work output',
    input.lastWork?.trim() ? fenced(input.lastWork) : '(none recorded)',
    '## How to continue',
    [
      `- Fix what the feedback asks for yourself (the documents are in the feature directory's \`artifacts/\`), then run the review again:\n  \`${resume}\``,
      `- Or give the agents more rounds: raise \`max_iterations\` of ${stage} in stages.yaml (now ${maxIterations}, at most 50), then run `
        + `the same command with \`--force\` (the stages configuration changed):\n  \`${resume} --force\``,
    ].join('\n'),
  ].join('\n\n') + '\n';
}

/**
 * Writes the report to `<featureDir>/failures/<STAGE>-review.md` (0600, never
 * through a symbolic link), creating the folder (0700), and returns its path. The resume command names `featureDir` unless
 * the input gives the form to show.
 *
 * @example
 * const path = await writeReviewFailureReport('/repo/.teambot/dark-mode', { stage: 'PLAN_REVIEW', maxIterations: 4, iterations });
 * // '/repo/.teambot/dark-mode/failures/PLAN_REVIEW-review.md'
 */
export async function writeReviewFailureReport(featureDir: string, input: ReviewFailureInput): Promise<string> {
  const directory = join(featureDir, 'failures');
  makePrivateDirectory(directory, featureDir);
  const path = join(directory, `${input.stage}-review.md`);
  writeFileAtomically(path, reviewFailureReport({ ...input, featureDir: input.featureDir ?? featureDir }), { root: featureDir, fsync: false });
  return path;
}
