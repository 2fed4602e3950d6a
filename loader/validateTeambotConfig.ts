import { ignoredKeyWarnings } from './ignoredTeambotKeys.js';
import type { InputIssue } from './inputIssue.js';
import type { SourceDocument } from './sourceDocument.js';
import { reporterFor, type AgentRoster } from './stageRules.js';
import { suggestionFor } from './suggestName.js';
import { teambotDirProblem } from './teambotDirectory.js';
import { teambotConfigSchema, type TeambotConfig } from './teambotConfigSchema.js';
import { issuesFromZod } from './zodIssues.js';

const PROMPT_PLACEHOLDER = /\{prompt(_file)?\}/;

/**
 * Validates a parsed teambot.json: schema, unique agent ids, a defined
 * default_agent, a command runner that has its argv, with the prompt in it,
 * and, given the project, a `teambot_dir` inside it. `warnings` name the TeamBot keys it
 * accepts but ignores (ignoredTeambotKeys.ts).
 */
export function validateTeambotConfig(
  document: SourceDocument,
  options: { source: string; /** Where `teambot_dir` must stay (findProject). */ projectRoot?: string },
): { config?: TeambotConfig; issues: readonly InputIssue[]; warnings: readonly InputIssue[] } {
  const issues: InputIssue[] = [...document.syntaxIssues];
  const warnings: InputIssue[] = [];
  if (document.value === undefined) return { issues, warnings };
  const report = reporterFor(document, issues);

  const parsed = teambotConfigSchema.safeParse(document.value, { reportInput: true });
  if (!parsed.success) {
    issues.push(...issuesFromZod(parsed.error, { document, basePath: [], schema: teambotConfigSchema }));
    return { issues, warnings };
  }
  const raw = parsed.data;
  ignoredKeyWarnings(raw, reporterFor(document, warnings));

  const seen = new Set<string>();
  raw.agents.forEach((agent, index) => {
    if (seen.has(agent.id)) {
      report({
        subject: `agent ${agent.id}`, rule: 'duplicate-agent', message: `agent id "${agent.id}" is defined twice`,
        fix: 'give every agent a unique id',
      }, ['agents', index, 'id']);
    }
    seen.add(agent.id);
  });
  if (raw.default_agent !== undefined && !seen.has(raw.default_agent)) {
    report({
      rule: 'unknown-agent', message: `default_agent "${raw.default_agent}" is not one of the agents`,
      fix: suggestionFor(raw.default_agent, [...seen], 'defined agents'),
    }, ['default_agent']);
  }
  if (raw.runner?.type === 'command' && !raw.runner.argv) {
    report({
      subject: 'runner', rule: 'missing-field', message: 'a command runner needs "argv"',
      fix: 'add "argv": ["claude", "-p", "{prompt}"] (any agent CLI; {prompt} is replaced by the stage prompt)',
    }, ['runner']);
  }
  const argv = raw.runner?.argv;
  if (argv && !argv.some((part) => PROMPT_PLACEHOLDER.test(part))) {
    report({
      subject: 'runner', rule: 'argv-without-prompt',
      message: 'runner.argv has no {prompt} or {prompt_file}, so the agent would never see its instructions',
      fix: `pass the prompt where the agent CLI reads it, e.g. ["${argv[0]}", "-p", "{prompt}"], or {prompt_file} for a file path`,
    }, ['runner', 'argv']);
  }
  const outside = options.projectRoot === undefined ? undefined : teambotDirProblem(raw.teambot_dir, options.projectRoot);
  if (outside) {
    report({
      rule: 'teambot-dir-outside-project', message: `teambot_dir "${raw.teambot_dir}" ${outside}; teambot keeps runs inside the project`,
      fix: 'use a directory inside the project, e.g. ".teambot"; to keep runs elsewhere on purpose, set TEAMBOT_DIR=<dir> when running teambot',
    }, ['teambot_dir']);
  }
  if (issues.length > 0) return { issues, warnings };

  return {
    issues,
    warnings,
    config: {
      source: options.source,
      teambot_dir: raw.teambot_dir,
      ...(raw.default_model ? { default_model: raw.default_model } : {}),
      ...(raw.default_agent ? { default_agent: raw.default_agent } : {}),
      ...(raw.stages_config ? { stages_config: raw.stages_config } : {}),
      ...(raw.notifications ? { notifications: raw.notifications } : {}),
      agents: raw.agents.map((agent) => ({ ...agent, display_name: agent.display_name ?? agent.id })),
      runner: raw.runner ?? { type: 'copilot' },
    },
  };
}

/** The agent id → persona map stages.yaml rules check against. */
export function rosterOf(config: TeambotConfig, file: string): AgentRoster {
  return { file, personas: new Map(config.agents.map((agent) => [agent.id, agent.persona])) };
}
