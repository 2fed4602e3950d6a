import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../loader/inputIssue.js';
import { makePrivateDirectory, writeFileAtomically } from '../persistence/safeFiles.js';
import { parseAcceptanceScenarios, type AcceptanceScenario } from '../../loader/acceptanceScenarios.js';
import { acceptanceCommandOf } from '../../loader/projectAcceptanceCommands.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { showCommand } from '../../loader/shellWords.js';
import { AgentRunError, type AgentRunner, type AgentRunRequest, type AgentRunResult } from '../runners/agentRunner.js';
import { runProcessTree, type TimeoutClock } from '../runners/process/agentProcess.js';
import { stageTimeoutMs } from '../runners/processRunnerOptions.js';
import { fenced } from '../prompts/stagePrompt.js';
import { judgeAcceptanceRun, type AcceptanceRun, type AcceptanceVerdict } from './acceptanceVerdict.js';

/**
 * Runs `argv` (no shell) in `cwd` until it exits, `signal` aborts or `limits.timeoutMs` (the
 * stage's timeout_minutes) passes; `onLine` gets each output line as printed.
 */
export type RunAcceptanceCommand = (
  argv: readonly string[],
  cwd: string,
  signal: AbortSignal,
  onLine?: (line: string) => void,
  limits?: { readonly timeoutMs?: number | undefined; /** The stage it runs for, as agents.json records it. */ readonly stage?: string | undefined },
) => Promise<AcceptanceRun>;

export interface AcceptanceCommandOptions {
  readonly stages: StagesConfig;
  /** Replaces the real process spawn (tests, dry runs). */
  readonly run?: RunAcceptanceCommand;
  /** Between SIGTERM and SIGKILL when stopping the command's process tree (default 5 s). */
  readonly killGraceMs?: number | undefined;
  /** Tests only: a clock they fire by hand once the command is seen running. */
  readonly timeoutClock?: TimeoutClock | undefined;
  /** The command's environment, as agents get it (the project's .env included); default: this process's. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export const FEATURE_SPEC_FILE = 'feature_spec.md';
export const ACCEPTANCE_RESULTS_FILE = 'acceptance_test_results.md';
/** How much of the command's output the results file keeps. */
const OUTPUT_TAIL_LINES = 200;

const SPEC_HEADING = /^ {0,3}#{2,3}[ \t]+.*acceptance test scenarios/im;
const SCENARIO_EXAMPLE = [
  '## Acceptance Test Scenarios',
  '',
  '### AT-001: Sign in with a valid password',
  '**Description**: A registered user signs in.',
  '**Preconditions**: The user alice@example.com exists.',
  '**Steps**:',
  '1. Open /login',
  '2. Enter the email and password, press Sign in',
  '**Expected Result**: The dashboard opens and greets Alice.',
].join('\n');

/**
 * Wraps a runner so that acceptance results come from running the stage's
 * `acceptance_test_command`, not from the agent's word: the agent is asked to write tests named
 * after the spec's AT-nnn scenarios, then teambot runs the command, judges each scenario from
 * its output and exit code, and writes acceptance_test_results.md. Other roles pass straight
 * through.
 *
 * @example
 * const runner = withAcceptanceCommand(createCopilotRunner(config), { stages });
 * const { acceptance } = await runner.run({ ...request, role: 'acceptance' }); // { passed: 2, failed: 1, total: 3, scenarios }
 */
export function withAcceptanceCommand(inner: AgentRunner, options: AcceptanceCommandOptions): AgentRunner {
  const runCommand = options.run ?? processTreeCommand(options);
  return {
    async run(request) {
      if (request.role !== 'acceptance') return inner.run(request);

      const spec = await readScenarios(request);
      const command = commandOf(request.stage, options.stages);
      const agent = await inner.run(agentRequest(request, spec, command));
      request.signal.throwIfAborted();

      request.onOutput(`$ ${showCommand(command)}`);
      const limits = { timeoutMs: stageTimeoutMs(options.stages, request.stage), stage: request.stage };
      const run = await runCommand(command, request.cwd, request.signal, request.onOutput, limits).catch((error: unknown) => {
        // The command runner knows no stage; give its errors this one.
        throw error instanceof AgentRunError && !error.stage ? new AgentRunError(error.message, request.stage) : error;
      });
      request.signal.throwIfAborted();

      const verdict = judgeAcceptanceRun(spec.scenarios, run);
      const table = resultsTable(spec.scenarios, verdict);
      await writeResults(request, { command, run, verdict, table, agentOutput: agent.output });
      return { output: `${summary(request, command, run, verdict)}\n\n${table}`, acceptance: verdict };
    },
  };
}

interface FeatureSpec {
  readonly file: string;
  readonly scenarios: readonly AcceptanceScenario[];
}

/** Finds the feature spec in the artifacts directory and parses its scenarios; none is an error with the fix. */
async function readScenarios(request: AgentRunRequest): Promise<FeatureSpec> {
  const file = await findFeatureSpec(request.artifactsDir);
  const looked = file ?? join(request.artifactsDir, FEATURE_SPEC_FILE);
  const scenarios = file ? parseAcceptanceScenarios(await readFile(file, 'utf8')) : [];
  if (scenarios.length === 0) {
    const problem = file
      ? `${file} has no acceptance test scenarios (AT-nnn)`
      : `no feature spec found: ${looked} does not exist and no other .md file in ${request.artifactsDir} has an "Acceptance Test Scenarios" heading`;
    throw new AgentRunError(
      `${problem}. teambot runs the acceptance tests against these scenarios, so the spec needs a section like:\n\n${SCENARIO_EXAMPLE}`,
      request.stage,
    );
  }
  return { file: looked, scenarios };
}

/** `feature_spec.md`, else the first `.md` (by name) with an "Acceptance Test Scenarios" heading. */
async function findFeatureSpec(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (names.includes(FEATURE_SPEC_FILE)) return join(dir, FEATURE_SPEC_FILE);
  for (const name of names.filter((entry) => entry.endsWith('.md') && entry !== ACCEPTANCE_RESULTS_FILE)) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch(() => '');
    if (SPEC_HEADING.test(text)) return path;
  }
  return undefined;
}

