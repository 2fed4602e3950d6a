import { z } from 'zod';
import { RUNNER_NAMES } from './runnerNames.js';
import { MAX_DURATION_MINUTES } from './durationLimits.js';

export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const agentSchema = z.strictObject({
  id: z.string().regex(AGENT_ID_PATTERN).meta({ description: 'Referenced by work_agent / review_agent in stages.yaml.' }),
  persona: z.string().min(1).meta({ description: 'Role, checked against allowed_personas (project_manager, builder…).' }),
  display_name: z.string().optional(),
  model: z.string().min(1).optional().meta({ description: 'Model for this agent (default: default_model).' }),
  parallel_capable: z.boolean().default(false),
  workflow_stages: z.array(z.string()).default([]),
});

export const runnerSchema = z.strictObject({
  type: z.enum(RUNNER_NAMES).default('copilot'),
  argv: z.array(z.string()).min(1).optional()
    .meta({ description: 'command runner: argv template with {prompt}, {prompt_file}, {agent}, {model}, {stage}, {session}.' }),
  executable: z.string().min(1).optional()
    .meta({ description: 'copilot runner: the Copilot CLI to run (default: copilot on PATH).' }),
  idle_timeout_minutes: z.number().positive().max(MAX_DURATION_MINUTES).optional()
    .meta({ description: 'Fail a stage whose agent prints nothing for this long (default 30).' }),
  max_retries: z.int().min(0).max(10).optional()
    .meta({ description: 'Retries of a failure the runner classifies as transient: rate limit, network (default 2).' }),
  retry_delay_seconds: z.number().min(0).max(MAX_DURATION_MINUTES * 60).optional()
    .meta({ description: 'Wait before the first retry; each further retry doubles it (default 5).' }),
});

/**
 * teambot.json: TeamBot's fields plus our `runner` and `stages_config`.
 * `workflow`, `notifications`, `logging`, `show_startup_animation` and `overlay` are
 * TeamBot settings we accept and ignore, so existing files keep validating.
 */
export const teambotConfigSchema = z.strictObject({
  teambot_dir: z.string().min(1).default('.teambot'),
  default_model: z.string().min(1).optional(),
  default_agent: z.string().optional(),
  stages_config: z.string().min(1).optional().meta({ description: 'stages.yaml to use, relative to teambot.json.' }),
  agents: z.array(agentSchema),
  runner: runnerSchema.optional(),
  workflow: z.unknown().optional(),
  notifications: z.unknown().optional(),
  logging: z.unknown().optional(),
  show_startup_animation: z.unknown().optional(),
  overlay: z.unknown().optional(),
});

export type AgentDefinition = z.output<typeof agentSchema> & { readonly display_name: string };

/** A validated teambot.json with defaults applied; `${ENV}` placeholders are still unexpanded. */
export interface TeambotConfig {
  /** Absolute path of the file, or `built-in`. */
  readonly source: string;
  readonly teambot_dir: string;
  readonly default_model?: string;
  readonly default_agent?: string;
  readonly stages_config?: string;
  readonly agents: readonly AgentDefinition[];
  readonly runner: z.output<typeof runnerSchema>;
}
