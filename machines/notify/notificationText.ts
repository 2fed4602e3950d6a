import type { NotificationEventName } from '../../loader/notificationEvents.js';
import type { RunEvent } from '../session/runEvents.js';

/**
 * TeamBot's Telegram templates (HTML), by TeamBot event name. Placeholders are
 * `{name}`; every string value is HTML-escaped before it is put in.
 */
export const DEFAULT_TEMPLATES: Readonly<Partial<Record<NotificationEventName, string>>> = {
  orchestration_started: '🚀 <b>Starting</b>: {objective_name}',
  stage_changed: '📌 <b>Stage: {stage}</b>\n📂 <code>{feature_name}</code>',
  agent_running: '🔄 <b>{agent_id}</b> started\n📋 Task: <i>{task}</i>',
  agent_complete: '✅ <b>{agent_id}</b> completed',
  agent_failed: '❌ <b>{agent_id}</b> FAILED\n📂 <code>{feature_name}</code>',
  review_progress: '📝 <b>Review Progress</b>\nStage: {stage}\n{message}',
  parallel_group_start: '🚀 <b>Parallel Group: {group}</b>\n📊 Stages: {stages}',
  parallel_stage_complete: '✅ <b>{stage}</b> completed (agent: {agent})',
  parallel_stage_failed: '❌ <b>{stage}</b> FAILED (agent: {agent})',
  parallel_group_complete: '{status_emoji} <b>Parallel Group: {group}</b>\nStatus: {status_text}',
  acceptance_test_stage_complete: '{status_emoji} <b>Acceptance Tests</b>\n📊 Results: {passed}/{total} passed\n📂 <code>{feature_name}</code>',
  acceptance_test_max_iterations_reached: '⚠️ <b>Max Fix Iterations Reached</b>\nAcceptance tests still failing after {iterations_used} attempts.',
  orchestration_completed: '{status_emoji} <b>{status_title}</b>: {objective_name}\n⏱️ Duration: {duration}',
  custom_message: '📢 {message}',
};

/** TeamBot's template for an event without its own. */
export const FALLBACK_TEMPLATE = '📢 <b>{event_type}</b>\n📂 <code>{feature_name}</code>';

/** Telegram's limit, in code points, and what TeamBot keeps of a longer text. */
const MAX_MESSAGE = 4096;
const KEPT_OF_LONG_MESSAGE = 4076;

/** One message about one run event: its TeamBot name, the values its template uses. */
export interface Notification {
  /** The TeamBot event name whose template renders it, e.g. `parallel_group_complete`. */
  readonly name: NotificationEventName;
  /** Further names a channel's `events` filter may select it by: teambot's event type, TeamBot's twin events. */
  readonly aliases: readonly string[];
  readonly data: Readonly<Record<string, string | number | readonly string[]>>;
  readonly event: RunEvent;
}

/** What the run has said so far that later messages need: the feature, the objective, who runs each stage, the groups. */
export interface NotificationContext {
  feature: string;
  objectiveName: string;
  readonly agents: Map<string, string>;
  /** The stages of each parallel group that is running. */
  readonly groupOf: Map<string, string>;
}

/** A context before run.started arrives. */
export function notificationContext(objectiveName: string): NotificationContext {
  return { feature: 'Unknown', objectiveName, agents: new Map(), groupOf: new Map() };
}

/**
 * The notification a run event makes, in TeamBot's vocabulary, or undefined
 * for events TeamBot says nothing about (agent output, skipped and aborted stages).
 * Updates the context as it goes.
 *
 * @example notificationOf({ type: 'group.failed', group: 'g', stages: ['A'], failed: ['A'], ts }, context)
 * // { name: 'parallel_group_complete', data: { group: 'g', all_success: 'False', … }, … }
 */