/**
 * The stage's acceptance_test_command, else the project's test command found before the run
 * (projectAcceptanceCommands.ts); neither is an error naming the line to add (preflight
 * refuses that before a run starts).
 */
function commandOf(stageId: string, stages: StagesConfig): readonly string[] {
  const command = acceptanceCommandOf(stages, stageId);
  if (command) return command.argv;
  throw new AgentRunError(
    `stage ${stageId} has no acceptance_test_command, so teambot cannot check the agent's results. `
    + `Add the command that runs the acceptance tests (an argv list, no shell) to ${stageId} in ${stages.source}, `
    + 'e.g. `acceptance_test_command: [npm, test]`.',
    stageId,
  );
}

/** The agent's call: the scenarios to automate and the command that will judge them. */
function agentRequest(request: AgentRunRequest, spec: FeatureSpec, command: readonly string[]): AgentRunRequest {
  const shown = `\`${showCommand(command)}\``;
  const prompt = [
    request.prompt.trimEnd(),
    `## Acceptance test scenarios (from ${spec.file})`,
    spec.scenarios.map(describeScenario).join('\n\n'),
    '## How the results are decided',
    [
      `teambot decides each scenario's result itself by running ${shown} in ${request.cwd} after you finish;`,
      'what you report is kept as context, never as the verdict.',
      'Write an automated test for every scenario above, named after its id (e.g. `AT-001: <title>`),',
      `and make ${shown} run them, printing one line per test with its name and result`,
      '(e.g. vitest --reporter=verbose, jest --verbose, pytest -v).',
      'A scenario the output never mentions counts as failed, and so does any failure of the command.',
      `teambot writes ${ACCEPTANCE_RESULTS_FILE} itself.`,
    ].join(' '),
  ].join('\n\n');
  return { ...request, prompt, artifacts: request.artifacts.filter((name) => name !== ACCEPTANCE_RESULTS_FILE) };
}

function describeScenario(scenario: AcceptanceScenario): string {
  const lines = [`### ${scenario.id}: ${scenario.title}`];
  if (scenario.preconditions) lines.push(`Preconditions: ${scenario.preconditions}`);
  if (scenario.steps.length > 0) lines.push('Steps:', ...scenario.steps.map((step, index) => `${index + 1}. ${step}`));
  if (scenario.expected) lines.push(`Expected: ${scenario.expected}`);
  return lines.join('\n');
}

