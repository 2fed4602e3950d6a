import { resolve } from 'node:path';
import { InputError, type InputIssue, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration, type Configuration } from '../../loader/loadConfiguration.js';
import { shownPath } from '../../loader/shownPath.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import type { Objective } from '../../loader/objective.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { renderIssues, renderWarnings } from '../text/reportIssues.js';
import { styleFor } from '../text/terminalStyle.js';
import { preflight } from '../../loader/preflight.js';
import { isRunnerName, RUNNER_NAMES } from '../../loader/runnerNames.js';
import { outlineWorkflow, renderOutline } from '../text/workflowOutline.js';
import { terminalJson, terminalLine } from '../text/terminalText.js';
import { agentPersonas, personaLines, personaWarnings, type AgentPersona } from '../text/personaListing.js';

export interface ValidateOptions {
  readonly cwd: string;
  /** The project (findProject): where teambot.json and stages.yaml are looked for. */
  readonly projectRoot: string;
  readonly stagesPath?: string | undefined;
  readonly config?: string | undefined;
  readonly objective?: string | undefined;
  readonly json?: boolean | undefined;
  /** The runner to check for (default: teambot.json's); its agent CLI must be installed. */
  readonly runner?: string | undefined;
}

/**
 * `teambot validate`: loads every input it is given, reports all problems at
 * once (exit 2), or prints the workflow as it will run (exit 0).
 */
export async function validateCommand(options: ValidateOptions, io: CommandIo): Promise<number> {
  const issues: InputIssue[] = [];
  const configuration = await capture(loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stagesPath, configPath: options.config }), issues);
  const objective = options.objective
    ? await capture(loadObjectiveFile(resolve(options.cwd, options.objective)), issues)
    : undefined;

  const runner = options.runner ?? configuration?.teambot.runner.type ?? 'copilot';
  if (!isRunnerName(runner)) {
    issues.push(wholeFileIssue({ file: 'command line', rule: 'unknown-runner', message: `--runner ${runner} is not a runner`, fix: `use one of ${RUNNER_NAMES.join(', ')}` }));
  }
  // What a run would refuse at its start, validate refuses too.
  const checked = configuration && isRunnerName(runner)
    ? await preflight({ configuration, runner, projectRoot: options.projectRoot, cwd: options.cwd, env: io.env })
    : { errors: [], warnings: [] };
  issues.push(...checked.errors);
  const personas = configuration ? agentPersonas(configuration, options.projectRoot) : [];

  if (issues.length > 0 || !configuration) {
    if (options.json) io.stdout.write(`${terminalJson({ valid: false, errors: issues }, 2)}\n`);
    else io.stderr.write(renderIssues(issues, io.invocation, styleFor(io.stderr, io.env)));
    return ExitCode.badInput;
  }
  // Ignored TeamBot keys (teambot.json) and what preflight notes.
  const warnings = [...(configuration.warnings ?? []), ...checked.warnings, ...personaWarnings(personas)];
  const output = options.json
    ? `${terminalJson({ ...validationJson(configuration, objective), personas, runner, warnings }, 2)}\n`
    : renderSummary(configuration, objective, options, personas);
  if (!options.json && warnings.length > 0) io.stderr.write(renderWarnings(warnings, io.invocation, styleFor(io.stderr, io.env)));
  io.stdout.write(output);
  return ExitCode.ok;
}

async function capture<T>(promise: Promise<T>, issues: InputIssue[]): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

function validationJson(configuration: Configuration, objective: Objective | undefined) {
  const { stages, teambot } = configuration;
  return {
    valid: true,
    stages_file: stages.source,
    teambot_config: teambot.source,
    agents_checked: configuration.agentsChecked,
    stages: outlineWorkflow(stages),
    parallel_groups: stages.parallel_groups,
    ...(objective ? {
      objective: {
        title: objective.title,
        goals: objective.goals,
        success_criteria: objective.successCriteria,
        constraints: objective.constraints,
        context: objective.context,
        feature_name: objective.featureName,
      },
    } : {}),
  };
}

function renderSummary(configuration: Configuration, objective: Objective | undefined, options: ValidateOptions, personas: readonly AgentPersona[]): string {
  const { stages, teambot } = configuration;
  const shown = (source: string, builtin: string) => (source === 'built-in' ? builtin : shownPath(options.cwd, source));
  const outline = outlineWorkflow(stages);
  const groups = Object.keys(stages.parallel_groups).length;
  const reviews = outline.filter((stage) => stage.kind === 'review').length;
  const lines = [
    `✓ ${shown(stages.source, 'built-in stages.yaml')}: ${outline.length} stages, ${plural(groups, 'parallel group')}, ${plural(reviews, 'review stage')}`,
    configuration.agentsChecked
      ? `✓ ${shown(teambot.source, 'teambot.json')}: ${plural(teambot.agents.length, 'agent')}, every stage's agents defined and allowed`
      : '  agents not checked against a team: no teambot.json here (pass --config, or run `teambot init`)',
    '',
    ...personaLines(personas),
    '',
    ...renderOutline(stages, outline),
  ];
  if (objective) {
    const done = objective.successCriteria.filter((criterion) => criterion.done).length;
    lines.push(
      '',
      `Objective ${options.objective}`,
      `  title         ${objective.title}`,
      `  feature       ${objective.featureName}  →  ${teambot.teambot_dir}/${objective.featureName}/`,
      `  goals ${objective.goals.length} · success criteria ${objective.successCriteria.length} (${done} done) · constraints ${objective.constraints.length} · context ${objective.context ? 'yes' : 'no'}`,
    );
  }
  // Titles, agent and group names, paths: the user's files wrote them. Every line is made safe;
  // this summary has no colour of its own to keep.
  return `${lines.map(terminalLine).join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
