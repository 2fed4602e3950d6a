import { boundedText, EVIDENCE_MAX_BYTES, truncationNote, type BoundedText } from './boundedText.js';
import { fenced } from './fenced.js';
import type { WorkingTreeChanges } from './gitChanges.js';

/**
 * What grounds a review besides the work agent's reply: the output of the work
 * stage that feeds it (work_to_review_mapping), what changed in the working
 * directory since that work started, and the latest acceptance test results.
 * Plain data, gathered by the stage actor.
 */
export interface ReviewEvidence {
  /** The work stage that feeds this review (work_to_review_mapping), when it is another stage. */
  readonly workStage?: {
    readonly stage: string;
    /** Its latest output; null when it ran in an earlier session of the run. */
    readonly output: string | null;
  };
  readonly changes: ChangesEvidence;
  /**
   * artifacts/acceptance_test_results.md when it exists, read with a bound; `shown` is its
   * name in the artifacts directory (not a path: the file is not one the reviewer writes).
   */
  readonly acceptanceResults?: { readonly shown: string; readonly text: BoundedText };
}

/** The working directory's changes, or why there are none to show. */
export type ChangesEvidence =
  | {
    readonly available: true;
    /** What the diff starts from, for people: `SPEC started`. */
    readonly since: string;
    readonly changes: WorkingTreeChanges;
  }
  | { readonly available: false; readonly reason: string };

/**
 * The review prompt's evidence sections, each bounded (EVIDENCE_MAX_BYTES) with
 * a note when something was left out.
 *
 * @example
 * reviewEvidenceSections({ changes: { available: false, reason: 'not a git repository' } })
 * // ['## Changes in the working directory\nNot available (not a git repository): judge the files themselves.']
 */
export function reviewEvidenceSections(evidence: ReviewEvidence, maxBytes = EVIDENCE_MAX_BYTES): string[] {
  return [
    evidence.workStage ? workStageSection(evidence.workStage, maxBytes) : '',
    changesSection(evidence.changes, maxBytes),
    evidence.acceptanceResults ? acceptanceSection(evidence.acceptanceResults) : '',
  ].filter((section) => section !== '');
}

/**
 * Agent text quoted with a bound: its end (where the summary is), with a note
 * when the start was left out.
 *
 * @example quotedOutput('Wrote spec.md', 8192) // '```\nWrote spec.md\n```'
 */
export function quotedOutput(output: string, maxBytes = EVIDENCE_MAX_BYTES): string {
  const bounded = boundedText(output.trim(), maxBytes, 'tail');
  const note = truncationNote(bounded, 'the end');
  return `${note ? `${note}\n` : ''}${fenced(bounded.text)}`;
}

function workStageSection(work: NonNullable<ReviewEvidence['workStage']>, maxBytes: number): string {
  const heading = `## Output of ${work.stage}, the work stage this review checks`;
  if (work.output === null) return `${heading}\n(${work.stage} ran in an earlier session of this run: judge the files and artifacts it wrote)`;
  return `${heading}\n${work.output.trim() ? quotedOutput(work.output, maxBytes) : '(it gave no output)'}`;
}

function changesSection(changes: ChangesEvidence, maxBytes: number): string {
  const heading = '## Changes in the working directory';
  if (!changes.available) return `${heading}\nNot available (${changes.reason}): judge the files themselves.`;
  const stat = boundedText(changes.changes.diffStat, maxBytes);
  const status = boundedText(changes.changes.status, maxBytes);
  return [
    heading,
    `\`git diff --stat\` since ${changes.since}:`,
    stat.text ? fenced(stat.text, 'text') : '(no changes)',
    truncationNote(stat, 'the start'),
    '`git status --short` now:',
    status.text ? fenced(status.text, 'text') : '(clean)',
    truncationNote(status, 'the start'),
  ].filter((line) => line !== '').join('\n');
}

function acceptanceSection({ shown, text }: NonNullable<ReviewEvidence['acceptanceResults']>): string {
  const note = truncationNote(text, 'the start', `${shown} in the artifacts directory`);
  return [`## Latest acceptance test results (\`${shown}\` in the artifacts directory)`, fenced(text.text || '(empty)'), note].filter((line) => line !== '').join('\n');
}