/**
 * The default command runner: the same process-tree runner agents use (own process group, killed
 * as a tree on cancel or timeout), output interleaved and streamed line by line.
 */
function processTreeCommand(options: AcceptanceCommandOptions): RunAcceptanceCommand {
  return async (argv, cwd, signal, onLine, limits) => {
    const [file] = argv;
    const result = await runProcessTree({
      argv, cwd, signal, onOutput: onLine, timeoutMs: limits?.timeoutMs, stage: limits?.stage,
      killGraceMs: options.killGraceMs, timeoutClock: options.timeoutClock, env: options.env,
    });
    if (result.stopReason !== undefined) throw new AgentRunError(`acceptance_test_command ${result.stopReason}`, '');
    if (result.notFound) {
      // spawn reports a missing working directory as ENOENT too.
      const cwdExists = await stat(cwd).then((entry) => entry.isDirectory(), () => false);
      throw new AgentRunError(cwdExists
        ? `acceptance_test_command not found: ${file} (is it installed and on PATH, or is the path relative to ${cwd}?)`
        : `cannot run acceptance_test_command: the project directory ${cwd} does not exist`, '');
    }
    const output = result.lines.join('\n');
    if (result.exitCode === undefined) {
      const cause = result.signal ? `killed by ${result.signal}` : result.shortMessage;
      return { exitCode: 1, output: `${output}\n[teambot] acceptance_test_command did not exit normally: ${cause}` };
    }
    return { exitCode: result.exitCode, output };
  };
}

function summary(request: AgentRunRequest, command: readonly string[], run: AcceptanceRun, verdict: AcceptanceVerdict): string {
  return `Acceptance round ${request.iteration} of ${request.stage}: ${verdict.passed}/${verdict.total} scenarios passed, `
    + `${verdict.failed} failed (\`${showCommand(command)}\` exited ${run.exitCode}). Details: ${ACCEPTANCE_RESULTS_FILE}.`;
}

function resultsTable(scenarios: readonly AcceptanceScenario[], verdict: AcceptanceVerdict): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const rows = verdict.scenarios.map((result) => {
    const title = scenarios.find((scenario) => scenario.id === result.id)?.title ?? '';
    return `| ${result.id} | ${cell(title)} | ${result.passed ? 'passed' : 'FAILED'} | ${cell(result.reason)} |`;
  });
  return ['| Scenario | Title | Result | Reason |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

interface ResultsFile {
  readonly command: readonly string[];
  readonly run: AcceptanceRun;
  readonly verdict: AcceptanceVerdict;
  readonly table: string;
  readonly agentOutput: string;
}

/** Writes acceptance_test_results.md (0600, never through a symbolic link): the round, the command, the per-scenario table and the output's tail. */
async function writeResults(request: AgentRunRequest, results: ResultsFile): Promise<void> {
  const { command, run, verdict, table, agentOutput } = results;
  const lines = run.output.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const tail = lines.slice(-OUTPUT_TAIL_LINES).join('\n');
  const text = [
    `# Acceptance test results: ${request.stage}, round ${request.iteration}`,
    [
      `- Command: \`${showCommand(command)}\` (run by teambot in ${request.cwd})`,
      `- Exit code: ${run.exitCode}`,
      `- Result: ${verdict.passed}/${verdict.total} passed, ${verdict.failed} failed`,
    ].join('\n'),
    table,
    lines.length > OUTPUT_TAIL_LINES
      ? `## Command output (last ${OUTPUT_TAIL_LINES} of ${lines.length} lines)`
      : '## Command output',
    fenced(tail, 'text'),
    '## Agent report (context only; the results above come from the command)',
    fenced(agentOutput, 'text'),
  ].join('\n\n');
  try {
    makePrivateDirectory(request.artifactsDir, dirname(request.artifactsDir));
    writeFileAtomically(join(request.artifactsDir, ACCEPTANCE_RESULTS_FILE), `${text}\n`, { root: request.artifactsDir, fsync: false });
  } catch (error) {
    if (error instanceof InputError) throw new AgentRunError(error.message, request.stage);
    throw error;
  }
}

