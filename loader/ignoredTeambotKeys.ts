import type { Report } from './stageRules.js';

/**
 * TeamBot's teambot.json keys that teambot accepts, so a TeamBot project loads unchanged, but
 * does not act on, each with what teambot does instead. `notifications` is not one of them.
 *
 * Nor is `default_agent`, though teambot never runs it: every stage must name its agents
 * (work-agent-required, review-agents-required), so stageActor's fallback to it is never
 * reached. It is checked to be one of the agents, and `teambot init` writes it
 * (config/teambot.json): a warning about a key teambot wrote itself would only be noise.
 */
export const IGNORED_TEAMBOT_KEYS: Readonly<Record<string, string>> = {
  workflow: 'teambot runs the workflow stages.yaml defines (stage_order, parallel_groups); this setting is ignored',
  logging: 'teambot logs every event to <teambot_dir>/<feature>/events.jsonl; this setting is ignored',
  overlay: 'teambot shows a run in its live view, or one line per event with --no-ui; this setting is ignored',
  show_startup_animation: 'teambot has no startup animation; this setting is ignored',
};

/**
 * One warning per TeamBot key teambot.json sets that teambot ignores, at the key, saying what
 * teambot does instead (rule `ignored-key`). Only `validate` prints them: a user who still runs
 * TeamBot keeps these keys, and a line about them on every run would be noise.
 *
 * @example ignoredKeyWarnings({ logging: {} }, report) // reports "logging": teambot logs every event to …
 */
export function ignoredKeyWarnings(config: Readonly<Record<string, unknown>>, report: Report): void {
  for (const [key, instead] of Object.entries(IGNORED_TEAMBOT_KEYS)) {
    if (config[key] === undefined) continue;
    report({
      subject: key, rule: 'ignored-key', message: `TeamBot's "${key}" is not used by teambot: ${instead}`,
      fix: `nothing to change for teambot; remove "${key}" once TeamBot no longer reads this file`,
    }, [key], true);
  }
}
