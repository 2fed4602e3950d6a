import { isAbsolute, join, relative } from 'node:path';
import { shownPath } from '../../loader/shownPath.js';
import type { Objective } from '../../loader/objective.js';
import type { StageDefinition } from '../../loader/stagesSchema.js';
import type { AgentRole } from '../runners/agentRunner.js';
import type { StageAgentInput } from '../workflow/workflowSetup.js';
import { fenced } from './fenced.js';
import { quotedOutput, reviewEvidenceSections, type ReviewEvidence } from './reviewEvidence.js';

export { fenced };

/** Everything one agent call's prompt is built from; plain data, read by the caller. */
export interface StagePromptContext {
  readonly stage: StageDefinition;
  /** The call: role, iteration, and the feedback / work output / previous attempt it carries. */
  readonly call: Omit<StageAgentInput, 'stage'>;
  readonly objective: Objective;
  /** The text of the stage's prompt_template; null when the stage has none. */
  readonly template: string | null;
  /** The project root, where the agent works (absolute). */
  readonly cwd: string;
  /** `<teambot_dir>/<feature>/artifacts`, absolute. */
  readonly artifactsDir: string;
  /** Review calls: the feeding work stage's output, the changes since it started, the acceptance results. */
  readonly evidence?: ReviewEvidence | undefined;
}

/** One artifact the stage must write: where it is, and how the agent should name it. */
export interface ArtifactPath {
  readonly absolute: string;
  /** Relative to the working directory when inside it, else absolute. */
  readonly shown: string;
}

/**
 * Which call writes the stage's artifacts: the review on review stages (the
 * review file is the reviewer's), never a fix round, otherwise every call.
 *
 * @example producesArtifacts('review', { is_review_stage: true }) // true
 * @example producesArtifacts('work', { is_review_stage: true })   // false
 */
export function producesArtifacts(role: AgentRole, stage: Pick<StageDefinition, 'is_review_stage'>): boolean {
  if (role === 'fix') return false;
  return stage.is_review_stage ? role === 'review' : true;
}


/**
 * The stage's declared artifacts inside the artifacts directory.
 *
 * @example
 * artifactPaths(['spec.md'], '/repo', '/repo/.teambot/x/artifacts')
 * // [{ absolute: '/repo/.teambot/x/artifacts/spec.md', shown: '.teambot/x/artifacts/spec.md' }]
 */
export function artifactPaths(artifacts: readonly string[], cwd: string, artifactsDir: string): ArtifactPath[] {
  return artifacts.map((artifact) => {
    const absolute = join(artifactsDir, artifact);
    return { absolute, shown: shownPath(cwd, absolute) };
  });
}

/** The section that ends every review prompt: the verdict parser needs one of these two lines. */
export const VERDICT_INSTRUCTION = [
  '## Your verdict',
  'End your reply with your verdict, on a line that starts with one of these:',
  '- `VERIFIED_APPROVED: <reason>` when the work meets every exit criterion, or',
  '- `REJECTED: <concrete, actionable feedback>`: point by point what must change (it may continue on the following lines).',
  'Only an explicit `VERIFIED_APPROVED:` line approves: anything else counts as a rejection.',
].join('\n');

/**
 * The prompt for one agent call, in markdown: the stage and the call, what the
 * role must do, the stage's template and description, the objective, where to
 * work and what to write, the exit criteria, and what the call carries from
 * earlier calls (the previous attempt and its feedback, the work under review,
 * the failed acceptance run). Deterministic: the same context gives the same text.
 *
 * @example
 * buildStagePrompt({ stage, call: { role: 'review', iteration: 1, workOutput: 'Wrote spec.md' },
 *   objective, template: null, cwd: '/repo', artifactsDir: '/repo/.teambot/x/artifacts' })
 * // '# Stage SPEC_REVIEW: Spec Review\n…## Work under review\n```\nWrote spec.md\n```\n\n## Your verdict\n…'
 */