export function notificationOf(event: RunEvent, context: NotificationContext): Notification | undefined {
  const make = (name: NotificationEventName, data: Notification['data'], twins: readonly string[] = []): Notification =>
    ({ name, aliases: [event.type, ...twins], data, event });
  switch (event.type) {
    case 'run.started':
      context.feature = event.feature;
      return make('orchestration_started', { objective_name: context.objectiveName, objective_path: event.objective });
    case 'group.started':
      for (const stage of event.stages) context.groupOf.set(stage, event.group);
      return make('parallel_group_start', { group: event.group, stages: event.remaining ?? event.stages });
    case 'group.completed':
    case 'group.failed': {
      const success = event.type === 'group.completed';
      for (const stage of event.stages) context.groupOf.delete(stage);
      return make('parallel_group_complete', {
        group: event.group, all_success: success ? 'True' : 'False',
        status_emoji: success ? '✅' : '⚠️', status_text: success ? 'All passed' : 'Some failed',
      });
    }
    case 'stage.started': {
      const agent = event.agent ?? event.stage;
      context.agents.set(event.stage, agent);
      if (context.groupOf.has(event.stage)) return make('parallel_stage_start', { stage: event.stage, agent });
      return make('stage_changed', { stage: event.stage, agent_id: agent, task: event.stage }, ['agent_running']);
    }
    case 'stage.completed':
    case 'stage.failed': {
      const agent = context.agents.get(event.stage) ?? event.stage;
      const done = event.type === 'stage.completed';
      if (context.groupOf.has(event.stage)) {
        return make(done ? 'parallel_stage_complete' : 'parallel_stage_failed', { stage: event.stage, agent });
      }
      return make(done ? 'agent_complete' : 'agent_failed', { stage: event.stage, agent_id: agent });
    }
    case 'review.iteration':
      return make('review_progress', {
        stage: event.stage, iteration: event.iteration, max: event.max, verdict: event.verdict,
        message: `Review iteration ${event.iteration}/${event.max}: ${event.verdict}`,
      });
    case 'acceptance.iteration':
      return make('acceptance_test_stage_complete', {
        stage: event.stage, passed: event.passed, failed: event.failed, total: event.total,
        all_passed: event.failed === 0 ? 'True' : 'False', status_emoji: event.failed === 0 ? '✅' : '❌',
      }, ['acceptance_test_iteration']);
    case 'run.completed': {
      const complete = event.status === 'complete';
      return make('orchestration_completed', {
        objective_name: context.objectiveName, status: event.status, duration_seconds: event.elapsed_seconds,
        duration: minutesAndSeconds(event.elapsed_seconds),
        status_emoji: complete ? '✅' : event.status === 'cancelled' ? '⚠️' : '❌',
        status_title: STATUS_TITLES[event.status] ?? event.status,
      });
    }
    default:
      return undefined;
  }
}

const STATUS_TITLES: Readonly<Record<string, string>> = {
  complete: 'Completed', cancelled: 'Cancelled', timeout: 'Timed out', error: 'Failed',
  review_failed: 'Review failed', acceptance_test_failed: 'Acceptance tests failed',
};

/** TeamBot's duration: whole minutes and seconds, never hours (7265 → `121m 5s`). */
export function minutesAndSeconds(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}m ${whole % 60}s`;
}

/**
 * The message text, rendered as TeamBot renders it: HTML-escaped values,
 * lists joined with ", ", `📢 Event: …\n(Missing: '…')` when a placeholder has
 * no value, trimmed, and cut to Telegram's 4096 code points.
 *
 * @example renderNotification('📢 {message}', 'custom_message', { message: '<b>' }, 'f') // '📢 &lt;b&gt;'
 */
export function renderNotification(template: string, name: string, data: Notification['data'], feature: string): string {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    values[key] = Array.isArray(value) ? value.map((item) => escapeHtml(String(item))).join(', ') : escapeHtml(String(value));
  }
  values.event_type = escapeHtml(name);
  values.feature_name = escapeHtml(feature);
  let missing: string | undefined;
  const text = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) missing ??= key;
    return value ?? whole;
  });
  if (missing !== undefined) return `📢 Event: ${name}\n(Missing: '${missing}')`;
  const trimmed = text.trim();
  const points = [...trimmed];
  return points.length > MAX_MESSAGE ? `${points.slice(0, KEPT_OF_LONG_MESSAGE).join('')}\n... (truncated)` : trimmed;
}

/** HTML escaping as Python's html.escape does it. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
}

/**
 * A Telegram HTML message as Slack mrkdwn: <b> → *, <i> → _, <code> → `; Slack
 * wants &, < and > escaped, as they already are.
 */
export function htmlToSlack(text: string): string {
  return text.replace(/<\/?b>/g, '*').replace(/<\/?i>/g, '_').replace(/<\/?code>/g, '`')
    .replaceAll('&quot;', '"').replaceAll('&#x27;', "'");
}

/** A Telegram HTML message as plain text (for a terminal or a command). */
export function htmlToPlain(text: string): string {
  return text.replace(/<\/?(b|i|code)>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&amp;', '&');
}
