import { statSync } from 'node:fs';
import { expandEnvPlaceholders, MissingEnvironmentVariableError } from './envPlaceholders.js';
import { findExecutable } from './executableLookup.js';
import { issueAt, type ConfigFile } from './configPositions.js';
import type { InputIssue } from './inputIssue.js';
import type { Configuration } from './loadConfiguration.js';
import { promptTemplatePath } from './promptTemplatePath.js';
import { acceptanceCommandOf, describeDetectedCommand, withProjectAcceptanceCommands } from './projectAcceptanceCommands.js';
import type { RunnerName } from './runnerNames.js';

export interface PreflightRequest {
  readonly configuration: Configuration;
  readonly runner: RunnerName;
  /** Agents and the acceptance command run here; relative program paths start here. */
  readonly projectRoot: string;
  /** Where the user is: files are named relative to it. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Stages this run skips: nothing they need is checked. */
  readonly skip?: readonly string[] | undefined;
}

export interface PreflightResult {
  /** Problems that would fail the run after agents had already been paid for: refuse to start. */
  readonly errors: readonly InputIssue[];
  /** Worth knowing, not worth refusing: e.g. what a real runner would refuse, on a simulated run. */
  readonly warnings: readonly InputIssue[];
}

/**
 * What the workflow needs from this machine, checked before any lock or agent:
 * the agent CLI and the acceptance command on PATH, prompt templates on disk,
 * environment variables the argv names, an acceptance command where a real
 * runner needs one, and a git repository fit for a group with `isolation: worktree`.
 * `teambot validate` runs the same checks, so a workflow it
 * passes cannot fail at stage 12 for a reason visible at stage 0.
 */
export async function preflight(request: PreflightRequest): Promise<PreflightResult> {
  const errors: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const stagesFile: ConfigFile = { source: request.configuration.stages.source, kind: 'stages' };
  const teambotFile: ConfigFile = { source: request.configuration.teambot.source, kind: 'teambot' };
  const at = (file: ConfigFile, path: readonly PropertyKey[], issue: Omit<InputIssue, 'file' | 'line' | 'column'>, key = false) =>
    issueAt(file, path, request.cwd, issue, { key });

  for (const issue of checkPromptTemplates(request, stagesFile, at)) errors.push(issue);
  const acceptance = await checkAcceptanceCommands(request, stagesFile, at);
  // A simulated run never runs the command: what a real run would refuse is only worth a warning.
  (request.runner === 'simulated' ? warnings : errors).push(...acceptance.errors);
  warnings.push(...acceptance.warnings);
  if (request.runner !== 'simulated') errors.push(...await checkAgentCli(request, teambotFile, at));
  // Real git even on a simulated run: its regions are real worktrees, merged for real.
  const isolation = await checkWorktreeIsolation(request, stagesFile, at);
  errors.push(...isolation.errors);
  warnings.push(...isolation.warnings);
  return { errors, warnings };
}

type Locate = (file: ConfigFile, path: readonly PropertyKey[], issue: Omit<InputIssue, 'file' | 'line' | 'column'>, key?: boolean) => InputIssue;

/** The stages this run will enter, in order. */
function stagesToRun(request: PreflightRequest): string[] {
  const skipped = new Set(request.skip ?? []);
  return request.configuration.stages.stage_order.filter((id) => !skipped.has(id));
}

