import * as z from 'zod';
import { RUNNER_NAMES } from './runnerNames.js';
import { MAX_DURATION_MINUTES } from './durationLimits.js';
import { NOTIFICATION_EVENT_NAMES } from './notificationEvents.js';

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

/** Which keys each channel type takes besides `type`, `events`, `dry_run` and `templates`. */
const CHANNEL_KEYS = {
  telegram: { required: ['token', 'chat_id'], optional: ['api_url'] },
  webhook: { required: ['url'], optional: ['format', 'headers'] },
  command: { required: ['argv'], optional: ['timeout_seconds'] },
} as const;
const TYPED_KEYS = ['token', 'chat_id', 'api_url', 'url', 'format', 'headers', 'argv', 'timeout_seconds'] as const;

/**
 * One entry of `notifications.channels`: TeamBot's telegram channel (same keys,
 * plus `api_url`), a webhook or a command. Every string may hold `${ENV}`
 * placeholders, expanded when the run starts and hidden wherever text is shown.
 */
export const notificationChannelSchema = z.strictObject({
  type: z.enum(['telegram', 'webhook', 'command']),
  token: z.string().optional().meta({ description: 'telegram: the bot token, as ${VAR} (TeamBot: a literal is ignored; default ${TEAMBOT_TELEGRAM_TOKEN}).' }),
  chat_id: z.string().optional().meta({ description: 'telegram: the chat, as ${VAR} (default ${TEAMBOT_TELEGRAM_CHAT_ID}).' }),
  api_url: z.string().regex(/^https?:\/\//).optional().meta({ description: 'telegram: the Bot API base URL (default https://api.telegram.org).' }),
  url: z.string().regex(/^https?:\/\//).optional().meta({ description: 'webhook: where each event is POSTed as JSON.' }),
  format: z.enum(['json', 'slack']).optional().meta({ description: 'webhook: json (the run event, default) or slack ({ text }, also accepted by Teams and Mattermost).' }),
  headers: z.record(z.string(), z.string()).optional().meta({ description: 'webhook: extra request headers, e.g. Authorization.' }),
  argv: z.array(z.string()).min(1).optional().meta({ description: 'command: the program and its arguments (no shell); the event is its stdin, as JSON.' }),
  timeout_seconds: z.number().positive().max(600).optional().meta({ description: 'command: kill it after this long (default 30).' }),
  events: z.array(z.enum(NOTIFICATION_EVENT_NAMES)).optional()
    .meta({ description: 'Send only these events (TeamBot names or teambot event types); absent or empty: all.' }),
  dry_run: z.boolean().optional().meta({ description: 'Print what would be sent at the end of the run; send nothing.' }),
  templates: z.partialRecord(z.enum(NOTIFICATION_EVENT_NAMES), z.string().min(1)).optional()
    .meta({ description: 'Message text per event, with {placeholders} as in TeamBot\'s templates.' }),
}).superRefine((channel, context) => {
  const keys = CHANNEL_KEYS[channel.type];
  for (const key of keys.required) {
    if (channel[key] === undefined) {
      context.addIssue({ code: 'invalid_type', expected: key === 'argv' ? 'array' : 'string', input: undefined, path: [key] });
    }
  }
  const allowed: readonly string[] = [...keys.required, ...keys.optional];
  for (const key of TYPED_KEYS) {
    if (channel[key] !== undefined && !allowed.includes(key)) {
      const owner = (Object.keys(CHANNEL_KEYS) as (keyof typeof CHANNEL_KEYS)[])
        .find((type) => ([...CHANNEL_KEYS[type].required, ...CHANNEL_KEYS[type].optional] as string[]).includes(key));
      context.addIssue({ code: 'custom', path: [key], message: `"${key}" is for ${owner} channels, not ${channel.type}: remove it or change "type"` });
    }
  }
});

/** TeamBot's `notifications` block: no block, no notifications; a block without `enabled` is enabled. */
export const notificationsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  channels: z.array(notificationChannelSchema).default([]),
});

export type NotificationChannelConfig = z.output<typeof notificationChannelSchema>;
export type NotificationsConfig = z.output<typeof notificationsSchema>;

/**
 * teambot.json: TeamBot's fields plus our `runner` and `stages_config`.
 * `notifications` is TeamBot's block, validated (notificationsSchema). `workflow`, `logging`, `show_startup_animation` and `overlay` are
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
  notifications: notificationsSchema.optional(),
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
  /** TeamBot's notifications block, when the loader passes it on (else machines/notify reads it from `source`). */
  readonly notifications?: NotificationsConfig;
}
