import * as z from 'zod';
import type { DetectedTestCommand } from './testCommandDetection.js';
import { MAX_DURATION_MINUTES } from './durationLimits.js';

/** Stage names are free identifiers, so users can add DEPLOY or SECURITY_AUDIT. */
export const STAGE_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;
export const GROUP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const DEFAULT_MAX_ITERATIONS = 4;

// YAML writes an empty list as `artifacts:` (null) as often as `artifacts: []`;
// both mean "none".
const stringList = (description: string) =>
  z.array(z.string()).nullable().default([]).transform((list) => list ?? []).meta({ description });

/** One stage of stages.yaml: every field TeamBot accepts plus teambot's additions. */
export const stageSchema = z.strictObject({
  name: z.string().optional().meta({ description: 'Display name (default: the stage key).' }),
  description: z.string().nullable().default('').transform((text) => text ?? '')
    .meta({ description: 'What the stage does; given to the agent.' }),
  work_agent: z.string().nullable().default(null)
    .meta({ description: 'Agent id (teambot.json) that does the work; on review stages, the one who revises.' }),
  review_agent: z.string().nullable().default(null)
    .meta({ description: 'Agent id that approves or rejects (review stages only).' }),
  allowed_personas: stringList('Personas or agent ids allowed to act in this stage; empty = no restriction.'),
  artifacts: stringList('Files the stage writes to <teambot_dir>/<feature>/artifacts/ (relative, no "..").'),
  exit_criteria: stringList('Conditions for the stage to be complete; given to the agent.'),
  optional: z.boolean().default(false).meta({ description: 'May be skipped with --skip STAGE.' }),
  is_review_stage: z.boolean().default(false)
    .meta({ description: 'Loop work -> review until VERIFIED_APPROVED or max_iterations.' }),
  is_acceptance_test_stage: z.boolean().default(false)
    .meta({ description: 'Run the feature spec\'s acceptance test scenarios, fix and re-run.' }),
  requires_acceptance_tests_passed: z.boolean().default(false)
    .meta({ description: 'Refuse to run until the acceptance tests passed.' }),
  parallel_agents: z.array(z.string()).nullable().default(null)
    .meta({ description: 'Agents that may work on this stage together (informational).' }),
  prompt_template: z.string().nullable().default(null)
    .meta({ description: 'Prompt file, relative to stages.yaml (no absolute path, no "..").' }),
  include_objective: z.boolean().default(true).meta({ description: 'Give the objective to the agent.' }),
  max_iterations: z.int().min(1).max(50).optional()
    .meta({ description: `Review stages only: work/review rounds before review_failed (default ${DEFAULT_MAX_ITERATIONS}).` }),
  timeout_minutes: z.number().positive().max(MAX_DURATION_MINUTES).optional()
    .meta({ description: 'Fail the stage when its agent runs longer than this (at most ten years).' }),
  acceptance_test_command: z.array(z.string().min(1)).min(1).optional()
    .meta({ description: 'Acceptance-test stage only: argv run by teambot to decide the results, e.g. [npm, test]. No shell.' }),
});

export const parallelGroupSchema = z.strictObject({
  after: z.string().meta({ description: 'The stage right before the group in stage_order.' }),
  stages: z.array(z.string()).meta({ description: 'Two or more contiguous stages of stage_order that run at the same time.' }),
  before: z.string().meta({ description: 'The stage right after the group in stage_order; it waits for all of them.' }),
  on_failure: z.enum(['let_finish', 'fail_fast']).default('let_finish')
    .meta({ description: 'let_finish: a failure never cancels the siblings; fail_fast: the first failure aborts them.' }),
  // Optional, not defaulted: a group that does not say stays byte-for-byte the same configuration
  // (the state file's hash of it), so runs saved before this field existed resume without --force.
  isolation: z.enum(['shared', 'worktree']).optional()
    .meta({ description: 'shared (the default): every stage of the group works in the project itself; worktree: each in its own git worktree made from the project as the group starts, the changes merged back in stage_order when all are done.' }),
  max_concurrent: z.int().min(1).optional()
    .meta({ description: 'How many of the group\'s stages run at once (default: all); the others wait, in stage_order, for one to end. For groups wider than the machine or the API rate limit can take.' }),
  description: z.string().optional().meta({ description: 'Shown in validate and the UI.' }),
});

export const stageOrderSchema = z.array(z.string()).min(1);
export const workToReviewMappingSchema = z.record(z.string(), z.string());

/** The whole file; used for `teambot schema` and editor completion. */
export const stagesFileSchema = z.strictObject({
  stages: z.record(z.string().regex(STAGE_NAME_PATTERN), stageSchema)
    .meta({ description: 'Stage definitions keyed by stage name ([A-Z][A-Z0-9_]*).' }),
  stage_order: z.array(z.string().regex(STAGE_NAME_PATTERN)).min(1)
    .meta({ description: 'The order stages run in; the last one is terminal (no agents).' }),
  parallel_groups: z.record(z.string().regex(GROUP_NAME_PATTERN), parallelGroupSchema).nullable().optional()
    .meta({ description: 'Groups of independent stages that run concurrently.' }),
  work_to_review_mapping: workToReviewMappingSchema.nullable().optional()
    .meta({ description: 'Which review stage follows each work stage (navigation).' }),
}).meta({ title: 'teambot stages.yaml', description: 'The workflow teambot runs.' });

export type StageDefinition = z.output<typeof stageSchema> & {
  /** The stage's key in `stages:`. */
  readonly id: string;
  readonly name: string;
  /** Set for review stages (default applied), undefined otherwise. */
  readonly max_iterations?: number;
};

export type ParallelGroup = z.output<typeof parallelGroupSchema> & { readonly id: string };

/** A validated stages.yaml with every default applied. */
export interface StagesConfig {
  /** Absolute path of the file, or `built-in` for the default. */
  readonly source: string;
  readonly stages: Readonly<Record<string, StageDefinition>>;
  readonly stage_order: readonly string[];
  readonly parallel_groups: Readonly<Record<string, ParallelGroup>>;
  readonly work_to_review_mapping: Readonly<Record<string, string>>;
  /**
   * The project's own test command (`npm test` of package.json…) for each acceptance-test stage
   * stages.yaml gives no acceptance_test_command, filled in before a run (projectAcceptanceCommands.ts).
   * Not part of the file, so not part of its fingerprint: resume sees no changed configuration.
   */
  readonly detectedAcceptanceCommands?: Readonly<Record<string, DetectedTestCommand>> | undefined;
}

/** The JSON Schema of stages.yaml, generated from the zod schema above. */
export function stagesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(stagesFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