function checkPromptTemplates(request: PreflightRequest, file: ConfigFile, at: Locate): InputIssue[] {
  const { stages } = request.configuration;
  const issues: InputIssue[] = [];
  for (const id of stagesToRun(request)) {
    const stage = stages.stages[id];
    const path = stage && promptTemplatePath(stage, stages.source);
    if (!path || statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    issues.push(at(file, ['stages', id, 'prompt_template'], {
      subject: `stage ${id}`, rule: 'prompt-template-missing',
      message: `prompt_template ${stage.prompt_template} does not exist (looked for ${path})`,
      fix: 'create the file, correct the path (relative to the directory of stages.yaml), or set prompt_template: null',
    }));
  }
  return issues;
}

/**
 * Every acceptance-test stage needs a command teambot runs to decide the results, and its
 * program must exist. Simulated runs report the same issues, as warnings.
 */
async function checkAcceptanceCommands(request: PreflightRequest, file: ConfigFile, at: Locate): Promise<{ errors: InputIssue[]; warnings: InputIssue[] }> {
  // As a run will: a stage without a command uses the project's test command, when it has one.
  const stages = await withProjectAcceptanceCommands(request.configuration.stages, request.projectRoot);
  const issues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  for (const id of stagesToRun(request)) {
    const stage = stages.stages[id];
    if (!stage?.is_acceptance_test_stage) continue;
    const acceptance = acceptanceCommandOf(stages, id);
    if (!acceptance) {
      const example = '[npm, test]';
      issues.push(at(file, ['stages', id, 'is_acceptance_test_stage'], {
        subject: `stage ${id}`, rule: 'acceptance-command-missing',
        message: request.runner === 'simulated'
          ? 'no acceptance_test_command: fine for a simulation, but a run with real agents would refuse to start'
          : `no acceptance_test_command, and no test command found in the project: teambot could not check the agents' acceptance tests, and ${id} would fail`,
        fix: file.source === 'built-in'
          ? `run \`teambot init\` to write an editable stages.yaml, then set acceptance_test_command in it, e.g. ${example}`
          : `add the command that runs your tests to ${id}, as a list (no shell), e.g. acceptance_test_command: ${example}`,
      }, true));
      continue;
    }
    const { detected } = acceptance;
    // A simulation runs no acceptance command: which one a real run would use is not worth a line.
    if (detected && request.runner === 'simulated') continue;
    if (detected) {
      warnings.push(at(file, ['stages', id, 'is_acceptance_test_stage'], {
        subject: `stage ${id}`, rule: 'acceptance-command-detected',
        message: `using ${describeDetectedCommand(detected)} as ${id}'s acceptance_test_command`,
        fix: `to run another command, set acceptance_test_command on ${id}, as a list (no shell), e.g. acceptance_test_command: [${detected.argv.join(', ')}]`,
      }, true));
    }
    const command = acceptance.argv;
    const program = command[0]!;
    const lookup = await findExecutable(program, { cwd: request.projectRoot, env: request.env });
    if (lookup.found) continue;
    if (lookup.via === 'path') {
      // A script the agents are asked to write may not exist yet: worth a warning, never a refusal.
      warnings.push(at(file, ['stages', id, 'acceptance_test_command', 0], {
        subject: `stage ${id}`, rule: 'acceptance-command-not-yet',
        message: `acceptance_test_command: ${lookup.path} does not exist (yet), or is not executable`,
        fix: 'fine if an earlier stage writes it; otherwise correct the path (relative to the project) or chmod +x it',
      }));
      continue;
    }
    if (detected) {
      issues.push(at(file, ['stages', id, 'is_acceptance_test_stage'], {
        subject: `stage ${id}`, rule: 'acceptance-command-not-found',
        message: `${id} has no acceptance_test_command and would use ${describeDetectedCommand(detected)}, but "${program}" is not on PATH`,
        fix: `install ${program}, or set acceptance_test_command on ${id} to the command that runs your tests, as a list (no shell)`,
      }, true));
      continue;
    }
    issues.push(at(file, ['stages', id, 'acceptance_test_command', 0], {
      subject: `stage ${id}`, rule: 'acceptance-command-not-found',
      message: `acceptance_test_command: "${program}" is not on PATH`,
      fix: splitFix(command) ?? `install ${program}, or name the program by its path (relative to the project)`,
    }));
  }
  return { errors: issues, warnings };
}

/** The runner's agent CLI must be installed, and every `${ENV}` its argv names set. */
async function checkAgentCli(request: PreflightRequest, file: ConfigFile, at: Locate): Promise<InputIssue[]> {
  const settings = request.configuration.teambot.runner;
  if (request.runner === 'command' && !settings.argv) {
    return [at(file, ['runner'], {
      subject: 'runner', rule: 'missing-field', message: '--runner command needs "runner": { "argv": [...] }',
      fix: 'add e.g. "runner": { "type": "command", "argv": ["claude", "-p", "{prompt}"] }',
    }, true)];
  }
  const template = request.runner === 'command' ? settings.argv! : [settings.executable ?? 'copilot'];
  const field = request.runner === 'command' ? 'argv' : 'executable';
  const issues: InputIssue[] = [];
  const expanded = template.map((part, index) => {
    try {
      return expandEnvPlaceholders(part, request.env, `runner.${field}`);
    } catch (error) {
      if (!(error instanceof MissingEnvironmentVariableError)) throw error;
      issues.push(at(file, ['runner', field, ...(field === 'argv' ? [index] : [])], {
        subject: 'runner', rule: 'env-missing', message: error.message,
        fix: `set ${error.variable} in the environment, or give a default: \${${error.variable}:-value}`,
      }));
      return undefined;
    }
  });
  const program = expanded[0];
  if (program === undefined) return issues;
  const lookup = await findExecutable(program, { cwd: request.projectRoot, env: request.env });
  if (lookup.found) return issues;
  const declared = settings.argv !== undefined || settings.executable !== undefined;
  const fix = request.runner === 'copilot'
    ? 'install the GitHub Copilot CLI: `npm install -g @github/copilot`, then run `copilot` once to log in (or try --runner simulated)'
    : splitFix(expanded.filter((part): part is string => part !== undefined)) ?? `install ${program}, or correct runner.argv in teambot.json`;
  issues.push(declared && file.source !== 'built-in'
    ? at(file, ['runner', field, ...(field === 'argv' ? [0] : [])], {
      subject: 'runner', rule: 'agent-cli-missing', message: `${program} is not installed or not on PATH`, fix,
    })
    : { file: 'command line', line: 0, column: 0, rule: 'agent-cli-missing', message: `${program} is not installed or not on PATH`, fix });
  return issues;
}

/**
 * A group with `isolation: worktree` runs its stages in git worktrees of the project and merges
 * them back: the repository's problems are placed at the `isolation` line of the first such
 * group that runs (one report, not one per group: the repository is the same). The git checks
 * are loaded only for such a workflow.
 */
async function checkWorktreeIsolation(request: PreflightRequest, file: ConfigFile, at: Locate): Promise<PreflightResult> {
  const running = new Set(stagesToRun(request));
  const groups = Object.values(request.configuration.stages.parallel_groups)
    .filter((group) => group.isolation === 'worktree' && group.stages.some((stage) => running.has(stage)));
  const first = groups[0];
  if (!first) return { errors: [], warnings: [] };
  const { worktreeIsolationProblems } = await import('./worktreeIsolationChecks.js');
  const problems = await worktreeIsolationProblems({
    projectRoot: request.projectRoot, teambotDir: request.configuration.teambot.teambot_dir, cwd: request.cwd,
  });
  const others = groups.slice(1).map((group) => group.id);
  const placed = problems.map(({ severity, ...problem }) => ({
    severity,
    issue: at(file, ['parallel_groups', first.id, 'isolation'], {
      subject: others.length > 0 ? `groups ${[first.id, ...others].join(', ')}` : `group ${first.id}`, ...problem,
    }, true),
  }));
  return {
    errors: placed.filter((problem) => problem.severity === 'error').map((problem) => problem.issue),
    warnings: placed.filter((problem) => problem.severity === 'warning').map((problem) => problem.issue),
  };
}

/** For a one-element argv written as a whole command line (`[npm test]`), the list to write instead. */
function splitFix(argv: readonly string[]): string | undefined {
  if (argv.length !== 1 || !/\s/.test(argv[0]!.trim())) return undefined;
  const parts = argv[0]!.trim().split(/\s+/);
  return `"${argv[0]}" is one element holding a whole command, and there is no shell to split it: write each argument as its own element, [${parts.join(', ')}]`;
}
