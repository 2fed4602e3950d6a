/**
 * The names a notification channel's `events` list may use: TeamBot's event
 * names (a TeamBot teambot.json keeps working) and teambot's own run event
 * types. TeamBot names teambot never sends (agent_streaming, custom_message…)
 * are accepted so that TeamBot files validate; they simply never match.
 */
export const TEAMBOT_EVENT_NAMES = [
  'orchestration_started', 'stage_changed', 'agent_running', 'agent_complete', 'agent_failed',
  'agent_cancelled', 'agent_streaming', 'review_progress', 'parallel_group_start', 'parallel_stage_start',
  'parallel_stage_complete', 'parallel_stage_failed', 'parallel_group_complete', 'acceptance_test_iteration',
  'acceptance_test_stage_start', 'acceptance_test_validation_start', 'runtime_validation_start',
  'runtime_scenario_start', 'runtime_scenario_complete', 'runtime_validation_complete',
  'acceptance_test_stage_complete', 'acceptance_test_fix_start', 'acceptance_test_fix_complete',
  'acceptance_test_max_iterations_reached', 'orchestration_completed', 'custom_message',
] as const;

/** teambot's run event types that a notification can be about (machines/session/runEvents.ts). */
export const RUN_EVENT_NAMES = [
  'run.started', 'run.completed', 'stage.started', 'stage.completed', 'stage.failed',
  'review.iteration', 'group.started', 'group.completed', 'group.failed', 'acceptance.iteration',
] as const;

export const NOTIFICATION_EVENT_NAMES = [...TEAMBOT_EVENT_NAMES, ...RUN_EVENT_NAMES] as const;
export type NotificationEventName = (typeof NOTIFICATION_EVENT_NAMES)[number];
