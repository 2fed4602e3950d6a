import type { Objective } from '../loader/objective.js';
import type { StageDefinition } from '../loader/stagesSchema.js';
import type { StageAgentInput } from './workflowSetup.js';

export interface PromptContext {
  readonly stage: StageDefinition;
  readonly request: StageAgentInput;
  readonly objective: Objective;
  /** Where this feature's artifacts live, as the agent should write the path. */
  readonly artifactsDir: string;
}

const ROLE_INSTRUCTIONS: Record<StageAgentInput['role'], string> = {
  work: 'Do the work of this stage.',
  review:
    'Review the work below against the objective and the stage\'s exit criteria. End with one line: '
    + '`VERIFIED_APPROVED: <why>` to approve, or `REJECTED: <concrete, actionable feedback>`.',
  acceptance: 'Run the acceptance test scenarios from the feature specification and report each scenario\'s result (AT-nnn: pass/fail).',
  fix: 'Acceptance tests failed. Fix the implementation so that the failing scenarios pass, then stop.',
};

/**
 * The prompt for one agent call: stage, objective, what to produce, and for
 * reviews the work under review and any earlier feedback. Minimal by design;
 * the runners issue adds prompt templates and full stage context.
 */
export function buildStagePrompt({ stage, request, objective, artifactsDir }: PromptContext): string {
  const sections = [
    `# Stage ${stage.id}: ${stage.name}${request.iteration > 1 ? ` (iteration ${request.iteration})` : ''}`,
    stage.description.trim(),
    ROLE_INSTRUCTIONS[request.role],
  ];
  if (stage.include_objective) {
    sections.push(
      `## Objective: ${objective.title}`,
      list('Goals', objective.goals),
      list('Success criteria', objective.successCriteria.map((criterion) => `[${criterion.done ? 'x' : ' '}] ${criterion.text}`)),
      list('Constraints', objective.constraints),
    );
  }
  if (stage.artifacts.length > 0 && request.role !== 'fix') {
    sections.push(list(`Write these files in ${artifactsDir}`, stage.artifacts));
  }
  sections.push(list('Exit criteria', stage.exit_criteria));
  if (request.feedback) sections.push(`## Feedback from the previous review\n${request.feedback}`);
  if (request.role === 'review' && request.workOutput) sections.push(`## Work under review\n${request.workOutput}`);
  return sections.filter((section) => section.length > 0).join('\n\n');
}

function list(title: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `## ${title}\n${items.map((item) => `- ${item}`).join('\n')}`;
}