export function buildStagePrompt(context: StagePromptContext): string {
  const { stage, call, objective, template } = context;
  const sections = [
    header(stage, call),
    `## Your task\n${roleInstruction(stage, call)}`,
    template?.trim() ? `## Stage instructions\n${template.trim()}` : '',
    stage.description.trim() ? `## About this stage\n${stage.description.trim()}` : '',
    stage.include_objective ? objectiveSection(objective) : '',
    workingDirectorySection(context),
    artifactsSection(context),
    list('## Exit criteria', stage.exit_criteria),
    ...carriedSections(call),
    ...(call.role === 'review' && context.evidence ? reviewEvidenceSections(context.evidence) : []),
    call.role === 'review' ? VERDICT_INSTRUCTION : '',
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

/** `# Stage ID: Name` and the call: role and iteration (of the maximum, on review and acceptance stages). */
function header(stage: StageDefinition, call: StagePromptContext['call']): string {
  const of = stage.is_review_stage && stage.max_iterations !== undefined ? ` of ${stage.max_iterations}` : '';
  const counter = stage.is_acceptance_test_stage ? 'Round' : 'Iteration';
  return `# Stage ${stage.id}: ${stage.name}\nRole: ${call.role} · ${counter} ${call.iteration}${of}`;
}

/** What this role must do, in a few sentences. */
function roleInstruction(stage: StageDefinition, call: StagePromptContext['call']): string {
  switch (call.role) {
    case 'work':
      if (!stage.is_review_stage) {
        return 'Do the work of this stage in the working directory. Write every file listed under Artifacts, at exactly that path, '
          + 'and stop when every exit criterion is met. End with a short summary of what you did and which files you changed.';
      }
      if (call.iteration > 1) {
        return 'The reviewer rejected your previous attempt. Revise the work so that it addresses every point of the reviewer\'s feedback '
          + '(both are below), then end with a summary that says, point by point, how each one was addressed. '
          + 'The reviewer judges the revised work next.';
      }
      return 'Do the work of this stage in the working directory; a reviewer judges it next against the exit criteria. '
        + 'Your reply is handed to the reviewer: end with a summary of what you produced or changed and where (file paths).';
    case 'review':
      return 'Review the work under review below (the work agent\'s latest output, and the files it names) against the objective '
        + 'and the exit criteria. Write your review to the files listed under Artifacts. Approve only work that meets every exit criterion, '
        + 'and end with the verdict line described at the end of this prompt.';
    case 'acceptance':
      return 'Run every scenario of the feature specification\'s "Acceptance Test Scenarios" section (AT-001, AT-002, …) end to end, '
        + 'as a user would. Report one line per scenario: `AT-nnn: passed` or `AT-nnn: failed — <what went wrong>`, and write the '
        + 'results to the files listed under Artifacts. Do not change the code in this step.';
    case 'fix':
      return 'The acceptance test run below failed. Fix the implementation (not the scenarios) so that every failing scenario passes; '
        + 'the scenarios run again after you finish. End with a summary of what you changed.';
  }
}

/** The objective's title, goals, success criteria (with their checkbox state), constraints and context. */
function objectiveSection(objective: Objective): string {
  return [
    `## Objective: ${objective.title}`,
    list('### Goals', objective.goals),
    list('### Success criteria', objective.successCriteria.map((criterion) => `[${criterion.done ? 'x' : ' '}] ${criterion.text}`)),
    list('### Constraints', objective.constraints),
    objective.context?.trim() ? `### Context\n${objective.context.trim()}` : '',
  ].filter((part) => part !== '').join('\n\n');
}

function workingDirectorySection({ cwd }: StagePromptContext): string {
  return `## Working directory\n\`${cwd}\`\nRun commands and change code here; relative paths in this prompt are relative to it.`;
}

/** Where the feature's artifacts live, and the files this call must write when its role produces them. */
function artifactsSection({ stage, call, cwd, artifactsDir }: StagePromptContext): string {
  const where = `This feature's artifacts, earlier stages' documents included, are in \`${shownPath(cwd, artifactsDir)}\`.`;
  if (!producesArtifacts(call.role, stage) || stage.artifacts.length === 0) return `## Artifacts\n${where}`;
  const paths = artifactPaths(stage.artifacts, cwd, artifactsDir).map((path) => `- \`${path.shown}\``);
  return `## Artifacts\n${where}\nWrite each of these files (the stage fails if one is missing):\n${paths.join('\n')}`;
}

/** What the call brings from earlier calls of the stage. */
function carriedSections(call: StagePromptContext['call']): string[] {
  const previous = call.iteration - 1;
  switch (call.role) {
    case 'work':
      // Iteration 1 starts afresh: a feedback left from an earlier run of the stage is not about this work.
      if (call.iteration === 1) return [];
      return [
        call.previousAttempt !== undefined
          ? `## Your previous attempt (iteration ${previous})\n${call.previousAttempt.trim() ? fenced(call.previousAttempt) : '(it gave no output)'}`
          : '',
        call.feedback ? `## Reviewer feedback on it (iteration ${previous})\n${fenced(call.feedback)}\nAddress every point of this feedback.` : '',
      ];
    case 'review':
      return [
        `## Work under review\n${call.workOutput?.trim() ? quotedOutput(call.workOutput) : '(the work agent gave no output: judge the files in the working directory)'}`,
        call.feedback && call.iteration > 1
          ? `## Your feedback on the previous attempt (iteration ${previous})\n${fenced(call.feedback)}\nCheck that every point was addressed.`
          : '',
      ];
    case 'fix':
      return [call.workOutput?.trim() ? `## Failed acceptance test run (round ${call.iteration})\n${fenced(call.workOutput)}` : ''];
    case 'acceptance':
      return [];
  }
}

/** A markdown heading and bullet list; nothing when the list is empty. */
function list(heading: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `${heading}\n${items.map((item) => `- ${item}`).join('\n')}`;
}
