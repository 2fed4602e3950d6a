import { dirname, join, relative } from 'node:path';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { EVIDENCE_MAX_BYTES } from '../prompts/boundedText.js';
import { headCommit, snapshotWorkingTree, workingTreeChanges, type GitOptions } from '../prompts/gitChanges.js';
import { readBoundedFile } from '../prompts/readBoundedFile.js';
import type { ChangesEvidence, ReviewEvidence } from '../prompts/reviewEvidence.js';
import type { StageAgentInput } from '../workflow/workflowSetup.js';

/** The file the acceptance stage writes its results to (machines/acceptance/). */
export const ACCEPTANCE_RESULTS_FILE = 'acceptance_test_results.md';

export interface ReviewEvidenceOptions {
  readonly stages: StagesConfig;
  /** The project root, where git runs. */
  readonly cwd: string;
  readonly artifactsDir: string;
  /** Said once per distinct problem (not a git repository, git failing). */
  readonly warn: (stage: string, message: string) => void;
  readonly git?: GitOptions;
}

/** Where a diff starts: a tree of the working directory, and when it was taken, for people. */
interface GitBase {
  readonly tree: string;
  readonly since: string;
}

/**
 * Gathers what grounds each review (reviewEvidence.ts) over one session: a
 * snapshot of the working tree when a work stage that feeds a review starts
 * (the stage work_to_review_mapping names, else the review stage's own work
 * call), the outputs of work calls, and at review time the diff since that
 * snapshot and the acceptance results. Git problems are warned about once and
 * become a line in the prompt; they never fail a stage.
 *
 * @example
 * const evidence = createReviewEvidenceCollector({ stages, cwd, artifactsDir, warn });
 * await evidence.beforeCall(input); … evidence.afterCall(input, output); … await evidence.forReview(input);
 */
export function createReviewEvidenceCollector(options: ReviewEvidenceOptions) {
  const { stages, cwd, artifactsDir } = options;
  const mapping = stages.work_to_review_mapping ?? {};
  const bases = new Map<string, GitBase>();
  const outputs = new Map<string, string>();
  const warned = new Set<string>();
  const git: GitOptions = { exclude: teambotDirectory(cwd, artifactsDir), ...options.git };

  /** The other stage whose work this review checks, from work_to_review_mapping. */
  const feederOf = (review: string): string | undefined =>
    Object.keys(mapping).find((work) => mapping[work] === review && work !== review);
  const feedsReview = (stage: string): boolean =>
    stage in mapping || (stages.stages[stage]?.is_review_stage === true && !bases.has(feederOf(stage) ?? ''));
  const warnOnce = (stage: string, message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    options.warn(stage, message);
  };
  const gitProblem = (stage: string, problem: { notRepository: boolean; message: string }): string => {
    const reason = problem.notRepository ? `${cwd} is not a git repository` : problem.message;
    warnOnce(stage, `${reason}: reviews go on without the diff of the agents' changes`);
    return reason;
  };

  return {
    /** Before a work (or acceptance, fix) call: records the base of a stage that feeds a review, once per session. */
    async beforeCall(input: StageAgentInput): Promise<void> {
      if (input.role === 'review' || bases.has(input.stage) || !feedsReview(input.stage)) return;
      const tree = await snapshotWorkingTree(cwd, git);
      if (!tree.ok) {
        gitProblem(input.stage, tree);
        return;
      }
      const since = input.iteration === 1 ? `${input.stage} started` : `${input.stage}'s iteration ${input.iteration} started (the run was resumed)`;
      bases.set(input.stage, { tree: tree.value, since });
    },

    /** After a call: keeps a work call's output for the review it feeds. */
    afterCall(input: StageAgentInput, output: string): void {
      if (input.role !== 'review') outputs.set(input.stage, output);
    },

    /** The evidence for a review call. */
    async forReview(input: StageAgentInput): Promise<ReviewEvidence> {
      const feeder = feederOf(input.stage);
      const base = (feeder !== undefined ? bases.get(feeder) : undefined) ?? bases.get(input.stage);
      const results = readBoundedFile(join(artifactsDir, ACCEPTANCE_RESULTS_FILE), EVIDENCE_MAX_BYTES);
      return {
        ...(feeder !== undefined ? { workStage: { stage: feeder, output: outputs.get(feeder) ?? null } } : {}),
        changes: await changesSince(input.stage, base),
        ...(results ? { acceptanceResults: { shown: ACCEPTANCE_RESULTS_FILE, text: results } } : {}),
      };
    },
  };

  /** The diff from the recorded base, else (a resumed run) from the last commit. */
  async function changesSince(stage: string, base: GitBase | undefined): Promise<ChangesEvidence> {
    let from = base;
    if (from === undefined) {
      const head = await headCommit(cwd, git);
      if (!head.ok) {
        return { available: false, reason: head.notRepository ? gitProblem(stage, head) : 'no base was recorded in this session and the repository has no commit' };
      }
      from = { tree: head.value, since: 'the last commit (HEAD; the work began before this session)' };
    }
    const changes = await workingTreeChanges(cwd, from.tree, git);
    return changes.ok ? { available: true, since: from.since, changes: changes.value } : { available: false, reason: gitProblem(stage, changes) };
  }
}

/** teambot's own run directory (`.teambot`), relative to the project, when it is inside it: its files are not the agents' work. */
function teambotDirectory(cwd: string, artifactsDir: string): string[] {
  const directory = relative(cwd, dirname(dirname(artifactsDir)));
  return directory === '' || directory.startsWith('..') ? [] : [directory];
}
